import Core
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
    /// The common leaves, without building a `LeafValue` (the hot path of large exports). Each defaults
    /// to `leaf(slot:_:)` with the matching case.
    mutating func enumIndex(slot: Int, _ index: Int)
    mutating func integer(slot: Int, _ value: Int64)
    mutating func scaled(slot: Int, _ value: Int64)
    mutating func bytes(slot: Int, _ raw: UnsafeRawBufferPointer)
    /// An integer and the byte offset where its text starts, for sinks that point at a value (the
    /// consent check does). Defaults to `integer(slot:_:)`.
    mutating func integer(slot: Int, _ value: Int64, at offset: Int)
    /// Forget every value of the payload being checked: the validator is about to read it again from the
    /// start (its canonical-form fast path gave up part way).
    mutating func reset()

    // The structure, for sinks that rebuild the whole value (the canonical writer does). Only the
    // walker reports it: a payload the canonical-form fast path accepts is its own canonical form and
    // needs no rebuilding. Each defaults to nothing.

    /// An object or array starts: the value of property `slot`, or an array item or the root (-1).
    mutating func open(_ container: PayloadContainer, slot: Int)
    /// The innermost open object or array ends.
    mutating func close()
    /// A value the schema does not type (an untyped subschema, or an unknown member when the schema
    /// allows them, with its `key`), read whole.
    mutating func untyped(slot: Int, key: String?, _ value: JSONValue)
}

public enum PayloadContainer: Sendable { case object, array }

extension PayloadSink {
    @inline(__always) public mutating func enumIndex(slot: Int, _ index: Int) { leaf(slot: slot, .enumIndex(index)) }
    @inline(__always) public mutating func integer(slot: Int, _ value: Int64) { leaf(slot: slot, .integer(value)) }
    @inline(__always) public mutating func scaled(slot: Int, _ value: Int64) { leaf(slot: slot, .scaled(value)) }
    @inline(__always) public mutating func bytes(slot: Int, _ raw: UnsafeRawBufferPointer) { leaf(slot: slot, .bytes(raw)) }
    @inline(__always) public mutating func integer(slot: Int, _ value: Int64, at offset: Int) { integer(slot: slot, value) }
    @inline(__always) public mutating func open(_ container: PayloadContainer, slot: Int) {}
    @inline(__always) public mutating func close() {}
    @inline(__always) public mutating func untyped(slot: Int, key: String?, _ value: JSONValue) {}
}

/// A sink that keeps nothing: plain validation.
public struct DiscardingSink: PayloadSink {
    public init() {}
    @inline(__always) public mutating func leaf(slot: Int, _ value: LeafValue) {}
    @inline(__always) public mutating func endItem(slot: Int) {}
    @inline(__always) public mutating func reset() {}
}
