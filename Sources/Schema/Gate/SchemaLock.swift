import Core
/// `schemas.lock.json`: the released schema versions, each with its file (relative to the lock) and
/// material fingerprint (docs/ci-gate.md). A released version is immutable.
public struct SchemaLock: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public let version: Int
        public let path: String
        public let fingerprint: String

        public init(version: Int, path: String, fingerprint: String) {
            self.version = version; self.path = path; self.fingerprint = fingerprint
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry] = []) { self.entries = entries }

    /// Parses a lock file strictly: exactly the documented members, versions as integers, fingerprints
    /// `sha256:` + 64 lower-case hex, paths relative without `..`.
    public static func parse(_ bytes: [UInt8]) throws(GateFailure) -> (SchemaLock, [JSONPointer: SourceLocation]) {
        let (value, locations): (JSONValue, [JSONPointer: SourceLocation])
        do { (value, locations) = try StrictJSON.parseWithLocations(bytes) } catch { throw .lockMalformed("\(error)") }
        func fail(_ p: JSONPointer, _ why: String) -> GateFailure {
            .lockMalformed("\(nearestLocation(p, locations).map { "\($0): " } ?? "")\(p.display): \(why)")
        }
        guard case .object(let o) = value else { throw fail(.root, "a lock file is an object with \"versions\"") }
        for key in o.keys where key != "versions" { throw fail(JSONPointer([key]), "unknown member \(quoteForMessage(key))") }
        guard case .array(let list)? = o["versions"] else { throw fail(.root, "\"versions\" must be an array") }
        var entries: [Entry] = []
        for (i, item) in list.enumerated() {
            let p = JSONPointer(["versions", String(i)])
            guard case .object(let e) = item else { throw fail(p, "each version is an object") }
            for key in e.keys where !["version", "path", "fingerprint"].contains(key) {
                throw fail(p.appending(key), "unknown member \(quoteForMessage(key))")
            }
            guard let v = e["version"]?.numberValue?.int64Value, v >= 0, v < 1 << 31 else { throw fail(p.appending("version"), "version must be a non-negative integer") }
            guard let path = e["path"]?.stringValue, isSafeRelativePath(path) else {
                throw fail(p.appending("path"), "path must be a relative file path without .. (relative to the lock file)")
            }
            guard let fp = e["fingerprint"]?.stringValue, isFingerprint(fp) else {
                throw fail(p.appending("fingerprint"), "fingerprint must be sha256: followed by 64 lower-case hex digits")
            }
            entries.append(Entry(version: Int(v), path: path, fingerprint: fp))
        }
        return (SchemaLock(entries: entries), locations)
    }

    /// The lock as written by `schema gate --update-lock`: one version per line, stable for review.
    public func serialized() -> [UInt8] {
        var s = "{\n  \"versions\": ["
        for (i, e) in entries.enumerated() {
            s += i == 0 ? "\n" : ",\n"
            s += "    {\"version\": \(e.version), \"path\": \(jsonString(e.path)), \"fingerprint\": \(jsonString(e.fingerprint))}"
        }
        s += entries.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
        return Array(s.utf8)
    }

    static func isSafeRelativePath(_ p: String) -> Bool {
        guard !p.isEmpty, !p.hasPrefix("/"), p.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) else { return false }
        return !p.split(separator: "/").contains("..")
    }
}

/// True for `sha256:` + 64 lower-case hex digits.
public func isFingerprint(_ s: String) -> Bool {
    let u = Array(s.utf8)
    guard u.count == 71, s.hasPrefix("sha256:") else { return false }
    return u[7...].allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
}

func jsonString(_ s: String) -> String {
    var out: [UInt8] = []
    CanonicalJSON.writeString(s, into: &out)
    return String(decoding: out, as: UTF8.self)
}

/// Why the gate could not compare (exit 2): it never passes in that case.
public enum GateFailure: Error, Hashable, Sendable, CustomStringConvertible {
    case lockUnreadable(FileError)
    case lockMalformed(String)
    case schemaUnreadable(FileError)
    case schemaMalformed(file: String, String)

    public var description: String {
        switch self {
        case .lockUnreadable(let e): return "\(e); the gate cannot compare without its lock"
        case .lockMalformed(let why): return why
        case .schemaUnreadable(let e): return "\(e); the gate cannot compare a schema it cannot read"
        case .schemaMalformed(let file, let why): return "\(file):\(why)"
        }
    }
}

/// The location of `p`, or of its nearest ancestor that has one (a missing member is reported where
/// its object starts).
func nearestLocation(_ p: JSONPointer, _ locations: [JSONPointer: SourceLocation]) -> SourceLocation? {
    var q = p
    while true {
        if let l = locations[q] { return l }
        if q.tokens.isEmpty { return nil }
        q = q.parent
    }
}
