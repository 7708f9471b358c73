/// SplitMix64 (Steele, Lea, Flood 2014): a tiny seeded generator, so property tests are reproducible and a
/// failure names the seed that brings it back. Shared by every test target.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64

    public init(state: UInt64) { self.state = state }
    public init(seed: UInt64) { self.state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform value in `range`.
    public mutating func next(_ range: ClosedRange<Int64>) -> Int64 { Int64.random(in: range, using: &self) }
}
