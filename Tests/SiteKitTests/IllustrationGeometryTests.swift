import Testing
@testable import SiteKit

@Suite struct IllustrationGeometryTests {
    static let lanzhou = Coordinates(latitude: 36.06, longitude: 103.83)
    static let kaifeng = Coordinates(latitude: 34.79, longitude: 114.35)
    static let lingzhou = Coordinates(latitude: 38.0, longitude: 106.2)

    @Test func projectedPointsLieInsideTheFrameInTheRightPlaces() {
        let projection = Projection(fitting: [Self.lanzhou, Self.kaifeng, Self.lingzhou])
        let points = [Self.lanzhou, Self.kaifeng, Self.lingzhou].map(projection.project)
        for point in points {
            #expect(point.x >= 0 && point.x <= projection.frame.width)
            #expect(point.y >= 0 && point.y <= projection.frame.height)
        }
        #expect(points[1].x > points[0].x, "Kaifeng is east of Lanzhou")
        #expect(points[2].y < points[0].y, "Lingzhou is north of Lanzhou")
        #expect(points[1].y > points[2].y, "Kaifeng is south of Lingzhou")
    }

    @Test func projectionKeepsDistancesInProportion() {
        let projection = Projection(fitting: [Self.lanzhou, Self.kaifeng])
        let a = projection.project(Self.lanzhou), b = projection.project(Self.kaifeng)
        let kilometres = ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot() * projection.kilometresPerUnit
        #expect(kilometres > 900 && kilometres < 1000, "Lanzhou–Kaifeng is about 950 km, got \(kilometres)")
    }

