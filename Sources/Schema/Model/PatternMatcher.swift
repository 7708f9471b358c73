/// A compiled JSON Schema `pattern` (ECMAScript semantics: a search unless anchored with ^…$), backed by
/// the byte DFA of Sources/Schema/Regex.
public struct PatternMatcher: Sendable {
    public let dfa: ByteDFA
    public var source: String { dfa.pattern }

    public init(_ source: String) throws(SchemaCompileError.Reason) {
        do { self.dfa = try ByteDFA(pattern: source) } catch { throw .badPattern(source, error.description) }
    }

    public func matches(_ bytes: UnsafeRawBufferPointer) -> Bool { dfa.matches(bytes) }
    public func matches(_ s: String) -> Bool { dfa.matches(s) }
}
