// Calendar days and ISO 8601 weeks: the dates payloads carry and the weeks releases cover.

/// A proleptic-Gregorian calendar day (UTC), valid by construction.
public struct CalendarDay: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Nil unless the triple names a real day (no 2026-02-30, leap years honoured).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
              day <= CalendarDay.daysIn(month: month, year: year) else { return nil }
        self.year = year; self.month = month; self.day = day
    }

    /// Parses `YYYY-MM-DD` exactly (ten ASCII bytes).
    public init?(_ text: some StringProtocol) {
        let u = Array(text.utf8)
        guard let d = u.withUnsafeBytes({ CalendarDay(utf8: $0) }) else { return nil }
        self = d
    }

    /// Parses `YYYY-MM-DD` from bytes, without building a string (the release builder reads a date per payload).
    public init?(utf8 u: UnsafeRawBufferPointer) {
        guard u.count == 10, u[4] == 0x2D, u[7] == 0x2D else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r { guard isDigit(u[i]) else { return nil }; v = v * 10 + Int(u[i] - 0x30) }
            return v
        }
        guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (negative before), by the civil-from-days algorithm (H. Hinnant).
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    public init(daysSinceEpoch z0: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
    }

    public func adding(days: Int) -> CalendarDay { CalendarDay(daysSinceEpoch: daysSinceEpoch + days) }

    /// ISO weekday, Monday = 1 … Sunday = 7.
    public var isoWeekday: Int { ((daysSinceEpoch % 7 + 7) % 7 + 3) % 7 + 1 }

    public var description: String {
        String(year).leftPadded(4) + "-" + String(month).leftPadded(2) + "-" + String(day).leftPadded(2)
    }

    public static func < (a: CalendarDay, b: CalendarDay) -> Bool { a.daysSinceEpoch < b.daysSinceEpoch }
}

/// An ISO 8601 week (Monday to Sunday), written `2026-W24`.
public struct ISOWeek: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let year: Int
    public let week: Int

    public init?(year: Int, week: Int) {
        guard (1...9999).contains(year), week >= 1, week <= ISOWeek.weeksIn(year: year) else { return nil }
        self.year = year; self.week = week
    }

    /// Parses `YYYY-Www`.
    public init?(_ text: some StringProtocol) {
        let u = Array(text.utf8)
        guard u.count == 8, u[4] == 0x2D, u[5] == 0x57, u[0..<4].allSatisfy(isDigit), u[6..<8].allSatisfy(isDigit),
              let y = Int(String(decoding: u[0..<4], as: UTF8.self)), let w = Int(String(decoding: u[6..<8], as: UTF8.self)) else { return nil }
        self.init(year: y, week: w)
    }

    /// The week that contains `day`.
    public init(containing day: CalendarDay) {
        let thursday = day.adding(days: 4 - day.isoWeekday)
        let jan1 = CalendarDay(year: thursday.year, month: 1, day: 1)!
        self.year = thursday.year
        self.week = (thursday.daysSinceEpoch - jan1.daysSinceEpoch) / 7 + 1
    }

    public static func weeksIn(year: Int) -> Int {
        // A year has 53 ISO weeks when 28 December falls in week 53.
        let dec28 = CalendarDay(year: year, month: 12, day: 28)!
        return ISOWeek(containing: dec28).week
    }

    /// The Monday that starts the week.
    public var monday: CalendarDay {
        let jan4 = CalendarDay(year: year, month: 1, day: 4)!
        return jan4.adding(days: 1 - jan4.isoWeekday + (week - 1) * 7)
    }

    public var sunday: CalendarDay { monday.adding(days: 6) }
    public var days: [CalendarDay] { (0..<7).map { monday.adding(days: $0) } }
    public func contains(_ day: CalendarDay) -> Bool { ISOWeek(containing: day) == self }

    public var description: String { String(year).leftPadded(4) + "-W" + String(week).leftPadded(2) }

    public static func < (a: ISOWeek, b: ISOWeek) -> Bool { (a.year, a.week) < (b.year, b.week) }
}
