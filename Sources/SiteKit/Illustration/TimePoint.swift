/// A date on the book's time axis: a year, and a month where known.
public struct TimePoint: Sendable, Equatable, Comparable, Hashable {
    /// The year (negative for BCE).
    public var year: Int
    /// 1–12, or nil when only the year is known.
    public var month: Int?

    /// Creates a date.
    public init(year: Int, month: Int? = nil) {
        self.year = year
        self.month = month
    }

    /// Reads `1081`, `"1081"` or `"1081-08"`; nil for anything else.
    public static func parse(_ text: String) -> TimePoint? {
        // Cut at hyphens among the bytes (split into characters, a large book's dates and periods took milliseconds).
        let trimmed = text.trimmingSpaces
        let parts = trimmed.utf8.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2, parts[0].count <= 4,
              let year = Int(Substring(parts[0])) else { return nil }
        guard parts.count == 2 else { return TimePoint(year: year) }
        guard parts[1].count == 2, let month = Int(Substring(parts[1])), (1...12).contains(month) else { return nil }
        return TimePoint(year: year, month: month)
    }

    /// Years as a number: the middle of the month, or the start of the year.
    public var value: Double { Double(year) + (month.map { (Double($0) - 0.5) / 12 } ?? 0) }

    /// `1081` or `August 1081`.
    public var formatted: String {
        guard let month else { return "\(year)" }
        let names = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                     "October", "November", "December"]
        return "\(names[month - 1]) \(year)"
    }

    public static func < (a: TimePoint, b: TimePoint) -> Bool { a.value < b.value }
}

/// A span of years: `1081`, `1081–1082` (en dash or hyphen).
public struct TimeSpan: Sendable, Equatable {
    /// First year.
    public var start: TimePoint
    /// Last year (inclusive).
    public var end: TimePoint

    /// Reads a period; nil when it is not one year or two years joined by a dash.
    public static func parse(_ text: String) -> TimeSpan? {
        let trimmed = text.trimmingSpaces
        if let single = TimePoint.parse(trimmed) { return TimeSpan(start: single, end: single) }
        // Cut at the one occurrence of a separator, found among the bytes (Foundation's `components(separatedBy:)`
        // was most of reading a large book's periods).
        for separator in ["–", "—", "-", " to "] {
            if let (first, second) = halves(trimmed, at: separator), let a = Int(first.trimmingSpaces),
               let b = Int(second.trimmingSpaces), a <= b {
                return TimeSpan(start: TimePoint(year: a), end: TimePoint(year: b))
            }
        }
        return nil
    }

    /// `text` before and after `separator` when it occurs exactly once.
    private static func halves(_ text: String, at separator: String) -> (Substring, Substring)? {
        let utf8 = text.utf8, pattern = separator.utf8
        var found: String.Index?
        var index = utf8.startIndex
        while index < utf8.endIndex {
            if utf8[index...].starts(with: pattern) {
                guard found == nil else { return nil }
                found = index
                index = utf8.index(index, offsetBy: pattern.count)
            } else {
                index = utf8.index(after: index)
            }
        }
        // A separator's first byte starts a character in valid UTF-8, so both halves are whole characters.
        guard let found else { return nil }
        return (text[..<found], text[utf8.index(found, offsetBy: pattern.count)...])
    }
}
