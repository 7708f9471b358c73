/// The released payload schemas built into the tool, so that it works when the binary is copied alone
/// and `consent check` can show what changed since the version a member consented to. A test keeps each
/// one byte-identical to its file under schemas/.
public enum ReleasedSchemas {
    /// `schemas/payload-v0.schema.json` (the copy `EmbeddedSchema` carries).
    public static let payloadV0: [UInt8] = Array(EmbeddedSchema.payloadV0.utf8)

    /// Every released version, oldest first, with the file name the lock gives it.
    public static let all: [(version: Int, path: String, bytes: [UInt8])] = [
        (0, "payload-v0.schema.json", payloadV0),
    ]

    /// The newest released schema.
    public static var current: (version: Int, path: String, bytes: [UInt8]) { all[all.count - 1] }

    /// The released schemas as documents (they are strict JSON; a test proves it).
    public static func documents() -> [SchemaDocument] {
        all.compactMap { try? SchemaDocument(name: "<built-in " + $0.path + ">", bytes: $0.bytes) }
    }
}
