import Core
import Anon
import Schema

/// Why bytes are not a release document (docs/release-format.md). The header's problems (§1, and the
/// `format`, `id`, `sequence` and `previous` fields of §2) have their own cases, because signing and the hash
/// chain need only the header; every other broken rule is `.invalid` at its JSON Pointer.
public enum ReleaseDocumentError: Error, Hashable, Sendable, CustomStringConvertible {
    case json(JSONReadError)
    case notCanonical(at: SourceLocation)
    case notObject(found: String)
    case missing(JSONPointer)
    case wrongType(JSONPointer, expected: String, found: String)
    case format(found: String)
    case id(found: String)
    case sequence(found: String)
    case previous(found: String)
    case firstWithPrevious
    case laterWithoutPrevious(sequence: Int)
    /// A rule of the body broken at `pointer`.
    case invalid(JSONPointer, String)

    /// The message prefixed with the file's name: `release.json:1:5: …` or `release.json: /id: …`.
    public func message(file: String) -> String {
        switch self {
        case .json, .notCanonical: return "\(file):\(self)"
        default: return "\(file): \(self)"
        }
    }

    public var description: String {
        switch self {
        case .json(let e): return e.description
        case .notCanonical(let at):
            return "\(at): release is not in canonical form (RFC 8785 bytes, optionally one final newline); first difference here"
        case .notObject(let f): return "(root): a release is a JSON object, found \(f)"
        case .missing(let p): return "\(p.display): required field is missing"
        case .wrongType(let p, let e, let f): return "\(p.display): expected \(e), found \(f)"
        case .format(let f): return "/format: expected \"\(ReleaseDocument.format)\" or \"\(ReleaseDocument.format2)\", found \(quoteForMessage(f))"
        case .id(let f): return "/id: \(quoteForMessage(f)) is not an ISO week like \"2026-W24\""
        case .sequence(let f): return "/sequence: \(f) is not a sequence number (an integer from 1 to 2^53-1)"
        case .previous(let f): return "/previous: \(quoteForMessage(f)) is not \"sha256:\" followed by 64 lower-case hex digits"
        case .firstWithPrevious: return "/previous: the first release (sequence 1) must have previous null"
        case .laterWithoutPrevious(let s): return "/previous: release \(s) must name the previous release (found null)"
        case .invalid(let p, let m): return "\(p.display): \(m)"
        }
    }
}

/// A release file decoded once, by the one decoder of docs/release-format.md: what signing and the chain
/// need (the header), and the whole document the audit reads. The two can differ in one way only: a file
/// that is not in canonical form has no header (its hash names nothing stable), yet its document is still
/// read so that the audit can say what else is wrong with it.
public struct DecodedRelease: Sendable {
    public let bytes: [UInt8]
    /// The canonical bytes' header, or why there is none (not JSON, not canonical, or a header field).
    public let header: Result<ReleaseHeader, ReleaseDocumentError>
    /// Every field checked, every MUST of the format enforced.
    public let document: Result<ReleaseDocument, ReleaseDocumentError>
}

extension ReleaseDocument {
    /// Decodes a release file: the strict JSON reader, the canonical form (§1), the header, then the body.
    public static func decode(_ bytes: [UInt8]) -> DecodedRelease {
        let value: JSONValue
        do { value = try StrictJSON.parse(bytes) } catch {
            return DecodedRelease(bytes: bytes, header: .failure(.json(error)), document: .failure(.json(error)))
        }
        let fields = Result { () throws(ReleaseDocumentError) in try HeaderFields(value) }
        let document = fields.flatMap { f in Result { () throws(ReleaseDocumentError) in try ReleaseDocument(json: value, header: f) } }
        if let at = firstNonCanonicalByte(bytes, value) {
            return DecodedRelease(bytes: bytes, header: .failure(.notCanonical(at: at)), document: document)
        }
        let header = fields.map { ReleaseHeader(id: $0.id, sequence: $0.sequence, previous: $0.previous, digest: SHA256.hash(bytes)) }
        return DecodedRelease(bytes: bytes, header: header, document: document)
    }

