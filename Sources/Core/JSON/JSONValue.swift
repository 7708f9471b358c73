/// A JSON value as the strict reader saw it.
///
/// Objects keep their members in document order (duplicates are rejected at parse time, so a key
/// names at most one member) and numbers keep their decimal text: nothing is rounded through
/// binary floating point until a caller asks for it.
public enum JSONValue: Equatable, Hashable, Sendable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// A short name of the value's JSON type, for messages ("expected integer, found string").
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number(let n): return n.isIntegerLexeme ? "integer" : "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var objectValue: JSONObject? { if case .object(let o) = self { return o } else { return nil } }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
    public var numberValue: JSONNumber? { if case .number(let n) = self { return n } else { return nil } }
    public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }

    /// The member named `key` when this is an object.
    public subscript(key: String) -> JSONValue? { objectValue?[key] }

    /// The value a JSON Pointer designates, or nil when it designates nothing.
    public func value(at pointer: JSONPointer) -> JSONValue? {
        var current = self
        for token in pointer.tokens {
            switch current {
            case .object(let o):
                guard let next = o[token] else { return nil }
                current = next
            case .array(let a):
                guard let i = JSONPointer.arrayIndex(token), i < a.count else { return nil }
                current = a[i]
            default:
                return nil
            }
        }
        return current
    }
}

/// An object's members in document order.
public struct JSONObject: Hashable, Sendable, Sequence {
    public private(set) var members: [(key: String, value: JSONValue)]

    public init(_ members: [(key: String, value: JSONValue)] = []) { self.members = members }

    public var count: Int { members.count }
    public var keys: [String] { members.map(\.key) }

    public subscript(key: String) -> JSONValue? {
        for m in members where m.key == key { return m.value }
        return nil
    }

    /// Sets `key`, replacing an existing member in place or appending a new one.
    public mutating func set(_ key: String, _ value: JSONValue) {
        if let i = members.firstIndex(where: { $0.key == key }) { members[i].value = value } else { members.append((key, value)) }
    }

    public mutating func remove(_ key: String) { members.removeAll { $0.key == key } }

    public func makeIterator() -> IndexingIterator<[(key: String, value: JSONValue)]> { members.makeIterator() }

    /// Two objects are equal when they hold the same members, whatever their order (JSON semantics).
    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        guard a.members.count == b.members.count else { return false }
        for m in a.members { guard let v = b[m.key], v == m.value else { return false } }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        // Order-independent, to agree with ==.
        var acc = 0
        for m in members { var h = Hasher(); h.combine(m.key); h.combine(m.value); acc ^= h.finalize() }
        hasher.combine(members.count)
        hasher.combine(acc)
    }
}

/// A JSON number kept as its decimal text (RFC 8259 grammar, already checked by the reader).
public struct JSONNumber: Hashable, Sendable, CustomStringConvertible {
    /// The number exactly as written in the document.
    public let lexeme: String

    public init(lexeme: String) { self.lexeme = lexeme }
    public init(_ value: Int64) { self.lexeme = String(value) }

    /// The largest integer every JSON reader holds exactly (I-JSON, RFC 7493 §2.2: 2^53−1, binary64's
    /// exact range). The one limit for integers the tool reads or writes: the strict reader refuses an
    /// integer beyond it that binary64 would change, canonical output cannot write one, and release
    /// fields (sequence, counts, sums) stop there.
    public static let maxExactInteger: Int64 = 9_007_199_254_740_991

    public var description: String { lexeme }