    @Test func labelsNeverOverlapEachOtherOrMarkers() {
        let frame = Rect(x: 0, y: 0, width: 300, height: 200)
        let anchors = (0..<40).map { Point(x: 20 + Double($0 % 8) * 35, y: 20 + Double($0 / 8) * 40) }
        let markers = anchors.map { Rect(x: $0.x - 4, y: $0.y - 4, width: 8, height: 8) }
        var placer = LabelPlacer(frame: frame, fontSize: 13, obstacles: markers)
        let placements = placer.place(anchors.enumerated().map {
            LabelPlacer.Request(text: "Place \($0.offset)", anchor: $0.element, markerRadius: 4)
        })
        #expect(!placements.isEmpty)
        for (i, a) in placements.enumerated() {
            #expect(a.box.isInside(frame))
            for marker in markers { #expect(!a.box.intersects(marker)) }
            for b in placements[(i + 1)...] { #expect(!a.box.intersects(b.box), "\(a.index) overlaps \(b.index)") }
        }
    }

    /// Context places: nearest first, ties by id whatever the order of the table, without the excluded ones and
    /// those out of bounds, at most the count asked for.
    @Test func contextPlacesAreTheNearestWhateverTheTableOrder() {
        let ids = ["e", "a", "d", "b", "c", "far"].map { PageID(folder: "places", slug: $0) }
        let spots = [(1.0, 1.0), (1.0, -1.0), (2.0, 0.0), (-1.0, 1.0), (0.5, 0.0), (40.0, 40.0)]
            .map { Coordinates(latitude: $0.0, longitude: $0.1) }
        let centre = [Coordinates(latitude: 0, longitude: 0)]
        var orders = [Array(ids.indices), Array(ids.indices.reversed()), [3, 0, 5, 1, 4, 2]]
        orders.append(orders[2].shuffled())
        for order in orders {
            let table = Illustrations.PlaceTable(places: order.map { ids[$0] }, coordinates: order.map { spots[$0] })
            // c (0.25), then a, b, e tied at 2 (by id), then d (4), then far.
            #expect(table.nearest(10, to: centre, excluding: []).map { table.places[$0].slug } == ["c", "a", "b", "e", "d", "far"])
            #expect(table.nearest(3, to: centre, excluding: []).map { table.places[$0].slug } == ["c", "a", "b"])
            let withoutA = Set([table.position(ids[1])!])
            #expect(table.nearest(3, to: centre, excluding: withoutA).map { table.places[$0].slug } == ["c", "b", "e"])
            let bounds = Illustrations.Bounds([Coordinates(latitude: -1, longitude: -1), Coordinates(latitude: 1, longitude: 1)])
            #expect(table.nearest(10, to: centre, excluding: [], within: (bounds, margin: 0.5)).map { table.places[$0].slug } == ["c", "a", "b", "e"])
        }
    }

    /// The walk over the grid around the centre (which stops at the bounds and at the ring farther than the places
    /// kept) finds what looking at every place finds: tables large and tiny, places on one spot, centres inside the
    /// places and outside them, with bounds and without.
    @Test func contextPlacesMatchAnExhaustiveSearch() {
        var generator = SystemRandomNumberGenerator()
        for count in [1, 2, 7, 300] {
            let ids = (0..<count).map { PageID(folder: "places", slug: "p\($0)") }
            // Coordinates on a coarse grid, so that there are ties (and, for two places, one spot).
            let spots = (0..<count).map { _ in
                count == 2 ? Coordinates(latitude: 3, longitude: 4)
                    : Coordinates(latitude: Double(Int.random(in: 0...80, using: &generator)) / 4,
                                  longitude: Double(Int.random(in: 0...80, using: &generator)) / 4)
            }
            let table = Illustrations.PlaceTable(places: ids, coordinates: spots)
            for _ in 0..<150 {
                var points = (0..<Int.random(in: 1...4, using: &generator)).map { _ in spots.randomElement(using: &generator)! }
                if Int.random(in: 0..<4, using: &generator) == 0 {
                    points.append(Coordinates(latitude: Double.random(in: -15...35, using: &generator),
                                              longitude: Double.random(in: -15...35, using: &generator)))
                }
                let excluded = Set((0..<Int.random(in: 0...5, using: &generator)).map { _ in Int.random(in: 0..<count, using: &generator) })
                let wanted = Int.random(in: 1...40, using: &generator)
                let bounds = Illustrations.Bounds(points)
                let margin = [0.0, 1, 3][Int.random(in: 0...2, using: &generator)]
                let bounded = Bool.random(using: &generator)
                let lat = points.map(\.latitude).reduce(0, +) / Double(points.count)
                let lon = points.map(\.longitude).reduce(0, +) / Double(points.count)
                var candidates: [(distance: Double, id: PageID)] = []
                for index in ids.indices where !excluded.contains(index) && (!bounded || bounds.contains(spots[index], margin: margin)) {
                    let dy = spots[index].latitude - lat
                    let dx = spots[index].longitude - lon
                    candidates.append((dy * dy + dx * dx, ids[index]))
                }
                candidates.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.id < $1.id }
                let expected = candidates.prefix(wanted).map(\.id)
                let within: (bounds: Illustrations.Bounds, margin: Double)? = bounded ? (bounds, margin) : nil
                let found = table.nearest(wanted, to: points, excluding: excluded, within: within).map { table.places[$0] }
                #expect(found == Array(expected), "\(count) places, centre \(lat), \(lon)")
            }
        }
    }

    @Test func timePointsAndSpansParse() {
        #expect(TimePoint.parse("1081") == TimePoint(year: 1081))
        #expect(TimePoint.parse("1081-08") == TimePoint(year: 1081, month: 8))
        #expect(TimePoint.parse("1081-13") == nil)
        #expect(TimePoint.parse("spring 1081") == nil)
        #expect(TimeSpan.parse("1081–1082") == TimeSpan(start: TimePoint(year: 1081), end: TimePoint(year: 1082)))
        #expect(TimeSpan.parse("1082-1081") == nil)
        let span = TimeSpan(start: TimePoint(year: 1058), end: TimePoint(year: 1060))
        for text in ["1058-1060", " 1058 — 1060 ", "1058 to 1060", "1058 – 1060"] { #expect(TimeSpan.parse(text) == span) }
        for text in ["1058–1059–1060", "1058-", "–1060", "1058 to", "1058 to 1059 to 1060", "1058~1060"] {
            #expect(TimeSpan.parse(text) == nil)
        }
        #expect(TimeSpan.parse("1081") == TimeSpan(start: TimePoint(year: 1081), end: TimePoint(year: 1081)))
        #expect(TimePoint(year: 1081, month: 8).formatted == "August 1081")
    }

    /// What a writer wrote.
    private func written(_ write: (inout SVGWriter) -> Void) -> String {
        var writer = SVGWriter()
        write(&writer)
        return writer.string
    }

    @Test func svgNumbersAreDeterministic() {
        let expected: [(Double, String)] = [
            (12.345, "12.3"), (-0.04, "0"), (0, "0"), (0.04, "0"), (0.05, "0.1"), (-0.05, "-0.1"), (3.0, "3"),
            (-2.56, "-2.6"), (9.94, "9.9"), (9.96, "10"), (99.99, "100"), (123_456.7, "123456.7"), (-1_000_000, "-1000000"),
            (-9.96, "-10"), (0.96, "1"), (-0.96, "-1"), (-0.3, "-0.3"), (123_456_789.5, "123456789.5"),
        ]
        for (value, text) in expected {
            #expect(written { $0.number(value) } == text, "\(value)")
        }
        #expect(written { $0.int(-907); $0.int(0); $0.int(1081) } == "-90701081")
        for value in [9, 10, 99, 100, 101, -10, Int.max, Int.min] {
            #expect(written { $0.int(value) } == String(value))
        }
    }

    @Test func theByteWriterWritesPointsAndEscapedText() {
        #expect(written { $0.points([Point(x: 1.25, y: -3), Point(x: 0, y: 600.04)]) } == "1.3,-3 0,600")
        #expect(written { $0.raw("<t>"); $0.escaped("Lü & <Xia> \"'"); $0.text("a&b") }
                == "<t>Lü &amp; &lt;Xia&gt; &quot;&#39;a&b")
    }

    /// Rows given out of group order are drawn group by group (chapters, lives, events), and the drawing's rows,
    /// start positions and links follow that order; rows given in order are drawn as given.
    @Test func timelineRowsAreDrawnGroupByGroup() {
        func row(_ group: TimelineRenderer.Row.Group, _ label: String, _ start: Double, _ slug: String) -> TimelineRenderer.Row {
            TimelineRenderer.Row(group: group, label: label, start: start, end: start + 1,
                                 page: PageID(folder: group == .chapters ? "chapters" : "people", slug: slug))
        }
        let mixed = [row(.events, "Battle", 1081, "battle"), row(.chapters, "1. Backdrop", 1070, "backdrop"),
                     row(.lives, "Wang Anshi", 1021, "wang-anshi"), row(.events, "Treaty", 1044, "treaty")]
        let drawn = TimelineRenderer.render(id: "t", title: "T", rows: mixed, pagePath: "timeline.html")
        #expect(drawn.rows.map(\.label) == ["1. Backdrop", "Wang Anshi", "Battle", "Treaty"])
        #expect(drawn.links == ["chapters/backdrop.html", "people/wang-anshi.html", "people/battle.html",
                                "people/treaty.html"])
        #expect(drawn.startXs.count == 4 && drawn.startXs[1] < drawn.startXs[0], "1021 lies left of 1070")
        let ordered = TimelineRenderer.render(id: "t", title: "T", rows: drawn.rows, pagePath: "timeline.html")
        #expect(ordered.rows.map(\.label) == drawn.rows.map(\.label))
        #expect(ordered.svg == drawn.svg)
    }
}
