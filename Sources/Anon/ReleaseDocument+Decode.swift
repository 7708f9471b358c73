import Anon
import Core
import Schema

/// Why a file is not a release this tool can audit.
public struct ReleaseFormatError: Error, Hashable, Sendable, CustomStringConvertible {
    public let pointer: JSONPointer
    public let message: String
    public var description: String { "\(pointer.display): \(message)" }
}

extension ReleaseDocument {
    /// Reads a release strictly: every field required, no other field, values of the right type and range.
    public init(json root: JSONValue) throws(ReleaseFormatError) {
        var r = Reader()
        let formatName = root.objectValue?["format"]?.stringValue
        let version = formatName == ReleaseDocument.format2 ? 2 : 1
        var keys = ["format", "id", "sequence", "previous", "period", "schema_versions", "policy", "inputs", "cells", "margins"]
        if version == 2 { keys.append("grid") }
        let top = try r.object(root, .root, keys: keys)
        guard formatName == ReleaseDocument.format || formatName == ReleaseDocument.format2 else {
            throw ReleaseFormatError(pointer: JSONPointer(["format"]),
                                     message: "unsupported format; expected \(quoteForMessage(ReleaseDocument.format)) or \(quoteForMessage(ReleaseDocument.format2))")
        }
        if version == 2 { r.measures = Measure.allCases.filter { $0 != .costCents } }
        let idText = try r.string(top, "id", .root)
        guard let week = ISOWeek(idText) else { throw ReleaseFormatError(pointer: JSONPointer(["id"]), message: "\(quoteForMessage(idText)) is not an ISO week like 2026-W24") }
        let sequence = try r.int(top, "sequence", .root, min: 1)
        var previous: String? = nil
        if top["previous"] != .null {
            let s = try r.string(top, "previous", .root)
            guard s.hasPrefix("sha256:"), s.utf8.count == 71, s.utf8.dropFirst(7).allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) else {
                throw ReleaseFormatError(pointer: JSONPointer(["previous"]), message: "expected null or sha256: and 64 lower-case hex digits")
            }
            previous = s
        }
        let period = try r.object(top["period"]!, JSONPointer(["period"]), keys: ["start", "end"])
        guard try r.string(period, "start", JSONPointer(["period"])) == week.monday.description,
              try r.string(period, "end", JSONPointer(["period"])) == week.sunday.description else {
            throw ReleaseFormatError(pointer: JSONPointer(["period"]), message: "period is not Monday to Sunday of \(week)")
        }
        guard let sv = top["schema_versions"]?.arrayValue, !sv.isEmpty else {
            throw ReleaseFormatError(pointer: JSONPointer(["schema_versions"]), message: "expected a non-empty array of integers")
        }
        var versions: [Int] = []
        for (i, v) in sv.enumerated() {
            guard let n = v.numberValue?.int64Value, n >= 0 else { throw ReleaseFormatError(pointer: JSONPointer(["schema_versions", String(i)]), message: "expected a non-negative integer") }
            versions.append(Int(n))
        }
        // Policy: k and p are read; everything else must be exactly what this audit implements.
        let pol = try r.object(top["policy"]!, JSONPointer(["policy"]), keys: ["k", "p", "protection", "attacker"])
        let k = try r.int(pol, "k", JSONPointer(["policy"]), min: 0)
        let p = try r.int(pol, "p", JSONPointer(["policy"]), min: 0)
        guard let prot = pol["protection"]?.objectValue, let fp = prot["frequency_percent"]?.numberValue?.int64Value else {
            throw ReleaseFormatError(pointer: JSONPointer(["policy", "protection"]), message: "expected an object with frequency_percent")
        }
        var coalition = 1, homogeneity = false
        if version == 2 {
            guard let c = pol["attacker"]?.objectValue?["coalition"]?.numberValue?.int64Value, let h = prot["homogeneity"], case .bool(let hv) = h else {
                throw ReleaseFormatError(pointer: JSONPointer(["policy"]), message: "expected attacker.coalition (an integer) and protection.homogeneity (true or false)")
            }
            coalition = Int(clamping: c); homogeneity = hv
        }
        let policy: Policy
        do { policy = try Policy(k: k, p: p, protectionPercent: Int(fp), coalition: coalition, homogeneity: homogeneity) } catch {
            throw ReleaseFormatError(pointer: JSONPointer(["policy"]), message: error.description)
        }
        let model = version == 2 ? ReleaseDocument.attackerModel2 : ReleaseDocument.attackerModel
        guard top["policy"]! == ReleaseDocument.policyJSON(policy, formatVersion: version) else {
            throw ReleaseFormatError(pointer: JSONPointer(["policy"]), message: "protection levels or attacker bounds differ from \(model), the model this audit implements")
        }
        var grid: (tools: [String], models: [String])? = nil
        if version == 2 {
            let g = try r.object(top["grid"]!, JSONPointer(["grid"]), keys: ["tools", "models"])
            var lists: [[String]] = []
            for name in ["tools", "models"] {
                guard let list = g[name]?.arrayValue, !list.isEmpty else { throw ReleaseFormatError(pointer: JSONPointer(["grid", name]), message: "expected a non-empty array of strings") }
                var words: [String] = []
                for (i, w) in list.enumerated() {
                    guard let w = w.stringValue else { throw ReleaseFormatError(pointer: JSONPointer(["grid", name, String(i)]), message: "expected a string") }
                    if let last = words.last, !(last < w) { throw ReleaseFormatError(pointer: JSONPointer(["grid", name, String(i)]), message: "grid words must be sorted and distinct") }
                    words.append(w)
                }
                lists.append(words)
            }
            grid = (lists[0], lists[1])
        }
        let inputs = try r.object(top["inputs"]!, JSONPointer(["inputs"]), keys: ["payloads", "merkle_root"])
        let payloads = try r.int(inputs, "payloads", JSONPointer(["inputs"]), min: 1)
        let root = try r.string(inputs, "merkle_root", JSONPointer(["inputs"]))
        guard root.hasPrefix("sha256:"), root.utf8.count == 71 else {
            throw ReleaseFormatError(pointer: JSONPointer(["inputs", "merkle_root"]), message: "expected sha256: and 64 lower-case hex digits")
        }
        var positions: [(Position, MeasureValues?)] = []
        var seen = Set<Position>()
        func add(_ pos: Position, _ v: MeasureValues?, _ ptr: JSONPointer) throws(ReleaseFormatError) {
            guard seen.insert(pos).inserted else { throw ReleaseFormatError(pointer: ptr, message: "\(pos) is listed twice") }
            positions.append((pos, v))
        }
        guard let cells = top["cells"]?.arrayValue else { throw ReleaseFormatError(pointer: JSONPointer(["cells"]), message: "expected an array") }
        for (i, c) in cells.enumerated() {
            let ptr = JSONPointer(["cells", String(i)])
            let (fixed, v) = try r.entry(c, ptr, fixed: ["tool", "model"])
            try add(.cell(tool: fixed[0], model: fixed[1]), v, ptr)
        }
        let margins = try r.object(top["margins"]!, JSONPointer(["margins"]), keys: ["tools", "models", "total"])
        for (name, fixed) in [("tools", "tool"), ("models", "model")] {
            guard let list = margins[name]?.arrayValue else { throw ReleaseFormatError(pointer: JSONPointer(["margins", name]), message: "expected an array") }
            for (i, c) in list.enumerated() {
                let ptr = JSONPointer(["margins", name, String(i)])
                let (f, v) = try r.entry(c, ptr, fixed: [fixed])
                try add(name == "tools" ? .tool(f[0]) : .model(f[0]), v, ptr)
            }
        }
        let (_, tv) = try r.entry(margins["total"]!, JSONPointer(["margins", "total"]), fixed: [])
        try add(.total, tv, JSONPointer(["margins", "total"]))
        let t = LinkedTable(positions: positions.map(\.0))
        if let missing = t.missingPositions.first {
            throw ReleaseFormatError(pointer: JSONPointer(["margins"]), message: "\(missing) is missing: every tool and model with a cell needs its margin")
        }
        if let grid {
            // The fixed grid: every pair and name, nothing else, so that no position's presence is told.
            let want = Set(ReleaseDocument.gridPositions(grid))
            if let extra = t.positions.first(where: { !want.contains($0) }) {
                throw ReleaseFormatError(pointer: JSONPointer(["cells"]), message: "\(extra) is not in the grid")
            }
            if let missing = want.subtracting(seen).min() {
                throw ReleaseFormatError(pointer: JSONPointer(["cells"]), message: "\(missing) is missing: a format-2 release lists every position of its grid")
            }
        }
        self.init(week: week, sequence: sequence, previous: previous, schemaVersions: versions, policy: policy,
                  payloadCount: payloads, merkleRoot: root, positions: positions)
        self.formatVersion = version
        self.grid = grid
    }
}