    /// Canonical means: the bytes equal the RFC 8785 serialization of what the strict reader read, optionally
    /// followed by exactly one `\n` (so that the file can be shown with `cat`). nil when they are; else where
    /// the first difference is. The hash chain covers the file's bytes as they are, newline included.
    static func firstNonCanonicalByte(_ bytes: [UInt8], _ value: JSONValue) -> SourceLocation? {
        let canonical: [UInt8]
        do { canonical = try CanonicalJSON.serialize(value) } catch { return SourceLocation.locate(offset: 0, in: bytes) }
        if bytes == canonical || bytes == canonical + [0x0A] { return nil }
        // Compare with the newline form when the file is longer, so that an extra line is pointed at.
        let expected = bytes.count > canonical.count ? canonical + [0x0A] : canonical
        let n = min(bytes.count, expected.count)
        let diff = (0..<n).first { bytes[$0] != expected[$0] } ?? n
        return SourceLocation.locate(offset: diff, in: bytes)
    }
}

/// The header fields (§2: `format`, `id`, `sequence`, `previous`), read once for both the header and the document.
struct HeaderFields {
    let version: Int
    let id: ISOWeek
    let sequence: Int
    let previous: [UInt8]?

    init(_ value: JSONValue) throws(ReleaseDocumentError) {
        guard let object = value.objectValue else { throw .notObject(found: value.typeName) }
        func field(_ name: String) throws(ReleaseDocumentError) -> JSONValue {
            guard let v = object[name] else { throw .missing(JSONPointer([name])) }
            return v
        }
        let formatValue = try field("format")
        guard let format = formatValue.stringValue else { throw .wrongType(JSONPointer(["format"]), expected: "string", found: formatValue.typeName) }
        guard format == ReleaseDocument.format || format == ReleaseDocument.format2 else { throw .format(found: format) }
        version = format == ReleaseDocument.format2 ? 2 : 1

        let idValue = try field("id")
        guard let idText = idValue.stringValue else { throw .wrongType(JSONPointer(["id"]), expected: "string", found: idValue.typeName) }
        guard let id = ISOWeek(idText), id.description == idText else { throw .id(found: idText) }
        self.id = id

        let seqValue = try field("sequence")
        guard let n = seqValue.numberValue else { throw .wrongType(JSONPointer(["sequence"]), expected: "integer", found: seqValue.typeName) }
        guard let seq = n.int64Value, ReleaseHeader.sequenceRange.contains(seq) else { throw .sequence(found: n.lexeme) }
        sequence = Int(seq)

        let prevValue = try field("previous")
        switch prevValue {
        case .null: previous = nil
        case .string(let s):
            guard s.hasPrefix("sha256:"), let d = Hex.decode(s.dropFirst(7), count: 32) else { throw .previous(found: s) }
            previous = d
        default: throw .wrongType(JSONPointer(["previous"]), expected: "string or null", found: prevValue.typeName)
        }
        if seq == 1 && previous != nil { throw .firstWithPrevious }
        if seq > 1 && previous == nil { throw .laterWithoutPrevious(sequence: Int(seq)) }
    }
}

