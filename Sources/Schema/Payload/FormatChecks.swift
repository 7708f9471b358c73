/// The `uuid` format as this toolkit requires it: RFC 9562 text, lower-case hex, version 4, RFC variant.
/// Each failure is explained (upper case, missing hyphens, another version) so a member knows what is off.
enum UUIDCheck {
    /// The language `isValid` accepts, as a pattern (for proofs about a schema's own pattern).
    static let pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"

    static func problem(_ s: UnsafeRawBufferPointer) -> String? {
        if s.count == 32 && s.allSatisfy(isHex) { return "the hyphens are missing (write 8-4-4-4-12)" }
        if s.count == 38, s.first == 0x7B, s.last == 0x7D { return "remove the braces" }
        guard s.count == 36 else { return "it has \(s.count) characters; a UUID has 36 (8-4-4-4-12 hex digits)" }
        for i in [8, 13, 18, 23] where s[i] != 0x2D { return "a hyphen is expected at position \(i + 1)" }
        var upper = false
        for (i, b) in s.enumerated() where ![8, 13, 18, 23].contains(i) {
            if b >= 0x41 && b <= 0x46 { upper = true } else if !isHex(b) || (b >= 0x41 && b <= 0x5A) {
                return "\(describeByte(b)) at position \(i + 1) is not a hex digit"
            }
        }
        if upper { return "it has upper-case hex digits (write them in lower case)" }
        if s[14] != 0x34 { return "it is version \(Character(Unicode.Scalar(s[14]))), not 4: the member id must be random" }
        if ![0x38, 0x39, 0x61, 0x62].contains(s[19]) { return "its variant digit \(Character(Unicode.Scalar(s[19]))) is not 8, 9, a or b (RFC 9562 variant)" }
        return nil
    }

    /// The fast check: 36 bytes, lower-case hex, hyphens at 8-4-4-4-12, version 4, RFC variant.
    @inline(__always)
    static func isValid(_ s: UnsafeRawBufferPointer) -> Bool {
        guard s.count == 36, s[8] == 0x2D, s[13] == 0x2D, s[18] == 0x2D, s[23] == 0x2D, s[14] == 0x34 else { return false }
        let v = s[19]
        guard v == 0x38 || v == 0x39 || v == 0x61 || v == 0x62 else { return false }
        for i in 0..<36 where i != 8 && i != 13 && i != 18 && i != 23 {
            let b = s[i]
            if !(isDigit(b) || (b >= 0x61 && b <= 0x66)) { return false }
        }
        return true
    }

    @inline(__always) static func isHex(_ b: UInt8) -> Bool { isDigit(b) || (b >= 0x61 && b <= 0x66) || (b >= 0x41 && b <= 0x46) }
}

/// The `date` format: RFC 3339 full-date `YYYY-MM-DD` naming a real proleptic-Gregorian day.
enum DateCheck {
    struct Problem { let message: String; let calendar: Bool }

    static func problem(_ s: UnsafeRawBufferPointer) -> Problem? {
        guard s.count == 10, s[4] == 0x2D, s[7] == 0x2D,
              (0..<10).allSatisfy({ $0 == 4 || $0 == 7 || isDigit(s[$0]) }) else {
            if s.count > 10, s.count <= 40, (0..<10).allSatisfy({ $0 == 4 || $0 == 7 || isDigit(s[$0]) }), s[4] == 0x2D, s[7] == 0x2D {
                return Problem(message: "is not a date YYYY-MM-DD: remove what follows the day (days only, no time or other text)", calendar: false)
            }
            return Problem(message: "is not a date YYYY-MM-DD", calendar: false)
        }
        func num(_ r: Range<Int>) -> Int { r.reduce(0) { $0 * 10 + Int(s[$1] - 0x30) } }
        let y = num(0..<4), m = num(5..<7), d = num(8..<10)
        if m < 1 || m > 12 { return Problem(message: "is not a calendar date: there is no month \(m)", calendar: true) }
        if y == 0 { return Problem(message: "is not a calendar date: there is no year 0000", calendar: true) }
        let days = CalendarDay.daysIn(month: m, year: y)
        if d < 1 || d > days {
            let names = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
            return Problem(message: "is not a calendar date: \(names[m - 1]) \(y) has \(days) days", calendar: true)
        }
        return nil
    }

    /// The day a valid `YYYY-MM-DD` string names.
    @inline(__always)
    static func day(_ s: UnsafeRawBufferPointer) -> CalendarDay? {
        guard s.count == 10 else { return nil }
        func num(_ r: Range<Int>) -> Int { r.reduce(0) { $0 * 10 + Int(s[$1] &- 0x30) } }
        return CalendarDay(year: num(0..<4), month: num(5..<7), day: num(8..<10))
    }
}