private struct Reader {
    /// The measures a published position carries (format 2 has no cost).
    var measures = Measure.allCases

    func object(_ v: JSONValue, _ ptr: JSONPointer, keys: [String]) throws(ReleaseFormatError) -> JSONObject {
        guard let o = v.objectValue else { throw ReleaseFormatError(pointer: ptr, message: "expected an object, found \(v.typeName)") }
        for k in keys where o[k] == nil { throw ReleaseFormatError(pointer: ptr.appending(k), message: "required field is missing") }
        for k in o.keys where !keys.contains(k) { throw ReleaseFormatError(pointer: ptr.appending(k), message: "unknown field \(quoteForMessage(k))") }
        return o
    }

    func string(_ o: JSONObject, _ key: String, _ ptr: JSONPointer) throws(ReleaseFormatError) -> String {
        guard let s = o[key]?.stringValue else { throw ReleaseFormatError(pointer: ptr.appending(key), message: "expected a string") }
        return s
    }

    func int(_ o: JSONObject, _ key: String, _ ptr: JSONPointer, min: Int64) throws(ReleaseFormatError) -> Int {
        guard let n = o[key]?.numberValue?.int64Value, n >= min, n <= maxExactValue else {
            throw ReleaseFormatError(pointer: ptr.appending(key), message: "expected an integer from \(min) to 2^53-1")
        }
        return Int(n)
    }

    /// A cell or margin: its naming fields, then either all eight values or `"suppressed": true`.
    func entry(_ v: JSONValue, _ ptr: JSONPointer, fixed: [String]) throws(ReleaseFormatError) -> ([String], MeasureValues?) {
        guard let o = v.objectValue else { throw ReleaseFormatError(pointer: ptr, message: "expected an object, found \(v.typeName)") }
        var names: [String] = []
        for f in fixed { names.append(try string(o, f, ptr)) }
        if o["suppressed"] != nil {
            _ = try object(v, ptr, keys: fixed + ["suppressed"])
            guard o["suppressed"] == .bool(true) else { throw ReleaseFormatError(pointer: ptr.appending("suppressed"), message: "expected true") }
            return (names, nil)
        }
        _ = try object(v, ptr, keys: fixed + measures.map(\.key))
        var mv = MeasureValues()
        for m in measures { mv[m] = Int64(try int(o, m.key, ptr, min: 0)) }
        return (names, mv)
    }
}
