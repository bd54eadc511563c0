/// Draws maps as inline SVG from the illustration data: base lines, places as links, labels that never overlap,
/// campaign routes as arrows, a scale bar and a north arrow.
public struct MapRenderer: Sendable {
    /// What one map shows.
    public struct Spec: Sendable, Equatable {
        /// Prefix of every id in the SVG, unique in the page: `map-five-armies`.
        public var id: String
        /// The map's `<title>`.
        public var title: String
        /// Places drawn as labelled links, most important first.
        public var places: [PageID]
        /// Places drawn as small unlabelled dots for context.
        public var context: [PageID] = []
        /// Where each context dot lies, when the caller knows (then `context` holds none of `places`): the dots are
        /// drawn there, without looking each place up, and `context` is not read (a caller that does not keep the
        /// spec may leave it empty).
        public var contextCoordinates: [Coordinates] = []
        /// Armies drawn as arrows.
        public var armies: [IllustrationData.Army] = []
        /// Extent to fit; the labelled places when empty.
        public var extent: [Coordinates] = []
        /// Output path of the page the map is on, for relative links.
        public var pagePath: String
        /// A small locator map: no scale bar, only the first place labelled.
        public var small: Bool = false
        /// Width of the drawing in SVG units (phones scroll wide maps rather than shrink their text).
        public var width: Double = 600
    }

    /// A drawn map and the geometry tests look at.
    public struct Rendered: Sendable {
        private struct Fields {
            var svg: String
            var projection: Projection
            /// The labelled places and where each is drawn, in order (the table of `points` is made when asked for:
            /// only tests look at it, and a book draws a map for every chapter).
            var places: [PageID]
            var placePoints: [Point]
            var labels: [LabelPlacer.Placement]
            var routes: [[Point]]
            var description: String
        }

        // A book keeps thousands of maps, copied from build to build: one reference each.
        private var fields: CopyOnWrite<Fields>

        init(svg: String, projection: Projection, places: [PageID], placePoints: [Point],
             labels: [LabelPlacer.Placement], routes: [[Point]], description: String) {
            fields = CopyOnWrite(Fields(svg: svg, projection: projection, places: places, placePoints: placePoints,
                                        labels: labels, routes: routes, description: description))
        }

        public var svg: String { fields.value.svg }
        public var projection: Projection { fields.value.projection }
        /// Where each labelled place is drawn (the context dots are not kept: a book keeps thousands of maps).
        public var points: [PageID: Point] {
            var points: [PageID: Point] = [:]
            for (id, point) in zip(fields.value.places, fields.value.placePoints) where points[id] == nil {
                points[id] = point
            }
            return points
        }
        public var labels: [LabelPlacer.Placement] { fields.value.labels }
        public var routes: [[Point]] { fields.value.routes }
        /// Every link of the drawing, read back from the SVG.
        public var links: [String] { SVGText.links(in: fields.value.svg) }
        /// The description, also in the SVG's `<desc>`.
        public var description: String { fields.value.description }
    }

    let data: IllustrationData
    let names: [PageID: String]
    /// The href of each page of `hrefs` from a page one folder deep in another folder (`Page.hrefFromOtherFolder`).
    let hrefs: [PageID: String]
    /// The base map's sentence of every description.
    private let baseMapSentence: String

    /// A renderer over the book's data; `names` gives every entity's display name, and `hrefs` (optional) the
    /// href of pages from a page one folder deep in another folder.
    public init(data: IllustrationData, names: [PageID: String], hrefs: [PageID: String] = [:]) {
        self.data = data
        self.names = names
        self.hrefs = hrefs
        baseMapSentence = "Base map: \(data.features.map(\.name).joined(separator: ", ")), drawn schematically."
    }

    /// The href from the page at `pagePath` to the page of `id`.
    private func href(from pagePath: String, to id: PageID) -> String {
        if let folder = SitePaths.folder(ofPageOneDeep: pagePath), folder != id.folder, let href = hrefs[id] {
            return href
        }
        return SitePaths.href(from: pagePath, to: SitePaths.page(id))
    }

