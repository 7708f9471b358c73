import Core

/// Why the Anon module refused to produce or judge a table. Every case is a reason to release nothing:
/// a partly protected table is never an answer.
public enum AnonError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A policy outside what docs/release-format.md allows (k below 5, p outside 1…99, a protection level below 1 %).
    case policyRefused(String)
    /// A counter below zero: dominance rules and the audit's bounds assume non-negative data, so a
    /// negative value is an error and never a reason to skip a rule.
    case negativeValue(panelist: String, date: String, field: String, value: Int64)
    /// The same (tool, model) twice in one payload, or a payload with no entries.
    case inconsistentPayload(panelist: String, date: String, reason: String)
    /// A sum that does not fit in 64 bits (or beyond the 2^53 exact range of a JSON number).
    case overflow(position: String, measure: String)
    /// Two payloads for the same (panelist, date) reached aggregation.
    case conflict(panelist: String, date: String)
    /// The audit's bound propagation did not settle (a bug guard: the audit never guesses).
    case auditDidNotConverge(position: String, measure: String)
    /// Secondary suppression ran out of cells to suppress while a value was still exposed.
    case cannotProtect(position: String, measure: String)

    public var description: String {
        switch self {
        case .policyRefused(let why): return "policy refused: \(why)"
        case .negativeValue(let p, let d, let f, let v):
            return "payload \(quoteForMessage(p)) \(d): \(f) is \(v); counters must not be negative"
        case .inconsistentPayload(let p, let d, let why): return "payload \(quoteForMessage(p)) \(d): \(why)"
        case .overflow(let pos, let m): return "\(pos): \(m) does not fit in an exact 53-bit integer"
        case .conflict(let p, let d): return "two payloads for panelist \(quoteForMessage(p)) on \(d)"
        case .auditDidNotConverge(let pos, let m): return "\(pos): \(m): the audit's bound propagation did not settle"
        case .cannotProtect(let pos, let m): return "\(pos): \(m): no suppression pattern protects this value"
        }
    }
}


/// The largest value a release may hold: JSON numbers are exact only up to 2^53 − 1 (I-JSON), and the
/// audit's flow arithmetic needs headroom far below Int64.max.
public let maxExactValue: Int64 = JSONNumber.maxExactInteger

@inline(__always)
@inlinable package func checkedAdd(_ a: Int64, _ b: Int64, _ position: @autoclosure () -> String, _ m: Measure) throws(AnonError) -> Int64 {
    let (s, o) = a.addingReportingOverflow(b)
    // maxExactValue (2^53 − 1) written out: this runs for every sum of a week in Intake, and reading a
    // global of another module there costs a lazy-initialisation check each time (about 1 % of a build).
    guard !o, s < 1 << 53 else { throw .overflow(position: position(), measure: m.key) }
    return s
}
