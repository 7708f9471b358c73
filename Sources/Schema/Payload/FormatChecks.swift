import Core
/// The `uuid` format as this toolkit requires it: RFC 9562 text, lower-case hex, version 4, RFC variant.
/// Each failure is explained (upper case, missing hyphens, another version) so a member knows what is off.
public enum UUIDCheck {
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
        guard s.count == 36, s[14] == 0x34 else { return false }
        let v = s[19]
        guard v == 0x38 || v == 0x39 || v == 0x61 || v == 0x62 else { return false }
        return words(s, upperCase: false) != nil
    }

    /// The 128 bits of a UUID written as 36 bytes `8-4-4-4-12` of hex digits (lower case, or either case
    /// when `upperCase`), as two words that compare in the order of the lower-case text; nil when the
    /// bytes are not such a UUID. Eight digits at a time (SWAR): every payload of a store export has one.
    @inline(__always)
    public static func words(_ s: UnsafeRawBufferPointer, upperCase: Bool) -> (UInt64, UInt64)? {
        guard s.count == 36, let p = s.baseAddress, s[8] == 0x2D, s[13] == 0x2D, s[18] == 0x2D, s[23] == 0x2D else { return nil }
        // The 32 digits without hyphens: 0-7, 9-12 ‖ 14-17, 19-22 ‖ 24-27, 28-35.
        let a = p.loadUnaligned(as: UInt64.self)
        let b = UInt64(p.loadUnaligned(fromByteOffset: 9, as: UInt32.self)) | UInt64(p.loadUnaligned(fromByteOffset: 14, as: UInt32.self)) << 32
        let c = UInt64(p.loadUnaligned(fromByteOffset: 19, as: UInt32.self)) | UInt64(p.loadUnaligned(fromByteOffset: 24, as: UInt32.self)) << 32
        let d = p.loadUnaligned(fromByteOffset: 28, as: UInt64.self)
        guard let va = hex8(a, upperCase), let vb = hex8(b, upperCase), let vc = hex8(c, upperCase), let vd = hex8(d, upperCase) else { return nil }
        return (va << 32 | vb, vc << 32 | vd)
    }

    /// Eight ASCII hex digits, the first in the lowest byte (a little-endian load), as their 32-bit value.
    @inline(__always)
    static func hex8(_ w: UInt64, _ upperCase: Bool) -> UInt64? {
        let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
        guard w & high == 0 else { return nil }
        // With every byte below 0x80, adding (0x80 - t) sets a byte's high bit exactly when it is >= t,
        // and never carries into the next byte.
        func atLeast(_ x: UInt64, _ t: UInt64) -> UInt64 { (x &+ ones &* (0x80 - t)) & high }
        let digit = atLeast(w, 0x30) & ~atLeast(w, 0x3A)
        let lower = upperCase ? w | ones &* 0x20 : w   // digits already have bit 5 set
        let letter = atLeast(lower, 0x61) & ~atLeast(lower, 0x67)
        guard digit | letter == high else { return nil }
        // Nibble values (letters: low four bits + 9), then pairs, quads and the whole, first digit highest.
        let nib = (w & (ones &* 0x0F)) &+ (letter >> 7) &* 9
        let pairs = ((nib & 0x0F00_0F00_0F00_0F00) >> 8) | ((nib & 0x000F_000F_000F_000F) << 4)
        let quads = ((pairs & 0x0000_00FF_0000_00FF) << 8) | ((pairs & 0x00FF_0000_00FF_0000) >> 16)
        return (quads & 0xFFFF) << 16 | (quads >> 32) & 0xFFFF
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