extension ReleaseDocument {
    /// Reads the body strictly, after its header: every field required, no other field, values of the right
    /// type and range, every MUST of docs/release-format.md.
    init(json root: JSONValue, header: HeaderFields) throws(ReleaseDocumentError) {
        var r = Reader()
        let version = header.version
        var keys = ["format", "id", "sequence", "previous", "period", "schema_versions", "policy", "inputs", "cells", "margins"]
        if version == 2 { keys.append("grid") }
        let top = try r.object(root, .root, keys: keys)
        if version == 2 { r.measures = Measure.allCases.filter { $0 != .costCents } }
        let week = header.id
        let period = try r.object(top["period"]!, JSONPointer(["period"]), keys: ["start", "end"])
        guard try r.string(period, "start", JSONPointer(["period"])) == week.monday.description,
              try r.string(period, "end", JSONPointer(["period"])) == week.sunday.description else {
            throw ReleaseDocumentError.invalid(JSONPointer(["period"]), "period is not Monday to Sunday of \(week)")
        }
        guard let sv = top["schema_versions"]?.arrayValue, !sv.isEmpty else {
            throw ReleaseDocumentError.invalid(JSONPointer(["schema_versions"]), "expected a non-empty array of integers")
        }
        var versions: [Int] = []
        for (i, v) in sv.enumerated() {
            guard let n = v.numberValue?.int64Value, n >= 0, n <= maxExactValue else { throw ReleaseDocumentError.invalid(JSONPointer(["schema_versions", String(i)]), "expected a non-negative integer") }
            if let last = versions.last, !(last < Int(n)) {
                throw ReleaseDocumentError.invalid(JSONPointer(["schema_versions", String(i)]), "schema versions must be ascending and distinct (\(n) follows \(last))")
            }
            versions.append(Int(n))
        }
        // Policy: k and p are read; everything else must be exactly what this audit implements.
        let pol = try r.object(top["policy"]!, JSONPointer(["policy"]), keys: ["k", "p", "protection", "attacker"])
        let k = try r.int(pol, "k", JSONPointer(["policy"]), min: 0)
        let p = try r.int(pol, "p", JSONPointer(["policy"]), min: 0)
        guard let prot = pol["protection"]?.objectValue, let fp = prot["frequency_percent"]?.numberValue?.int64Value else {
            throw ReleaseDocumentError.invalid(JSONPointer(["policy", "protection"]), "expected an object with frequency_percent")
        }
        var coalition = 1, homogeneity = false
        if version == 2 {
            guard let c = pol["attacker"]?.objectValue?["coalition"]?.numberValue?.int64Value, let h = prot["homogeneity"], case .bool(let hv) = h else {
                throw ReleaseDocumentError.invalid(JSONPointer(["policy"]), "expected attacker.coalition (an integer) and protection.homogeneity (true or false)")
            }
            coalition = Int(clamping: c); homogeneity = hv
        }
        let policy: Policy
        do { policy = try Policy(k: k, p: p, protectionPercent: Int(fp), coalition: coalition, homogeneity: homogeneity) } catch {
            throw ReleaseDocumentError.invalid(JSONPointer(["policy"]), error.description)
        }
        let model = version == 2 ? ReleaseDocument.attackerModel2 : ReleaseDocument.attackerModel
        guard top["policy"]! == ReleaseDocument.policyJSON(policy, formatVersion: version) else {
            throw ReleaseDocumentError.invalid(JSONPointer(["policy"]), "protection levels or attacker bounds differ from \(model), the model this audit implements")
        }
        var grid: (tools: [String], models: [String])? = nil
        if version == 2 {
            let g = try r.object(top["grid"]!, JSONPointer(["grid"]), keys: ["tools", "models"])
            var lists: [[String]] = []
            for name in ["tools", "models"] {
                guard let list = g[name]?.arrayValue, !list.isEmpty else { throw ReleaseDocumentError.invalid(JSONPointer(["grid", name]), "expected a non-empty array of strings") }
                var words: [String] = []
                for (i, w) in list.enumerated() {
                    guard let w = w.stringValue else { throw ReleaseDocumentError.invalid(JSONPointer(["grid", name, String(i)]), "expected a string") }
                    if let last = words.last, !(last < w) { throw ReleaseDocumentError.invalid(JSONPointer(["grid", name, String(i)]), "grid words must be sorted and distinct") }
                    words.append(w)
                }
                lists.append(words)
            }
            grid = (lists[0], lists[1])
        }
        let inputs = try r.object(top["inputs"]!, JSONPointer(["inputs"]), keys: ["payloads", "merkle_root"])
        let payloads = try r.int(inputs, "payloads", JSONPointer(["inputs"]), min: 1)
        let root = try r.string(inputs, "merkle_root", JSONPointer(["inputs"]))
        guard root.hasPrefix("sha256:"), Hex.decode(root.dropFirst(7), count: 32) != nil else {
            throw ReleaseDocumentError.invalid(JSONPointer(["inputs", "merkle_root"]), "expected sha256: and 64 lower-case hex digits")
        }
        var positions: [(Position, MeasureValues?)] = []
        var seen = Set<Position>()
        func add(_ pos: Position, _ v: MeasureValues?, _ ptr: JSONPointer) throws(ReleaseDocumentError) {
            guard seen.insert(pos).inserted else { throw ReleaseDocumentError.invalid(ptr, "\(pos) is listed twice") }
            positions.append((pos, v))
        }
        guard let cells = top["cells"]?.arrayValue else { throw ReleaseDocumentError.invalid(JSONPointer(["cells"]), "expected an array") }
        for (i, c) in cells.enumerated() {
            let ptr = JSONPointer(["cells", String(i)])
            let (fixed, v) = try r.entry(c, ptr, fixed: ["tool", "model"])
            try add(.cell(tool: fixed[0], model: fixed[1]), v, ptr)
        }
        let margins = try r.object(top["margins"]!, JSONPointer(["margins"]), keys: ["tools", "models", "total"])
        for (name, fixed) in [("tools", "tool"), ("models", "model")] {
            guard let list = margins[name]?.arrayValue else { throw ReleaseDocumentError.invalid(JSONPointer(["margins", name]), "expected an array") }
            for (i, c) in list.enumerated() {
                let ptr = JSONPointer(["margins", name, String(i)])
                let (f, v) = try r.entry(c, ptr, fixed: [fixed])
                try add(name == "tools" ? .tool(f[0]) : .model(f[0]), v, ptr)
            }
        }
        let (_, tv) = try r.entry(margins["total"]!, JSONPointer(["margins", "total"]), fixed: [])
        try add(.total, tv, JSONPointer(["margins", "total"]))
        if let tv, tv[.memberDays] != Int64(payloads) {
            throw ReleaseDocumentError.invalid(JSONPointer(["inputs", "payloads"]),
                                               "\(payloads) payloads, but the published total has \(tv[.memberDays]) member_days: they are the same number")
        }
        if let grid {
            // The fixed grid first (a name outside it would otherwise read as a missing margin): every pair
            // and name, nothing else, so that no position's presence is told.
            let want = Set(ReleaseDocument.gridPositions(grid))
            if let extra = positions.first(where: { !want.contains($0.0) }) {
                throw ReleaseDocumentError.invalid(JSONPointer(["cells"]), "\(extra.0) is not in the grid")
            }
            if let missing = want.subtracting(seen).min() {
                throw ReleaseDocumentError.invalid(JSONPointer(["cells"]), "\(missing) is missing: a format-2 release lists every position of its grid")
            }
        }
        if let missing = LinkedTable(positions: positions.map(\.0)).missingPositions.first {
            throw ReleaseDocumentError.invalid(JSONPointer(["margins"]), "\(missing) is missing: every tool and model with a cell needs its margin")
        }
        self.init(week: week, sequence: header.sequence, previous: header.previous, schemaVersions: versions, policy: policy,
                  payloadCount: payloads, merkleRoot: root, positions: positions)
        self.formatVersion = version
        self.grid = grid
    }
}

