import Core
/// The closed-schema model: what a JSON Schema document compiles to. Only the allow-listed keywords of
/// docs/schema-rules.md (plus the `x-backpay-*` toolkit rules) have a meaning here; the compiler
/// refuses any other keyword rather than ignoring it.
public final class SchemaNode: @unchecked Sendable {
    /// Where this subschema sits in the schema document (for messages and lint).
    public let schemaPointer: JSONPointer
    /// The property name this node validates, when it is a property's subschema (for messages).
    public internal(set) var name: String?
    public internal(set) var kind: Kind
    /// A `const` value, when present (checked in addition to the kind).
    public internal(set) var constant: JSONValue?

    public enum Kind {
        /// No type constraint: any value (only reachable through open constructs that lint rejects).
        case any
        case object(ObjectShape)
        case array(ArrayShape)
        case string(StringShape)
        case integer(NumberShape)
        case number(NumberShape)
        case boolean
        case null
    }

    init(schemaPointer: JSONPointer, kind: Kind) {
        self.schemaPointer = schemaPointer
        self.kind = kind
    }

    public var typeName: String {
        switch kind {
        case .any: return "any"
        case .object: return "object"
        case .array: return "array"
        case .string: return "string"
        case .integer: return "integer"
        case .number: return "number"
        case .boolean: return "boolean"
        case .null: return "null"
        }
    }
}

public struct ObjectShape {
    public struct Property {
        public let name: String
        /// The name's UTF-8 bytes, for byte comparison against unescaped keys on the hot path.
        public let utf8: [UInt8]
        public let node: SchemaNode
        public let required: Bool
        /// A number unique to this property declaration in the compiled schema: sinks identify leaves by it.
        public let slot: Int
    }
    /// Properties sorted by name in UTF-16 order (the canonical member order).
    public var properties: [Property]
    /// False when `additionalProperties: false`; an open object accepts unknown members.
    public var allowsAdditional: Bool
    /// Bit i set when properties[i] is required (objects with more than 64 properties are refused).
    public var requiredMask: UInt64
}

public struct ArrayShape {
    public var items: SchemaNode
    public var minItems: Int
    public var maxItems: Int?
    /// `x-backpay-unique-by`: item properties whose values together must be unique; the canonical form
    /// orders items by them (UTF-16 order of the string values).
    public var uniqueBy: [String]
    public var uniqueItems: Bool
    /// Indices (into the item object's sorted properties) of the `uniqueBy` properties.
    public var uniqueProps: [Int] = []
    /// For each unique property that is a string enum: the UTF-16 rank of each enum value, so that packed
    /// ranks compare like the canonical order of the strings.
    public var uniqueRanks: [[Int]?] = []
}

public struct StringShape {
    public var enumValues: [String]? {
        didSet { enumByLength = Self.bucket(enumValues ?? []) }
    }
    /// Enum indices grouped by UTF-8 length, for byte comparison on the hot path.
    public private(set) var enumByLength: [[(index: Int, bytes: [UInt8])]] = []
    public var pattern: PatternMatcher?
    public var patternSource: String?
    public var format: StringFormat?
    public var minLength: Int?
    public var maxLength: Int?
    /// `x-backpay-calendar-date`: the string must be a real calendar day within these bounds.
    public var calendar: CalendarRule?

    static func bucket(_ values: [String]) -> [[(index: Int, bytes: [UInt8])]] {
        var out: [[(index: Int, bytes: [UInt8])]] = []
        for (i, v) in values.enumerated() {
            let b = Array(v.utf8)
            while out.count <= b.count { out.append([]) }
            out[b.count].append((i, b))
        }
        return out
    }
}

public enum StringFormat: String, Sendable {
    case uuid
    case date
}

/// Bounds of a calendar date; `maximum` may be relative to today (`today+N`), resolved at validation time.
public struct CalendarRule: Sendable {
    public var minimum: CalendarDay?
    public var maximum: DayBound?

    public enum DayBound: Sendable {
        case fixed(CalendarDay)
        case today(plus: Int)
        public func resolve(today: CalendarDay) -> CalendarDay {
            switch self {
            case .fixed(let d): return d
            case .today(let n): return today.adding(days: n)
            }
        }
    }
}

public struct NumberShape {
    public var minimum: ExactDecimal?
    public var maximum: ExactDecimal?
    public var exclusiveMinimum: Bool
    public var exclusiveMaximum: Bool
    /// `x-backpay-max-decimals`: at most this many decimal places, decided on the decimal text.
    public var maxDecimals: Int?
    /// Fast-path bounds when both are whole numbers that fit Int64.
    public var intMin: Int64?
    public var intMax: Int64?
    /// With `maxDecimals`, the bounds scaled by 10^maxDecimals (inclusive), for integer comparison.
    public var scaledMin: Int64?
    public var scaledMax: Int64?
}
