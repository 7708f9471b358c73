/// A leaf value as the validator saw it, handed to a sink while it walks (no allocation for numbers
/// and vocabulary words).
public enum LeafValue {
    /// Index of a vocabulary word in the schema's `enum`.
    case enumIndex(Int)
    case integer(Int64)
    /// A number with `x-backpay-max-decimals: N`, scaled by 10^N (cost in cents).
    case scaled(Int64)
    /// Any other number, exactly.
    case decimal(ExactDecimal)
    /// A string's raw bytes (no escapes were involved), valid only during the call.
    case bytes(UnsafeRawBufferPointer)
    /// A string that had escapes, decoded.
    case string(String)
    case bool(Bool)
    case null
}

/// Receives the values of a payload while it is validated, so a caller can build its own model in the
/// same pass. Leaves are identified by the `slot` of the property declaration that holds them.
public protocol PayloadSink {
    mutating func leaf(slot: Int, _ value: LeafValue)
    /// An item of the array held by property `slot` has been read.
    mutating func endItem(slot: Int)
}

/// A sink that keeps nothing: plain validation.
public struct DiscardingSink: PayloadSink {
    public init() {}
    @inline(__always) public mutating func leaf(slot: Int, _ value: LeafValue) {}
    @inline(__always) public mutating func endItem(slot: Int) {}
}
