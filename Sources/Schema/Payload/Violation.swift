import Core
/// One way a payload breaks the schema: a stable rule code, where (JSON Pointer and source location), and a
/// message a member can act on.
public struct Violation: Hashable, Sendable, CustomStringConvertible {
    public let rule: Rule
    public let pointer: JSONPointer
    public let location: SourceLocation
    public let message: String
    /// For syntax problems, the precise kind (`syntax.duplicate-key`).
    public let syntaxCode: String?

    public init(rule: Rule, pointer: JSONPointer, location: SourceLocation, message: String, syntaxCode: String? = nil) {
        self.rule = rule; self.pointer = pointer; self.location = location; self.message = message; self.syntaxCode = syntaxCode
    }

    /// `LINE:COL: POINTER: message` (the caller puts the file name in front).
    public var description: String { "\(location): \(pointer.display): \(message)" }

    /// Stable rule codes, used in `--format json` and the golden files.
    public enum Rule: String, Hashable, Sendable, CaseIterable {
        case syntax = "syntax"
        case size = "size"
        case depth = "depth"
        case type = "type"
        case const = "const"
        case enumeration = "enum"
        case lookalike = "enum.lookalike"
        case pattern = "pattern"
        case uuidFormat = "format.uuid"
        case dateFormat = "format.date"
        case calendarDate = "date.calendar"
        case dateRange = "date.range"
        case minimum = "minimum"
        case maximum = "maximum"
        case integerLexeme = "integer.lexeme"
        case decimals = "decimals"
        case required = "required"
        case additionalProperty = "additional-property"
        case minItems = "min-items"
        case maxItems = "max-items"
        case uniqueBy = "unique-by"
        case uniqueItems = "unique-items"
        case minLength = "min-length"
        case maxLength = "max-length"
        case consent = "consent"
    }
}

/// A freedom that valid but non-canonical bytes carry (RFC 8785 + sorted entries, docs/payload-format.md): each is
/// room to smuggle bits past a member who previews the payload.
public struct CanonicalFreedom: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case whitespace = "whitespace"
        case memberOrder = "member-order"
        case itemOrder = "entry-order"
        case escape = "escape"
        case numberSpelling = "number-spelling"
    }
    public let kind: Kind
    public let pointer: JSONPointer
    public let location: SourceLocation
    public let detail: String

    public var description: String { "\(location): \(pointer.display): \(detail)" }
}

/// The result of checking one payload.
public struct PayloadReport: Sendable {
    public var violations: [Violation] = []
    /// Non-canonical aspects (first occurrence of each kind), meaningful only when the bytes parsed.
    public var freedoms: [CanonicalFreedom] = []
    public var isValid: Bool { violations.isEmpty }
    public var isCanonical: Bool { freedoms.isEmpty }

    public init(violations: [Violation] = [], freedoms: [CanonicalFreedom] = []) {
        self.violations = violations; self.freedoms = freedoms
    }
}

extension JSONSyntaxProblem {
    /// The rule code of a reading failure.
    var rule: Violation.Rule {
        switch self {
        case .tooLarge: return .size
        case .tooDeep: return .depth
        default: return .syntax
        }
    }

    /// A short stable code for the kind of syntax problem (`syntax.duplicate-key`), for reports.
    public var code: String {
        switch self {
        case .empty: return "syntax.empty"
        case .byteOrderMark: return "syntax.bom"
        case .tooLarge: return "size"
        case .tooDeep: return "depth"
        case .unexpectedEnd: return "syntax.unexpected-end"
        case .unexpectedByte: return "syntax.unexpected-byte"
        case .invalidUTF8: return "syntax.invalid-utf8"
        case .controlCharacterInString: return "syntax.control-character"
        case .invalidEscape: return "syntax.invalid-escape"
        case .loneSurrogate: return "syntax.lone-surrogate"
        case .noncharacter: return "syntax.noncharacter"
        case .invalidNumber: return "syntax.invalid-number"
        case .nonFiniteLiteral: return "syntax.non-finite"
        case .numberOutOfRange, .integerNotExact: return "syntax.number-out-of-range"
        case .duplicateKey: return "syntax.duplicate-key"
        case .trailingContent: return "syntax.trailing-content"
        }
    }
}

extension Violation {
    /// The rule code as reported: syntax problems carry their precise kind.
    public var code: String { syntaxCode ?? rule.rawValue }
}
