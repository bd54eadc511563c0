import Foundation

/// Draws timelines as inline SVG: one time axis, chapters as bands, lives (and reigns) as bars, events as points;
/// every row a link to its page; rows of each group ordered by date.
public struct TimelineRenderer {
    /// One row of a timeline.
    public struct Row: Sendable, Equatable {
        /// Which group the row belongs to; groups are drawn in this order.
        public enum Group: String, Sendable, CaseIterable {
            case chapters = "Chapters", lives = "Lives", events = "Events"
        }

        public var group: Group
        public var label: String
        /// Start and end in years (an event without an end has `end == start`).
        public var start: Double
        public var end: Double
        /// Reign within a life, drawn darker.
        public var inner: ClosedRange<Double>?
        /// The page the row links to.
        public var page: PageID
        /// Drawn emphasised (the person whose page this is).
        public var highlighted: Bool = false
    }

    /// A drawn timeline and its geometry.
    public struct Rendered: Sendable {
        public var svg: String
        public var rows: [Row]
        /// x of each row's start, in row order.
        public var startXs: [Double]
        public var description: String
        /// Every link of the drawing, read back from the SVG (a book draws a lifeline for each person: made for each
        /// row and kept, they were thousands of strings).
        public var links: [String] { SVGText.links(in: svg) }
    }

    /// The rows of the book's timeline: chapters, lives and events, each group sorted by date.
    public static func bookRows(_ data: IllustrationData) -> [Row] {
        let chapters = data.chapters.map {
            Row(group: .chapters, label: "\($0.number). \($0.title)", start: Double($0.span.start.year),
                end: Double($0.span.end.year) + 1, page: $0.chapter)
        }
        let lives = data.lives.map { life in
            Row(group: .lives, label: life.name, start: Double(life.born), end: Double(life.died) + 1,
                inner: life.reign.map { Double($0.lowerBound)...Double($0.upperBound) + 1 }, page: life.person)
        }
        let events = data.events.map { event in
            Row(group: .events, label: "\(event.title) (\(event.start.formatted)\(event.end.map { "–\($0.formatted)" } ?? ""))",
                start: event.start.value, end: event.end.map { $0.value + 1 } ?? event.start.value, page: event.page)
        }
        return sortedRows(chapters) + sortedRows(lives) + sortedRows(events)
    }

    /// A person's life against the book's events and chapters in their lifetime.
    public static func personRows(_ data: IllustrationData, person: PageID, bookRows: [Row]? = nil) -> [Row]? {
        guard let life = data.lives.first(where: { $0.person == person }) else { return nil }
        let range = Double(life.born)...Double(life.died + 1)
        let own = Row(group: .lives, label: life.name, start: Double(life.born), end: Double(life.died) + 1,
                      inner: life.reign.map { Double($0.lowerBound)...Double($0.upperBound) + 1 }, page: person, highlighted: true)
        let events = (bookRows ?? Self.bookRows(data)).filter { $0.group == .events && range.contains($0.start) }
        return [own] + events
    }

    static func sortedRows(_ rows: [Row]) -> [Row] {
        rows.sorted { ($0.start, $0.end, $0.label) < ($1.start, $1.end, $1.label) }
    }

