/// The disclosure-control parameters of a release (DESIGN.md §5). Written into every release.
public struct Policy: Hashable, Sendable {
    /// Minimum distinct members of a published cell or margin. Never below 5.
    public let k: Int
    /// The p% dominance rule: a position is unsafe on a counter when T − x1 − x2 < p % of x1.
    public let p: Int
    /// Frequency primaries must leave every counter's feasibility interval covering ±this percent.
    public let protectionPercent: Int

    public static let minimumK = 5

    /// - Throws: `AnonError.policyRefused` for k < 5, p outside 1…99 or a protection level outside 1…99.
    public init(k: Int = 5, p: Int = 10, protectionPercent: Int = 30) throws(AnonError) {
        guard k >= Policy.minimumK else { throw .policyRefused("k = \(k) is below the minimum of \(Policy.minimumK) members") }
        guard (1...99).contains(p) else { throw .policyRefused("p = \(p) is outside 1…99") }
        guard (1...99).contains(protectionPercent) else { throw .policyRefused("protection level \(protectionPercent) % is outside 1…99") }
        self.k = k; self.p = p; self.protectionPercent = protectionPercent
    }
}