    /// Draws one map. The SVG is written as bytes, numbers and escaped names in place (a large book draws a map for
    /// every chapter: made of small strings, they were a tenth of its build).
    public func render(_ spec: Spec) -> Rendered {
        let fontSize = spec.small ? 13.0 : 15.0
        let width = spec.small ? 300.0 : spec.width
        // Each place is looked up once: where it is and its name, kept by position for the description, the
        // dots, the labels and their links.
        var labelled: [PageID] = []
        var labelledCoordinates: [Coordinates] = []
        var labelledNames: [String?] = []
        labelled.reserveCapacity(spec.places.count)
        labelledCoordinates.reserveCapacity(spec.places.count)
        labelledNames.reserveCapacity(spec.places.count)
        for id in spec.places {
            guard let coordinates = data.coordinates[id] else { continue }
            labelled.append(id)
            labelledCoordinates.append(coordinates)
            labelledNames.append(names[id])
        }
        let extent = spec.extent.isEmpty ? labelledCoordinates : spec.extent
        let projection = Projection(fitting: extent, width: width, maxHeight: spec.small ? 300 : spec.width * 0.93,
                                    padding: spec.small ? 16 : 40, minimumSpan: spec.small ? 4 : 2.5)
        let frame = projection.frame
        let description = describe(spec, names: labelledNames.compactMap { $0 })
        var svg = SVGWriter(capacity: 8192)
        svg.open(class: spec.small ? "map map-small" : "map", id: spec.id, width: frame.width, height: frame.height,
                 title: spec.title, description: description)
        let colours = Array(Set(spec.armies.map(\.colour))).sorted()
        if !colours.isEmpty {
            svg.raw("<defs>\n")
            for colour in colours {
                svg.raw("<marker id=\"")
                svg.text(spec.id)
                svg.raw("-arrow-")
                svg.text(colour)
                svg.raw("\" viewBox=\"0 0 10 10\" refX=\"8\" refY=\"5\" ")
                svg.raw("markerWidth=\"5\" markerHeight=\"5\" orient=\"auto-start-reverse\">")
                svg.raw("<path class=\"arrowhead polity-")
                svg.text(colour)
                svg.raw("\" d=\"M0,0 L10,5 L0,10 z\"/></marker>\n")
            }
            svg.raw("</defs>\n")
        }
        svg.paper(width: frame.width, height: frame.height)
        svg.raw("<g class=\"base\">\n")
        for feature in data.features {
            svg.raw("<polyline class=\"")
            svg.text(feature.kind.rawValue)
            svg.raw("\" points=\"")
            svg.points(feature.points.map(projection.project))
            svg.raw("\"/>\n")
        }
        svg.raw("</g>\n")

        var obstacles: [Rect] = []
        var decorations = SVGWriter()
        if !spec.small {
            obstacles.append(scaleBar(projection, into: &decorations))
            obstacles.append(northArrow(frame, into: &decorations))
        }
        let radius = spec.small ? 4.0 : 4.5
        let labelledPoints = labelledCoordinates.map(projection.project)
        for p in labelledPoints {
            obstacles.append(Rect(x: p.x - radius, y: p.y - radius, width: 2 * radius, height: 2 * radius))
        }

        var placer = LabelPlacer(frame: frame, fontSize: fontSize, obstacles: obstacles)
        var routes: [[Point]] = []
        var routeSVG = SVGWriter()
        var routeLabels: [(LabelPlacer.Request, String)] = []
        for army in spec.armies {
            let line = army.stops.compactMap { data.coordinates[$0].map(projection.project) }
            guard line.count >= 2 else { continue }
            routes.append(line)
            routeSVG.raw("<polyline class=\"route polity-")
            routeSVG.text(army.colour)
            routeSVG.raw("\" points=\"")
            routeSVG.points(line)
            routeSVG.raw("\" marker-end=\"url(#")
            routeSVG.text(spec.id)
            routeSVG.raw("-arrow-")
            routeSVG.text(army.colour)
            routeSVG.raw(")\"><title>")
            routeSVG.escaped(army.name)
            routeSVG.raw("</title></polyline>\n")
            let commanders = army.commanders.compactMap { names[$0] }.joined(separator: " & ")
            let middle = Point(x: (line[0].x + line[1].x) / 2, y: (line[0].y + line[1].y) / 2)
            routeLabels.append((LabelPlacer.Request(text: commanders.isEmpty ? army.name : commanders, anchor: middle,
                                                    markerRadius: 2), army.colour))
        }
        var labelSVG = SVGWriter(capacity: 2048)
        let routePlacements = placer.place(routeLabels.map(\.0))
        for placement in routePlacements {
            let (request, colour) = routeLabels[placement.index]
            label(request.text, placement, into: &labelSVG) {
                $0.raw("route-label polity-")
                $0.text(colour)
            }
        }
        let toLabel = spec.small ? Array(labelled.prefix(1)) : labelled
        let requests = toLabel.indices.map { index in
            LabelPlacer.Request(text: labelledNames[index] ?? toLabel[index].slug, anchor: labelledPoints[index],
                                markerRadius: radius)
        }
        let placeLabels = placer.place(requests)
        var placeSVG = SVGWriter(capacity: 2048)
        if !spec.contextCoordinates.isEmpty || spec.context.isEmpty {
            for coordinates in spec.contextCoordinates {
                let p = projection.project(coordinates)
                placeSVG.raw("<circle class=\"place-context\" cx=\"")
                placeSVG.number(p.x)
                placeSVG.raw("\" cy=\"")
                placeSVG.number(p.y)
                placeSVG.raw("\" r=\"2.5\"/>\n")
            }
        } else {
            let labelledSet = Set(labelled)
            for id in spec.context where !labelledSet.contains(id) {
                guard let coordinates = data.coordinates[id] else { continue }
                let p = projection.project(coordinates)
                placeSVG.raw("<circle class=\"place-context\" cx=\"")
                placeSVG.number(p.x)
                placeSVG.raw("\" cy=\"")
                placeSVG.number(p.y)
                placeSVG.raw("\" r=\"2.5\"/>\n")
            }
        }
        let hrefs = labelled.map { href(from: spec.pagePath, to: $0) }
        for (index, id) in labelled.enumerated() {
            let p = labelledPoints[index]
            let here = spec.small && index == 0
            placeSVG.raw("<a href=\"")
            placeSVG.escaped(hrefs[index])
            placeSVG.raw(here ? "\"><circle class=\"place place-here\" cx=\"" : "\"><circle class=\"place\" cx=\"")
            placeSVG.number(p.x)
            placeSVG.raw("\" cy=\"")
            placeSVG.number(p.y)
            placeSVG.raw("\" r=\"")
            placeSVG.number(here ? radius + 1.5 : radius)
            placeSVG.raw("\"><title>")
            placeSVG.escaped(labelledNames[index] ?? id.slug)
            placeSVG.raw("</title></circle></a>\n")
        }
        for placement in placeLabels {
            labelSVG.raw("<a href=\"")
            labelSVG.escaped(hrefs[placement.index])
            labelSVG.raw("\">")
            label(requests[placement.index].text, placement, into: &labelSVG) { $0.raw("label") }
            labelSVG.raw("</a>")
        }
        svg.raw("<g class=\"routes\">\n")
        svg.append(routeSVG)
        svg.raw("</g>\n<g class=\"places\">\n")
        svg.append(placeSVG)
        svg.raw("</g>\n<g class=\"labels\" font-size=\"")
        svg.number(fontSize)
        svg.raw("\">\n")
        svg.append(labelSVG)
        svg.raw("</g>\n")
        svg.append(decorations)
        svg.raw("</svg>")
        return Rendered(svg: svg.string, projection: projection, places: labelled, placePoints: labelledPoints,
                        labels: routePlacements + placeLabels, routes: routes, description: description)
    }

