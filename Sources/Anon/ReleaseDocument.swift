import Schema

/// A weekly release (DESIGN.md §5; exact fields in docs/release-format.md). Suppressed positions carry
/// no values and no reason.
public struct ReleaseDocument: Sendable {
    public static let format = "backpay-release/1"
    /// The attacker model the audit implements (docs/release-format.md §Attacker).
    public static let attackerModel = "backpay-attacker/1"

    public var week: ISOWeek
    public var sequence: Int
    /// `sha256:<hex>` of the previous release file's bytes, or nil for the first release.
    public var previous: String?
    public var schemaVersions: [Int]
    public var policy: Policy
    public var payloadCount: Int
    public var merkleRoot: String
    /// Every position of the table in release order; nil = suppressed.
    public var positions: [(Position, MeasureValues?)]

    public init(week: ISOWeek, sequence: Int, previous: String?, schemaVersions: [Int], policy: Policy,
                payloadCount: Int, merkleRoot: String, positions: [(Position, MeasureValues?)]) {
        self.week = week; self.sequence = sequence; self.previous = previous; self.schemaVersions = schemaVersions
        self.policy = policy; self.payloadCount = payloadCount; self.merkleRoot = merkleRoot
        self.positions = positions.sorted { $0.0 < $1.0 }
    }

    /// The table as an attacker reads it.
    public var published: PublishedTable {
        let t = LinkedTable(positions: positions.map(\.0))
        let byPos = Dictionary(positions.map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
        return PublishedTable(table: t, values: t.positions.map { byPos[$0]! }, payloadCount: Int64(payloadCount))
    }

    // MARK: Encoding

    static func int(_ v: Int64) -> JSONValue { .number(JSONNumber(v)) }

    private static func entry(_ fixed: [(String, JSONValue)], _ v: MeasureValues?) -> JSONValue {
        var o = JSONObject(fixed.map { (key: $0.0, value: $0.1) })
        if let v {
            for m in Measure.allCases { o.set(m.key, int(v[m])) }
        } else {
            o.set("suppressed", .bool(true))
        }
        return .object(o)
    }

    /// The policy object, attacker bounds included (also used by the audit to check what it implements).
    static func policyJSON(_ p: Policy) -> JSONValue {
        var lower = JSONObject()
        for m in Measure.allCases { lower.set(m.key, int(m.attackerLowerBound)) }
        return .object(JSONObject([
            ("k", int(Int64(p.k))),
            ("p", int(Int64(p.p))),
            ("protection", .object(JSONObject([
                ("frequency_percent", int(Int64(p.protectionPercent))),
                ("members_upper_bound_at_least", int(Int64(p.k))),
                ("dominance", .string("p-percent-upper-protection-level")),
            ]))),
            ("attacker", .object(JSONObject([
                ("model", .string(attackerModel)),
                ("lower_bounds", .object(lower)),
                ("upper_bounds", .null),
                ("max_member_days_per_member", int(7)),
            ]))),
        ]))
    }

    public var json: JSONValue {
        var cells: [JSONValue] = [], tools: [JSONValue] = [], models: [JSONValue] = []
        var total: JSONValue = .null
        for (p, v) in positions {
            switch p {
            case .cell(let t, let m): cells.append(Self.entry([("tool", .string(t)), ("model", .string(m))], v))
            case .tool(let t): tools.append(Self.entry([("tool", .string(t))], v))
            case .model(let m): models.append(Self.entry([("model", .string(m))], v))
            case .total: total = Self.entry([], v)
            }
        }
        return .object(JSONObject([
            ("format", .string(Self.format)),
            ("id", .string(week.description)),
            ("sequence", Self.int(Int64(sequence))),
            ("previous", previous.map { .string($0) } ?? .null),
            ("period", .object(JSONObject([("start", .string(week.monday.description)), ("end", .string(week.sunday.description))]))),
            ("schema_versions", .array(schemaVersions.map { Self.int(Int64($0)) })),
            ("policy", Self.policyJSON(policy)),
            ("inputs", .object(JSONObject([("payloads", Self.int(Int64(payloadCount))), ("merkle_root", .string(merkleRoot))]))),
            ("cells", .array(cells)),
            ("margins", .object(JSONObject([("tools", .array(tools)), ("models", .array(models)), ("total", total)]))),
        ]))
    }

    /// The release file's bytes: RFC 8785, no trailing newline.
    public func canonicalBytes() throws(AnonError) -> [UInt8] {
        do { return try CanonicalJSON.serialize(json) } catch { throw .overflow(position: "release", measure: "\(error)") }
    }
}
