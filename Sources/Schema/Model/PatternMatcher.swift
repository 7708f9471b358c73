/// A compiled JSON Schema `pattern` (ECMAScript semantics: a search unless anchored with ^…$).
public struct PatternMatcher: @unchecked Sendable {
    public let source: String
    private let regex: Regex<AnyRegexOutput>

    public init(_ source: String) throws(SchemaCompileError.Reason) {
        self.source = source
        do { self.regex = try Regex(source) } catch { throw .badPattern(source, String(describing: error)) }
    }

    public func matches(_ bytes: UnsafeRawBufferPointer) -> Bool {
        matches(String(decoding: bytes, as: UTF8.self))
    }

    public func matches(_ s: String) -> Bool {
        (try? regex.firstMatch(in: s)) != nil
    }
}
