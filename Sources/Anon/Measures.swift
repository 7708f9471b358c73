/// The values every cell and margin carries (docs/release-format.md), in publication order.
///
/// Two kinds, audited differently: the six counters are exactly additive (a margin is the sum of its
/// cells), while `members` and `member_days` count distinct things and are not (one member can use two
/// models in the same tool-week), so the attacker only has inequalities for them (docs/release-format.md §6).
public enum Measure: Int, CaseIterable, Sendable, Hashable, Comparable, CustomStringConvertible {
    case members
    case memberDays
    case inputTokens
    case outputTokens
    case cacheReadTokens
    case cacheCreationTokens
    case costCents
    case sessions

    /// The field name in release documents.
    public var key: String {
        switch self {
        case .members: return "members"
        case .memberDays: return "member_days"
        case .inputTokens: return "input_tokens"
        case .outputTokens: return "output_tokens"
        case .cacheReadTokens: return "cache_read_tokens"
        case .cacheCreationTokens: return "cache_creation_tokens"
        case .costCents: return "cost_usd_cents"
        case .sessions: return "sessions"
        }
    }

    public var description: String { key }

    @inlinable public var isAdditive: Bool { self != .members && self != .memberDays }

    /// The six summed counters, in the order of `Contribution` arrays.
    public static let counters: [Measure] = [.inputTokens, .outputTokens, .cacheReadTokens, .cacheCreationTokens, .costCents, .sessions]
    public static let counts: [Measure] = [.members, .memberDays]

    public static func < (a: Measure, b: Measure) -> Bool { a.rawValue < b.rawValue }

    /// Index of a counter in `counters` (nil for the two counts).
    @inlinable package var counterIndex: Int? { isAdditive ? rawValue - 2 : nil }

    /// The smallest value a listed (hence non-empty) cell or margin can hold: every listed position has at
    /// least one member, one member-day and one session (the schema's `sessions` minimum); token and cent
    /// sums can be zero. Part of the attacker's assumed knowledge, written into each release's policy.
    public var attackerLowerBound: Int64 {
        switch self {
        case .members, .memberDays, .sessions: return 1
        default: return 0
        }
    }
}

/// The eight values of one position (cell, margin or total), indexed by `Measure`.
public struct MeasureValues: Hashable, Sendable {
    public private(set) var raw: [Int64]

    public init() { raw = Array(repeating: 0, count: Measure.allCases.count) }

    public subscript(_ m: Measure) -> Int64 {
        get { raw[m.rawValue] }
        set { raw[m.rawValue] = newValue }
    }
}