    /// Draws rows on one axis; `pagePath` is the page the SVG is on.
    public static func render(id: String, title: String, rows: [Row], pagePath: String, width: Double = 600) -> Rendered {
        let rowHeight = 20.0, groupGap = 26.0, top = 34.0, left = 12.0, right = 12.0, fontSize = 13.0
        // Rows are read in place, by index, here and below (each row copied out was a reference count of each of its
        // strings, for every row of every lifeline).
        let minYear = floor((rows.indices.map { rows[$0].start }.min() ?? 1000) / 10) * 10
        let maxYear = ceil((rows.indices.map { rows[$0].end }.max() ?? 1100) / 10) * 10
        let span = max(maxYear - minYear, 10)
        let scale = (width - left - right) / span
        func x(_ year: Double) -> Double { left + (year - minYear) * scale }
        let groups = Row.Group.allCases.filter { group in rows.indices.contains { rows[$0].group == group } }
        let height = top + Double(rows.count) * rowHeight + Double(groups.count) * groupGap + 26
        let step = [5.0, 10, 20, 25, 50, 100].first { span / $0 <= 8 } ?? 100
        let description = "Time axis from \(Int(minYear)) to \(Int(maxYear)). "
            + groups.map { group in
                "\(group.rawValue): \(rows.indices.filter { rows[$0].group == group }.map { rows[$0].label }.joined(separator: "; "))."
            }
                .joined(separator: " ")
        // Written as bytes, as maps are: the book's timeline has a row for every chapter.
        var svg = SVGWriter(capacity: 4096 + rows.count * 256)
        svg.open(class: "timeline", id: id, width: width, height: height, title: title, description: description)
        svg.paper(width: width, height: height)
        svg.raw("<g class=\"axis\" font-size=\"11\">\n")
        var tick = ceil(minYear / step) * step
        while tick <= maxYear {
            let tx = x(tick)
            svg.raw("<line x1=\"")
            svg.number(tx)
            svg.raw("\" y1=\"")
            svg.number(top - 8)
            svg.raw("\" x2=\"")
            svg.number(tx)
            svg.raw("\" y2=\"")
            svg.number(height - 20)
            svg.raw("\"/>")
            // The year above the rows and below them.
            for labelY in [top - 14, height - 6] {
                svg.raw("<text x=\"")
                svg.number(tx)
                svg.raw("\" y=\"")
                svg.number(labelY)
                svg.raw("\" text-anchor=\"middle\">")
                svg.int(Int(tick))
                svg.raw("</text>")
            }
            svg.raw("\n")
            tick += step
        }
        svg.raw("</g>\n<g class=\"rows\" font-size=\"")
        svg.number(fontSize)
        svg.raw("\">\n")
        var y = top
        var startXs: [Double] = []
        startXs.reserveCapacity(rows.count)
        // The rows in drawing order: the rows themselves when they come grouped (as `bookRows` and `personRows` give
        // them), so that none is copied.
        let rank = { (group: Row.Group) in Row.Group.allCases.firstIndex(of: group)! }
        let grouped = rows.indices.dropFirst().allSatisfy { rank(rows[$0 - 1].group) <= rank(rows[$0].group) }
        var ordered: [Row] = []
        for group in groups {
            y += groupGap
            svg.raw("<text class=\"group-label\" x=\"")
            svg.number(left)
            svg.raw("\" y=\"")
            svg.number(y - 8)
            svg.raw("\">")
            svg.text(group.rawValue)
            svg.raw("</text>\n")
            let kind: StaticString = group == .chapters ? "band" : group == .lives ? "life" : "event"
            for index in rows.indices where rows[index].group == group {
                let x0 = x(rows[index].start), x1 = max(x(rows[index].end), x0)
                let middle = y + rowHeight / 2
                let href = SitePaths.href(from: pagePath, to: SitePaths.page(rows[index].page))
                startXs.append(x0)
                if !grouped { ordered.append(rows[index]) }
                svg.raw("<a href=\"")
                svg.escaped(href)
                svg.raw(x1 - x0 < 3 ? "\"><circle class=\"" : "\"><rect class=\"")
                svg.raw(kind)
                if rows[index].highlighted { svg.raw(" highlighted") }
                if x1 - x0 < 3 {
                    svg.raw("\" cx=\"")
                    svg.number(x0)
                    svg.raw("\" cy=\"")
                    svg.number(middle)
                    svg.raw("\" r=\"4\"/>")
                } else {
                    svg.raw("\" x=\"")
                    svg.number(x0)
                    svg.raw("\" y=\"")
                    svg.number(middle - 5)
                    svg.raw("\" width=\"")
                    svg.number(x1 - x0)
                    svg.raw("\" height=\"10\" rx=\"2\"/>")
                }
                if let inner = rows[index].inner {
                    let i0 = x(inner.lowerBound), i1 = x(inner.upperBound)
                    svg.raw("<rect class=\"reign\" x=\"")
                    svg.number(i0)
                    svg.raw("\" y=\"")
                    svg.number(middle - 5)
                    svg.raw("\" width=\"")
                    svg.number(max(i1 - i0, 2))
                    svg.raw("\" height=\"10\"/>")
                }
                let labelWidth = TextMetrics.width(rows[index].label, fontSize: fontSize)
                let after = max(x1, x0 + 4) + 6
                let roomAfter = width - 2 - after, roomBefore = x0 - 6 - 2
                var (lx, anchor, room) = roomAfter >= labelWidth || roomAfter >= roomBefore
                    ? (after, "start", roomAfter) : (x0 - 6, "end", roomBefore)
                if labelWidth > room {
                    // No room beside the bar: the label goes over the bar, on its halo, from where it fits.
                    (lx, anchor, room) = (max(2, min(x0 + 4, width - 2 - labelWidth)), "start", width - 4)
                }
                svg.raw("<text x=\"")
                svg.number(lx)
                svg.raw("\" y=\"")
                svg.number(middle + 4.5)
                svg.raw("\" text-anchor=\"")
                svg.text(anchor)
                svg.raw("\"")
                // Only a label longer than the whole axis is condensed.
                if labelWidth > room {
                    svg.raw(" textLength=\"")
                    svg.number(room)
                    svg.raw("\" lengthAdjust=\"spacingAndGlyphs\"")
                }
                svg.raw(">")
                svg.escaped(rows[index].label)
                svg.raw("</text></a>\n")
                y += rowHeight
            }
        }
        svg.raw("</g>\n</svg>")
        return Rendered(svg: svg.string, rows: grouped ? rows : ordered, startXs: startXs, description: description)
    }
}
