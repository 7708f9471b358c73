import Schema

/// Where a payload came from: `file:line`.
public struct Source: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public init(file: String, line: Int) { self.file = file; self.line = line }
    public var description: String { "\(file):\(line)" }
    public static func < (a: Source, b: Source) -> Bool { (a.file, a.line) < (b.file, b.line) }
}

/// A validated payload, its origin, and its Merkle leaf hash (SHA-256 of 0x00 ‖ canonical bytes, computed
/// once, from the line itself when the line is already canonical).
public struct SourcedPayload: Sendable {
    public let payload: Payload
    public let source: Source
    public let leaf: MerkleLeaf

    public init(payload: Payload, source: Source, leaf: MerkleLeaf? = nil) {
        self.payload = payload
        self.source = source
        self.leaf = leaf ?? MerkleLeaf(canonicalBytes: payload.canonicalBytes)
    }
}

/// A Merkle leaf hash, held inline.
public struct MerkleLeaf: Sendable, Hashable {
    public var bytes: InlineArray<32, UInt8>

    public init(canonicalBytes: [UInt8]) {
        self = canonicalBytes.withUnsafeBytes { MerkleLeaf(hashing: $0) }
    }

    public init(hashing bytes: UnsafeRawBufferPointer) {
        var out = InlineArray<32, UInt8>(repeating: 0)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { h in
            Merkle.leafHash(bytes, into: h.baseAddress!)
            for i in 0..<32 { out[i] = h[i] }
        }
        self.bytes = out
    }

    public static func == (a: MerkleLeaf, b: MerkleLeaf) -> Bool { (0..<32).allSatisfy { a.bytes[$0] == b.bytes[$0] } }
    public func hash(into h: inout Hasher) { for i in 0..<32 { h.combine(bytes[i]) } }

    func copy(to out: UnsafeMutablePointer<UInt8>) { for i in 0..<32 { out[i] = bytes[i] } }
}

/// A line that was not used: why, and its bytes (for the quarantine file).
public struct RejectedLine: Sendable {
    public let source: Source
    /// `LINE:COL: POINTER: message` relative to the file, or a conflict note.
    public let error: String
    public let bytes: [UInt8]
}

/// Why reading payloads stopped.
public enum IntakeError: Error, Sendable, CustomStringConvertible {
    /// The file could not be read (exit 2).
    case file(FileError)
    /// A line is not a valid payload, and no quarantine was asked for (exit 1).
    case invalid(RejectedLine)
    /// Two payloads for the same (panelist, date), and no quarantine was asked for (exit 1).
    case conflict(RejectedLine)

    public var description: String {
        switch self {
        case .file(let e): return e.description
        case .invalid(let r): return "\(r.source.file):\(r.error)"
        case .conflict(let r): return "\(r.source): \(r.error)"
        }
    }
}

/// Reads payload JSON-lines files (the union's store export): every line through the payload validator.
/// A bad line stops the reading unless `quarantine` is set; then it is kept in `rejected`, with its error.
/// Nothing is dropped silently.
public struct PayloadIntake {
    public let validator: PayloadValidator
    public let quarantine: Bool
    public private(set) var accepted: [SourcedPayload] = []
    public private(set) var rejected: [RejectedLine] = []

    public init(validator: PayloadValidator, quarantine: Bool) {
        self.validator = validator; self.quarantine = quarantine
    }

