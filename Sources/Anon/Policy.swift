/// The disclosure-control parameters of a release (docs/release-format.md). Written into every release.
public struct Policy: Hashable, Sendable {
    /// Minimum distinct members of a published cell or margin. Never below 5.
    public let k: Int
    /// The p% dominance rule: a position is unsafe on a counter when T − x1 − … − x(c+1) < p % of x1.
    public let p: Int
    /// Frequency primaries must leave every counter's feasibility interval covering ±this percent.
    public let protectionPercent: Int
    /// Format 2 (`backpay-attacker/2`): the largest coalition of members whose own contributions the audit
    /// covers, 1 or 2. Format 1 is always 1.
    public let coalition: Int
    /// Format 2: whether a homogeneous position (members = member-days, or member-days = sessions) is a
    /// primary too.
    public let homogeneity: Bool

    public static let minimumK = 5
    public static let coalitions = 1...2

    /// - Throws: `AnonError.policyRefused` for k < 5, p outside 1…99, a protection level outside 1…99 or a
    ///   coalition outside 1…2.
    public init(k: Int = 5, p: Int = 10, protectionPercent: Int = 30, coalition: Int = 1, homogeneity: Bool = false) throws(AnonError) {
        guard k >= Policy.minimumK else { throw .policyRefused("k = \(k) is below the minimum of \(Policy.minimumK) members") }
        guard (1...99).contains(p) else { throw .policyRefused("p = \(p) is outside 1…99") }
        guard (1...99).contains(protectionPercent) else { throw .policyRefused("protection level \(protectionPercent) % is outside 1…99") }
        guard Policy.coalitions.contains(coalition) else { throw .policyRefused("coalition \(coalition) is outside \(Policy.coalitions.lowerBound)…\(Policy.coalitions.upperBound) members") }
        self.k = k; self.p = p; self.protectionPercent = protectionPercent
        self.coalition = coalition; self.homogeneity = homogeneity
    }
}
