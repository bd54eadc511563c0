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
            #expect(table.nearest(10, to: centre, excluding: []).map(\.slug) == ["c", "a", "b", "e", "d", "far"])
            #expect(table.nearest(3, to: centre, excluding: []).map(\.slug) == ["c", "a", "b"])
            let withoutA = Set([table.position(ids[1])!])
            #expect(table.nearest(3, to: centre, excluding: withoutA).map(\.slug) == ["c", "b", "e"])
            let bounds = Illustrations.Bounds([Coordinates(latitude: -1, longitude: -1), Coordinates(latitude: 1, longitude: 1)])
            #expect(table.nearest(10, to: centre, excluding: [], within: (bounds, margin: 0.5)).map(\.slug) == ["c", "a", "b", "e"])
        }
    }

    @Test func timePointsAndSpansParse() {
        #expect(TimePoint.parse("1081") == TimePoint(year: 1081))
        #expect(TimePoint.parse("1081-08") == TimePoint(year: 1081, month: 8))
        #expect(TimePoint.parse("1081-13") == nil)
        #expect(TimePoint.parse("spring 1081") == nil)
        #expect(TimeSpan.parse("1081–1082") == TimeSpan(start: TimePoint(year: 1081), end: TimePoint(year: 1082)))
        #expect(TimeSpan.parse("1082-1081") == nil)
        #expect(TimePoint(year: 1081, month: 8).formatted == "August 1081")
    }

    @Test func svgNumbersAreDeterministic() {
        #expect(SVGText.number(12.345) == "12.3")
        #expect(SVGText.number(-0.04) == "0")
        #expect(SVGText.number(3.0) == "3")
        #expect(SVGText.number(-2.56) == "-2.6")
    }

    @Test func theByteWriterWritesNumbersAndTextAsTheStringFunctionsDo() {
        let values: [Double] = [0, -0.04, 0.04, 0.05, -0.05, 3, -2.56, 9.95, 10, 99.99, 123_456.7, -1_000_000, 0.949]
        for value in values {
            var writer = SVGWriter()
            writer.number(value)
            #expect(writer.string == SVGText.number(value), "\(value)")
        }
        let points = [Point(x: 1.25, y: -3), Point(x: 0, y: 600.04)]
        var writer = SVGWriter()
        writer.points(points)
        writer.raw(" ")
        writer.escaped("Lü & <Xia> \"'")
        writer.int(-907)
        writer.int(0)
        #expect(writer.string == SVGText.points(points) + " " + SVGText.escape("Lü & <Xia> \"'") + "-9070")
    }
}