    /// True when the text has neither a fraction nor an exponent (`1.0` and `1e1` are not).
    public var isIntegerLexeme: Bool { !lexeme.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") } }

    /// The exact value when the text is an integer lexeme that fits in Int64.
    public var int64Value: Int64? { isIntegerLexeme ? Int64(lexeme) : nil }

    /// The nearest binary64 value (what JCS and ECMAScript see).
    public var doubleValue: Double { Double(lexeme) ?? .nan }

    /// The exact decimal value, as sign, digits and a power-of-ten exponent.
    public var decimal: ExactDecimal { ExactDecimal(lexeme: lexeme) }

    /// Two numbers are equal when they denote the same mathematical value (`1`, `1.0` and `1e0`).
    public static func == (a: JSONNumber, b: JSONNumber) -> Bool { a.decimal == b.decimal }
    public func hash(into hasher: inout Hasher) { hasher.combine(decimal) }
}

/// A decimal number held exactly: value = (negative ? -1 : 1) * digits * 10^exponent, normalised so that
/// `digits` has no leading or trailing zeros (zero is digits "" and exponent 0, never negative).
public struct ExactDecimal: Hashable, Sendable, Comparable {
    public let negative: Bool
    public let digits: [UInt8]   // ASCII digits, most significant first
    public let exponent: Int

    public init(lexeme: String) {
        var bytes = Array(lexeme.utf8)
        var neg = false
        if bytes.first == UInt8(ascii: "-") { neg = true; bytes.removeFirst() }
        var mantissa: [UInt8] = []
        var exp = 0
        var i = 0
        while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { mantissa.append(bytes[i]); i += 1 }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { mantissa.append(bytes[i]); exp -= 1; i += 1 }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            var eneg = false
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { eneg = bytes[i] == UInt8(ascii: "-"); i += 1 }
            var e = 0
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
                // Clamp: exponents beyond a million are not meaningful for any check we make.
                if e < 1_000_000 { e = e * 10 + Int(bytes[i] - 0x30) }
                i += 1
            }
            exp += eneg ? -e : e
        }
        while let f = mantissa.first, f == 0x30 { mantissa.removeFirst() }
        while let l = mantissa.last, l == 0x30 { mantissa.removeLast(); exp += 1 }
        if mantissa.isEmpty { self.init(negative: false, digits: [], exponent: 0) } else { self.init(negative: neg, digits: mantissa, exponent: exp) }
    }

    public init(negative: Bool, digits: [UInt8], exponent: Int) {
        self.negative = negative; self.digits = digits; self.exponent = exponent
    }

    public var isZero: Bool { digits.isEmpty }
    /// True when the value is a whole number.
    public var isInteger: Bool { exponent >= 0 }
    /// Number of decimal places needed to write the value exactly (0 for whole numbers).
    public var decimalPlaces: Int { max(0, -exponent) }

    /// The value scaled by 10^places, when that is a whole number fitting in Int64.
    public func scaled(by places: Int) -> Int64? {
        let e = exponent + places
        guard e >= 0, digits.count + e <= 19 else { return digits.isEmpty ? 0 : nil }
        var v: Int64 = 0
        for d in digits { let (m, o1) = v.multipliedReportingOverflow(by: 10); let (a, o2) = m.addingReportingOverflow(Int64(d - 0x30)); if o1 || o2 { return nil }; v = a }
        for _ in 0..<e { let (m, o) = v.multipliedReportingOverflow(by: 10); if o { return nil }; v = m }
        return negative ? -v : v
    }

    public static func < (a: ExactDecimal, b: ExactDecimal) -> Bool {
        if a.negative != b.negative { return a.negative }
        let mag = compareMagnitude(a, b)
        return a.negative ? mag > 0 : mag < 0
    }

    /// -1, 0 or 1 as |a| is below, equal to or above |b|.
    package static func compareMagnitude(_ a: ExactDecimal, _ b: ExactDecimal) -> Int {
        if a.isZero || b.isZero { return a.isZero ? (b.isZero ? 0 : -1) : 1 }
        // Position of the most significant digit.
        let am = a.digits.count + a.exponent, bm = b.digits.count + b.exponent
        if am != bm { return am < bm ? -1 : 1 }
        let n = max(a.digits.count, b.digits.count)
        for i in 0..<n {
            let x = i < a.digits.count ? a.digits[i] : 0x30
            let y = i < b.digits.count ? b.digits[i] : 0x30
            if x != y { return x < y ? -1 : 1 }
        }
        return 0
    }
}