    /// A `<text>` label; `classes` writes its class attribute.
    private func label(_ content: String, _ placement: LabelPlacer.Placement, into svg: inout SVGWriter,
                       classes: (inout SVGWriter) -> Void) {
        svg.raw("<text class=\"")
        classes(&svg)
        svg.raw("\" x=\"")
        svg.number(placement.origin.x)
        svg.raw("\" y=\"")
        svg.number(placement.origin.y)
        svg.raw("\" text-anchor=\"")
        svg.text(placement.textAnchor)
        svg.raw("\">")
        svg.escaped(content)
        svg.raw("</text>\n")
    }

    /// The map's description; `names` are the labelled places' names, in order.
    private func describe(_ spec: Spec, names: [String]) -> String {
        // Written into one string (made of interpolated and joined parts, it was a tenth of drawing a chapter map).
        var text = ""
        text.reserveCapacity(256)
        func space() { if !text.isEmpty { text += " " } }
        if spec.small, let first = names.first {
            text += "Where "
            text += first
            text += " lies within the region of the book."
        } else if !names.isEmpty {
            text += "Places shown: "
            for (index, name) in names.enumerated() {
                if index > 0 { text += ", " }
                text += name
            }
            text += "."
        }
        for army in spec.armies {
            space()
            text += army.name
            text += ": "
            var first = true
            for stop in army.stops {
                guard let name = self.names[stop] else { continue }
                if !first { text += " → " }
                text += name
                first = false
            }
            text += "."
            if let outcome = army.outcome {
                text += " "
                text += outcome
            }
        }
        if !data.features.isEmpty && !spec.small {
            space()
            text += baseMapSentence
        }
        return text
    }