private struct Reader {
    /// The measures a published position carries (format 2 has no cost).
    var measures = Measure.allCases

    func object(_ v: JSONValue, _ ptr: JSONPointer, keys: [String]) throws(ReleaseDocumentError) -> JSONObject {
        guard let o = v.objectValue else { throw ReleaseDocumentError.invalid(ptr, "expected an object, found \(v.typeName)") }
        for k in keys where o[k] == nil { throw ReleaseDocumentError.invalid(ptr.appending(k), "required field is missing") }
        for k in o.keys where !keys.contains(k) { throw ReleaseDocumentError.invalid(ptr.appending(k), "unknown field \(quoteForMessage(k))") }
        return o
    }

    func string(_ o: JSONObject, _ key: String, _ ptr: JSONPointer) throws(ReleaseDocumentError) -> String {
        guard let s = o[key]?.stringValue else { throw ReleaseDocumentError.invalid(ptr.appending(key), "expected a string") }
        return s
    }

    func int(_ o: JSONObject, _ key: String, _ ptr: JSONPointer, min: Int64) throws(ReleaseDocumentError) -> Int {
        guard let n = o[key]?.numberValue?.int64Value, n >= min, n <= maxExactValue else {
            throw ReleaseDocumentError.invalid(ptr.appending(key), "expected an integer from \(min) to 2^53-1")
        }
        return Int(n)
    }

    /// A cell or margin: its naming fields, then either all eight values or `"suppressed": true`.
    func entry(_ v: JSONValue, _ ptr: JSONPointer, fixed: [String]) throws(ReleaseDocumentError) -> ([String], MeasureValues?) {
        guard let o = v.objectValue else { throw ReleaseDocumentError.invalid(ptr, "expected an object, found \(v.typeName)") }
        var names: [String] = []
        for f in fixed { names.append(try string(o, f, ptr)) }
        if o["suppressed"] != nil {
            _ = try object(v, ptr, keys: fixed + ["suppressed"])
            guard o["suppressed"] == .bool(true) else { throw ReleaseDocumentError.invalid(ptr.appending("suppressed"), "expected true") }
            return (names, nil)
        }
        _ = try object(v, ptr, keys: fixed + measures.map(\.key))
        var mv = MeasureValues()
        for m in measures { mv[m] = Int64(try int(o, m.key, ptr, min: 0)) }
        return (names, mv)
    }
}
