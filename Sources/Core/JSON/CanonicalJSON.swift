/// RFC 8785 JSON Canonicalization Scheme (JCS): no insignificant whitespace, object members sorted by the
/// UTF-16 code units of their names, numbers written the way ECMAScript writes binary64 values, and strings
/// escaped minimally (`"`, `\` and U+0000–U+001F only; `\b \t \n \f \r` where they exist, else `\u00xx`).
public enum CanonicalJSON {
    /// Why a value has no canonical form.
    public enum Failure: Error, Hashable, Sendable, CustomStringConvertible {
        /// I-JSON: an integer beyond ±(2^53−1) would change value when read as binary64.
        case integerOutOfRange(JSONPointer, String)
        case nonFinite(JSONPointer, String)

        public var description: String {
            switch self {
            case .integerOutOfRange(let p, let lexeme):
                return "\(p.display): \(lexeme) is beyond ±(2^53-1) and cannot be written canonically without changing its value"
            case .nonFinite(let p, let lexeme):
                return "\(p.display): \(lexeme) is not a finite binary64 number"
            }
        }
    }

    /// The canonical bytes of `value`.
    public static func serialize(_ value: JSONValue) throws(Failure) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        var path: [PathStep] = []
        try write(value, into: &out, path: &path)
        return out
    }

    /// The canonical text of `value` (UTF-8).
    public static func string(_ value: JSONValue) throws(Failure) -> String {
        String(decoding: try serialize(value), as: UTF8.self)
    }

    package static func write(_ value: JSONValue, into out: inout [UInt8], path: inout [PathStep]) throws(Failure) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .string(let s): writeString(s, into: &out)
        case .number(let n):
            guard let text = canonicalNumber(n) else {
                let p = pointer(from: path)
                if n.isIntegerLexeme { throw .integerOutOfRange(p, n.lexeme) }
                throw .nonFinite(p, n.lexeme)
            }
            out.append(contentsOf: text.utf8)
        case .array(let items):
            out.append(0x5B)
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(0x2C) }
                path.append(.index(i))
                try write(item, into: &out, path: &path)
                path.removeLast()
            }
            out.append(0x5D)
        case .object(let o):
            out.append(0x7B)
            let sorted = o.members.sorted { utf16Less($0.key, $1.key) }
            for (i, m) in sorted.enumerated() {
                if i > 0 { out.append(0x2C) }
                writeString(m.key, into: &out)
                out.append(0x3A)
                path.append(.key(m.key))
                try write(m.value, into: &out, path: &path)
                path.removeLast()
            }
            out.append(0x7D)
        }
    }

    /// Orders strings by their UTF-16 code units, as RFC 8785 §3.2.3 requires (a surrogate pair sorts
    /// before U+E000–U+FFFF, unlike code-point order).
    public static func utf16Less(_ a: String, _ b: String) -> Bool {
        // Fast path: ASCII (and any BMP text below the surrogates) orders the same bytewise.
        var ia = a.utf16.makeIterator(), ib = b.utf16.makeIterator()
        while true {
            switch (ia.next(), ib.next()) {
            case (nil, nil): return false
            case (nil, _): return true
            case (_, nil): return false
            case (let x?, let y?): if x != y { return x < y }
            }
        }
    }

    package static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(0x22)
        for b in s.utf8 {
            switch b {
            case 0x22: out.append(0x5C); out.append(0x22)
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x08: out.append(0x5C); out.append(0x62)
            case 0x09: out.append(0x5C); out.append(0x74)
            case 0x0A: out.append(0x5C); out.append(0x6E)
            case 0x0C: out.append(0x5C); out.append(0x66)
            case 0x0D: out.append(0x5C); out.append(0x72)
            case 0x00..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
            default: out.append(b)
            }
        }
        out.append(0x22)
    }

    /// The ECMAScript spelling of a JSON number's binary64 value, or nil when it has none that keeps its
    /// value (integers beyond 2^53−1 other than ECMAScript's own spellings, overflow to infinity).
    public static func canonicalNumber(_ n: JSONNumber) -> String? {
        let lexeme = n.lexeme
        // Fast path: a short integer lexeme is its own canonical form once "-0" is folded.
        if n.isIntegerLexeme, lexeme.utf8.count <= 16 {
            if lexeme == "-0" { return "0" }
            if let v = Int64(lexeme), v.magnitude <= JSONNumber.maxExactInteger.magnitude { return String(v) }
        }
        if n.isIntegerLexeme {
            // I-JSON: an integer written as such must survive the trip through binary64.
            if let v = Int64(lexeme), v.magnitude <= JSONNumber.maxExactInteger.magnitude { return String(v) }
            // Beyond 2^53−1 only the ECMAScript spelling of a binary64 value survives: it reads back as the
            // same value and is written back as the same text. This writer produces such spellings itself
            // (9007199275440991.1 becomes 9007199275440992, 1e20 becomes 100000000000000000000), so
            // rejecting them would make canonical output fail to canonicalise again (found by fuzz-json).
            if let d = Double(lexeme), d.isFinite, ecmaScriptString(d) == lexeme { return lexeme }
            return nil
        }
        guard let d = Double(lexeme), d.isFinite else { return nil }
        return ecmaScriptString(d)
    }

    /// ECMA-262 Number::toString(10) for a finite binary64 value.
    public static func ecmaScriptString(_ d: Double) -> String {
        if d == 0 { return "0" }
        // Swift's description is the shortest round-tripping digit string, the same choice ECMAScript makes.
        let (negative, digits, pointPos) = decompose(d)
        let k = digits.count, n = pointPos
        var out = negative ? "-" : ""
        if k <= n && n <= 21 {
            out += digits + String(repeating: "0", count: n - k)
        } else if 0 < n && n <= 21 {
            let i = digits.index(digits.startIndex, offsetBy: n)
            out += digits[..<i] + "." + digits[i...]
        } else if -6 < n && n <= 0 {
            out += "0." + String(repeating: "0", count: -n) + digits
        } else {
            let e = n - 1
            let sign = e < 0 ? "-" : "+"
            if k == 1 { out += digits } else { out += String(digits.first!) + "." + digits.dropFirst() }
            out += "e" + sign + String(abs(e))
        }
        return out
    }

    /// Splits a finite non-zero double into sign, significant digits (no leading or trailing zeros) and
    /// the position of the decimal point relative to the first digit (value = 0.DIGITS × 10^pointPos).
    package static func decompose(_ d: Double) -> (Bool, String, Int) {
        var text = Array(d.magnitude.description.utf8)
        var exp = 0
        if let e = text.firstIndex(where: { $0 == 0x65 || $0 == 0x45 }) {
            exp = Int(String(decoding: text[(e + 1)...], as: UTF8.self)) ?? 0
            text = Array(text[..<e])
        }
        var digits: [UInt8] = []
        var pointAt = text.count
        for (i, c) in text.enumerated() {
            if c == 0x2E { pointAt = i } else { digits.append(c) }
        }
        // pointAt counts digits before the point in the mantissa text.
        var pos = pointAt + exp
        while let f = digits.first, f == 0x30 { digits.removeFirst(); pos -= 1 }
        while let l = digits.last, l == 0x30 { digits.removeLast() }
        return (d < 0, String(decoding: digits, as: UTF8.self), pos)
    }
}