    /// Reads one file (`-` for standard input).
    public mutating func read(path: String, displayName: String, progress: ((Int) -> Void)? = nil) throws(IntakeError) {
        guard var decoder = PayloadDecoder(schema: validator.root) else {
            preconditionFailure("the payload schema does not have the version 0 shape")
        }
        let reader = JSONLinesReader(path: path, maxLineBytes: validator.limits.maxBytes)
        var stop: RejectedLine? = nil
        do {
            try reader.forEachLine { lineNo, line in
                let source = Source(file: displayName, line: lineNo)
                switch line {
                case .bytes(let b):
                    if b.isEmpty || b.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                        // A blank line carries no payload but is still not silently skipped.
                        let r = RejectedLine(source: source, error: "\(lineNo):1: (root): blank line: one payload per line is expected", bytes: Array(b))
                        if !quarantine { stop = r; return false }
                        rejected.append(r); return true
                    }
                    let (report, payload) = validator.decode(b, with: &decoder)
                    if let payload, report.isValid {
                        // A canonical line is its payload's canonical bytes: hash it as read.
                        let leaf = report.isCanonical ? MerkleLeaf(hashing: b) : MerkleLeaf(canonicalBytes: payload.canonicalBytes)
                        accepted.append(SourcedPayload(payload: payload, source: source, leaf: leaf))
                    } else {
                        let v = report.violations.first!
                        let msg = "\(lineNo + v.location.line - 1):\(v.location.column): \(v.pointer.display): \(v.message)"
                        let r = RejectedLine(source: source, error: msg, bytes: Array(b))
                        if !quarantine { stop = r; return false }
                        rejected.append(r)
                    }
                case .tooLong(let n):
                    let r = RejectedLine(source: source, error: "\(lineNo):1: (root): line of \(n) bytes is larger than the \(validator.limits.maxBytes >> 10) KiB payload limit", bytes: [])
                    if !quarantine { stop = r; return false }
                    rejected.append(r)
                }
                if accepted.count & 0x3FF == 0 { progress?(accepted.count) }
                return true
            }
        } catch let e as FileError {
            throw .file(e)
        } catch {
            throw .file(.cannotRead(path: displayName, reason: "\(error)"))
        }
        if let r = stop { throw .invalid(r) }
    }

    /// Removes every payload whose (panelist, date) occurs more than once: none of them can be trusted
    /// over the others. Without quarantine the first conflict is an error.
    public mutating func resolveConflicts() throws(IntakeError) {
        // Most exports have no conflict: find the repeated keys first, and build index lists only for them.
        struct Key: Hashable { let panelist: String; let day: Int }
        var count: [Key: Int] = [:]
        count.reserveCapacity(accepted.count)
        for p in accepted { count[Key(panelist: p.payload.panelist, day: p.payload.date.daysSinceEpoch), default: 0] += 1 }
        var byKey: [Key: [Int]] = [:]
        if count.values.contains(where: { $0 > 1 }) {
            for (i, p) in accepted.enumerated() {
                let k = Key(panelist: p.payload.panelist, day: p.payload.date.daysSinceEpoch)
                if count[k]! > 1 { byKey[k, default: []].append(i) }
            }
        }
        var drop = Set<Int>()
        for idxs in byKey.values.sorted(by: { $0[0] < $1[0] }) where idxs.count > 1 {
            for i in idxs {
                let others = idxs.filter { $0 != i }.map { accepted[$0].source.description }.joined(separator: ", ")
                let p = accepted[i]
                let r = RejectedLine(source: p.source,
                                     error: "conflict: another payload for panelist \(p.payload.panelist) on \(p.payload.date) at \(others)",
                                     bytes: p.payload.canonicalBytes)
                if !quarantine { throw .conflict(r) }
                rejected.append(r)
                drop.insert(i)
            }
        }
        if drop.isEmpty { return }
        let keep = accepted.indices.filter { !drop.contains($0) }
        accepted = keep.map { accepted[$0] }
        rejected.sort { $0.source < $1.source }
    }

    /// The quarantine file: one JSON object per rejected line, `{"source","error","line"}` (the line as
    /// text, or `line_hex` when it is not UTF-8).
    public func quarantineLines() -> [UInt8] {
        var out: [UInt8] = []
        for r in rejected {
            var o = JSONObject()
            o.set("source", .string(r.source.description))
            o.set("error", .string(r.error))
            if let text = String(validating: r.bytes, as: UTF8.self) { o.set("line", .string(text)) } else { o.set("line_hex", .string(Merkle.hex(r.bytes))) }
            if let b = try? CanonicalJSON.serialize(.object(o)) { out += b; out.append(0x0A) }
        }
        return out
    }
}