    /// A scale bar of a round length near a fifth of the width, in the bottom-left corner; returns its box.
    private func scaleBar(_ projection: Projection, into svg: inout SVGWriter) -> Rect {
        let frame = projection.frame
        let target = frame.width / 5 * projection.kilometresPerUnit
        let lengths: [Double] = [10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000]
        let kilometres = lengths.last { $0 <= target } ?? 10
        let length = kilometres / projection.kilometresPerUnit
        let x = 14.0, y = frame.height - 14
        svg.raw("<g class=\"scale-bar\"><path d=\"M")
        svg.point(x, y - 5)
        svg.raw(" V")
        svg.number(y)
        svg.raw(" H")
        svg.number(x + length)
        svg.raw(" V")
        svg.number(y - 5)
        svg.raw("\"/><text x=\"")
        svg.number(x + length + 5)
        svg.raw("\" y=\"")
        svg.number(y)
        svg.raw("\" font-size=\"12\">")
        svg.int(Int(kilometres))
        svg.raw(" km</text></g>\n")
        return Rect(x: x - 2, y: y - 16, width: length + 60, height: 20)
    }

    /// A north arrow in the top-right corner; returns its box.
    private func northArrow(_ frame: Rect, into svg: inout SVGWriter) -> Rect {
        let x = frame.width - 22, y = 14.0
        svg.raw("<g class=\"north-arrow\"><path d=\"M")
        svg.point(x, y + 26)
        svg.raw(" L")
        svg.point(x, y + 6)
        svg.raw(" M")
        svg.point(x - 5, y + 12)
        svg.raw(" L")
        svg.point(x, y + 4)
        svg.raw(" L")
        svg.point(x + 5, y + 12)
        svg.raw("\"/><text x=\"")
        svg.number(x)
        svg.raw("\" y=\"")
        svg.number(y + 40)
        svg.raw("\" text-anchor=\"middle\" font-size=\"12\">N</text></g>\n")
        return Rect(x: x - 10, y: y, width: 20, height: 44)
    }
}
