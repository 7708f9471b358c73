import Core
import Anon
import Schema

/// A weekly release (exact fields in docs/release-format.md). Suppressed positions carry
/// no values and no reason.
public struct ReleaseDocument: Sendable {
    public static let format = "backpay-release/1"
    public static let format2 = "backpay-release/2"
    /// The attacker model the audit implements (docs/release-format.md §6 and §8).
    public static let attackerModel = "backpay-attacker/1"
    public static let attackerModel2 = "backpay-attacker/2"

    /// 1 or 2 (docs/release-format.md §7).
    public var formatVersion = 1
    /// Format 2: the vocabularies whose every pair the release lists.
    public var grid: (tools: [String], models: [String])? = nil

    public var formatName: String { formatVersion == 2 ? Self.format2 : Self.format }
    public var attackerModelName: String { formatVersion == 2 ? Self.attackerModel2 : Self.attackerModel }
    /// The additive counters the format publishes.
    public var counters: [Measure] { formatVersion == 2 ? Measure.counters.filter { $0 != .costCents } : Measure.counters }
    /// The measures each published position carries.
    public var measures: [Measure] { Measure.counts + counters }

    public var week: ISOWeek
    public var sequence: Int
    /// SHA-256 of the previous release file's bytes, or nil for the first release.
    public var previous: [UInt8]?
    public var schemaVersions: [Int]
    public var policy: Policy
    public var payloadCount: Int
    public var merkleRoot: String
    /// Every position of the table in release order; nil = suppressed.
    public var positions: [(Position, MeasureValues?)]

    public init(week: ISOWeek, sequence: Int, previous: [UInt8]?, schemaVersions: [Int], policy: Policy,
                payloadCount: Int, merkleRoot: String, positions: [(Position, MeasureValues?)]) {
        self.week = week; self.sequence = sequence; self.previous = previous; self.schemaVersions = schemaVersions
        self.policy = policy; self.payloadCount = payloadCount; self.merkleRoot = merkleRoot
        self.positions = positions.sorted { $0.0 < $1.0 }
    }

    /// A format-2 release of the same table: every pair of `grid` listed, an empty one like a suppressed one.
    public func asFormat2(grid: (tools: [String], models: [String])) -> ReleaseDocument {
        var d = self
        d.formatVersion = 2
        let g = (tools: Set(grid.tools).sorted(), models: Set(grid.models).sorted())
        d.grid = g
        var all = Dictionary(positions.map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
        for p in Self.gridPositions(g) where all[p] == nil { all[p] = .some(nil) }
        d.positions = all.map { ($0.key, $0.value) }.sorted { $0.0 < $1.0 }
        return d
    }

    /// Every position of a fixed grid.
    static func gridPositions(_ g: (tools: [String], models: [String])) -> [Position] {
        g.tools.flatMap { t in g.models.map { Position.cell(tool: t, model: $0) } } + g.tools.map { .tool($0) } + g.models.map { .model($0) } + [.total]
    }

    /// The table as an attacker reads it.
    public var published: PublishedTable {
        let t = LinkedTable(positions: positions.map(\.0))
        let byPos = Dictionary(positions.map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
        return PublishedTable(table: t, values: t.positions.map { byPos[$0]! }, payloadCount: Int64(payloadCount),
                              counters: counters, listedAreNonEmpty: formatVersion == 1)
    }

    // MARK: Encoding

    static func int(_ v: Int64) -> JSONValue { .number(JSONNumber(v)) }

    private func entry(_ fixed: [(String, JSONValue)], _ v: MeasureValues?) -> JSONValue {
        var o = JSONObject(fixed.map { (key: $0.0, value: $0.1) })
        if let v {
            for m in measures { o.set(m.key, Self.int(v[m])) }
        } else {
            o.set("suppressed", .bool(true))
        }
        return .object(o)
    }

    /// The policy object, attacker bounds included (also used by the audit to check what it implements).
    /// Format 2 adds the coalition, known zeros, unpublished cost and the homogeneity switch (§7), and its
    /// lower bounds are all 0 over the seven published measures.
    static func policyJSON(_ p: Policy, formatVersion: Int = 1) -> JSONValue {
        let v2 = formatVersion == 2
        var lower = JSONObject()
        for m in Measure.allCases where !(v2 && m == .costCents) { lower.set(m.key, int(v2 ? 0 : m.attackerLowerBound)) }
        var protection = JSONObject([
            ("frequency_percent", int(Int64(p.protectionPercent))),
            ("members_upper_bound_at_least", int(Int64(p.k))),
            ("dominance", .string("p-percent-upper-protection-level")),
        ])
        var attacker = JSONObject([
            ("model", .string(v2 ? attackerModel2 : attackerModel)),
            ("lower_bounds", .object(lower)),
            ("upper_bounds", .null),
            ("max_member_days_per_member", int(7)),
        ])
        if v2 {
            protection.set("homogeneity", .bool(p.homogeneity))
            attacker.set("coalition", int(Int64(p.coalition)))
            attacker.set("zeros_known", .bool(true))
            attacker.set("prices", .string("cost-not-published"))
        }
        return .object(JSONObject([("k", int(Int64(p.k))), ("p", int(Int64(p.p))), ("protection", .object(protection)), ("attacker", .object(attacker))]))
    }

    public var json: JSONValue {
        var cells: [JSONValue] = [], tools: [JSONValue] = [], models: [JSONValue] = []
        var total: JSONValue = .null
        for (p, v) in positions {
            switch p {
            case .cell(let t, let m): cells.append(entry([("tool", .string(t)), ("model", .string(m))], v))
            case .tool(let t): tools.append(entry([("tool", .string(t))], v))
            case .model(let m): models.append(entry([("model", .string(m))], v))
            case .total: total = entry([], v)
            }
        }
        var fields: [(String, JSONValue)] = [
            ("format", .string(formatName)),
            ("id", .string(week.description)),
            ("sequence", Self.int(Int64(sequence))),
            ("previous", previous.map { .string(ReleaseHeader.digestText($0)) } ?? .null),
            ("period", .object(JSONObject([("start", .string(week.monday.description)), ("end", .string(week.sunday.description))]))),
            ("schema_versions", .array(schemaVersions.map { Self.int(Int64($0)) })),
            ("policy", Self.policyJSON(policy, formatVersion: formatVersion)),
            ("inputs", .object(JSONObject([("payloads", Self.int(Int64(payloadCount))), ("merkle_root", .string(merkleRoot))]))),
            ("cells", .array(cells)),
            ("margins", .object(JSONObject([("tools", .array(tools)), ("models", .array(models)), ("total", total)]))),
        ]
        if let grid {
            fields.append(("grid", .object(JSONObject([("tools", .array(grid.tools.map { .string($0) })), ("models", .array(grid.models.map { .string($0) }))]))))
        }
        return .object(JSONObject(fields))
    }

    /// The release file's bytes: RFC 8785, no trailing newline.
    public func canonicalBytes() throws(AnonError) -> [UInt8] {
        do { return try CanonicalJSON.serialize(json) } catch { throw .overflow(position: "release", measure: "\(error)") }
    }
}
