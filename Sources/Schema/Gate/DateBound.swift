import Core
/// A bound of `x-backpay-calendar-date`: a fixed day, or a day relative to today (`today+1`).
public enum DateBound: Hashable, Sendable, CustomStringConvertible {
    case fixed(CalendarDay)
    case relative(days: Int)

    public init?(_ text: String) {
        if let d = CalendarDay(text) { self = .fixed(d); return }
        guard text.hasPrefix("today") else { return nil }
        let rest = text.dropFirst(5)
        if rest.isEmpty { self = .relative(days: 0); return }
        guard let sign = rest.first, sign == "+" || sign == "-", rest.count >= 2, rest.count <= 6,
              rest.dropFirst().utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = Int(rest.dropFirst()) else { return nil }
        self = .relative(days: sign == "+" ? n : -n)
    }

    public func resolve(today: CalendarDay) -> CalendarDay {
        switch self {
        case .fixed(let d): return d
        case .relative(let n): return today.adding(days: n)
        }
    }

    public var description: String {
        switch self {
        case .fixed(let d): return d.description
        case .relative(let n): return n == 0 ? "today" : (n > 0 ? "today+\(n)" : "today\(n)")
        }
    }
}
