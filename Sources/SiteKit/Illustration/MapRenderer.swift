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
            var points: [PageID: Point]
            var labels: [LabelPlacer.Placement]
            var routes: [[Point]]
            var description: String
        }

        // A book keeps thousands of maps, copied from build to build: one reference each.
        private var fields: CopyOnWrite<Fields>

        init(svg: String, projection: Projection, points: [PageID: Point], labels: [LabelPlacer.Placement],
             routes: [[Point]], description: String) {
            fields = CopyOnWrite(Fields(svg: svg, projection: projection, points: points, labels: labels, routes: routes,
                                        description: description))
        }

        public var svg: String { fields.value.svg }
        public var projection: Projection { fields.value.projection }
        /// Where each labelled place is drawn (the context dots are not kept: a book keeps thousands of maps).
        public var points: [PageID: Point] { fields.value.points }
        public var labels: [LabelPlacer.Placement] { fields.value.labels }
        public var routes: [[Point]] { fields.value.routes }
        /// Every link of the drawing, read back from the SVG.
        public var links: [String] { SVGText.links(in: fields.value.svg) }
        /// The description, also in the SVG's `<desc>`.
        public var description: String { fields.value.description }
    }

    let data: IllustrationData
    let names: [PageID: String]

    /// A renderer over the book's data; `names` gives every entity's display name.
    public init(data: IllustrationData, names: [PageID: String]) {
        self.data = data
        self.names = names
    }

    /// Draws one map.
    public func render(_ spec: Spec) -> Rendered {
        let fontSize = spec.small ? 13.0 : 15.0
        let width = spec.small ? 300.0 : spec.width
        let labelled = spec.places.filter { data.places[$0] != nil }
        let extent = spec.extent.isEmpty ? labelled.compactMap { data.places[$0]?.coordinates } : spec.extent
        let projection = Projection(fitting: extent, width: width, maxHeight: spec.small ? 300 : spec.width * 0.93,
                                    padding: spec.small ? 16 : 40, minimumSpan: spec.small ? 4 : 2.5)
        let frame = projection.frame
        var svg = ""
        let titleID = "\(spec.id)-title", descID = "\(spec.id)-desc"
        let description = describe(spec, labelled: labelled)
        svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"map\(spec.small ? " map-small" : "")\" "
        svg += "viewBox=\"0 0 \(SVGText.number(frame.width)) \(SVGText.number(frame.height))\" "
        svg += "aria-labelledby=\"\(titleID)\" aria-describedby=\"\(descID)\">\n"
        svg += "<title id=\"\(titleID)\">\(SVGText.escape(spec.title))</title>\n"
        svg += "<desc id=\"\(descID)\">\(SVGText.escape(description))</desc>\n"
        let colours = Array(Set(spec.armies.map(\.colour))).sorted()
        if !colours.isEmpty {
            svg += "<defs>\n"
            for colour in colours {
                svg += "<marker id=\"\(spec.id)-arrow-\(colour)\" viewBox=\"0 0 10 10\" refX=\"8\" refY=\"5\" "
                svg += "markerWidth=\"5\" markerHeight=\"5\" orient=\"auto-start-reverse\">"
                svg += "<path class=\"arrowhead polity-\(colour)\" d=\"M0,0 L10,5 L0,10 z\"/></marker>\n"
            }
            svg += "</defs>\n"
        }
        svg += "<rect class=\"map-paper\" x=\"0\" y=\"0\" width=\"\(SVGText.number(frame.width))\" height=\"\(SVGText.number(frame.height))\"/>\n"
        svg += "<g class=\"base\">\n"
        for feature in data.features {
            let points = feature.points.map(projection.project)
            svg += "<polyline class=\"\(feature.kind.rawValue)\" points=\"\(SVGText.points(points))\"/>\n"
        }
        svg += "</g>\n"

        var obstacles: [Rect] = []
        var decorations = ""
        if !spec.small {
            let (scaleSVG, scaleBox) = scaleBar(projection)
            let (northSVG, northBox) = northArrow(frame)
            decorations = scaleSVG + northSVG
            obstacles += [scaleBox, northBox]
        }
        var points: [PageID: Point] = [:]
        let radius = spec.small ? 4.0 : 4.5
        for id in labelled + spec.context {
            guard let place = data.places[id] else { continue }
            points[id] = projection.project(place.coordinates)
        }
        for id in labelled { if let p = points[id] { obstacles.append(Rect(x: p.x - radius, y: p.y - radius, width: 2 * radius, height: 2 * radius)) } }

        var placer = LabelPlacer(frame: frame, fontSize: fontSize, obstacles: obstacles)
        var routes: [[Point]] = []
        var routeSVG = ""
        var routeLabels: [(LabelPlacer.Request, String)] = []
        for army in spec.armies {
            let line = army.stops.compactMap { data.places[$0].map { projection.project($0.coordinates) } }
            guard line.count >= 2 else { continue }
            routes.append(line)
            routeSVG += "<polyline class=\"route polity-\(army.colour)\" points=\"\(SVGText.points(line))\" "
            routeSVG += "marker-end=\"url(#\(spec.id)-arrow-\(army.colour))\"><title>\(SVGText.escape(army.name))</title></polyline>\n"
            let commanders = army.commanders.compactMap { names[$0] }.joined(separator: " & ")
            let middle = Point(x: (line[0].x + line[1].x) / 2, y: (line[0].y + line[1].y) / 2)
            routeLabels.append((LabelPlacer.Request(text: commanders.isEmpty ? army.name : commanders, anchor: middle,
                                                    markerRadius: 2), army.colour))
        }
        var labelSVG = ""
        let routePlacements = placer.place(routeLabels.map(\.0))
        for placement in routePlacements {
            let (request, colour) = routeLabels[placement.index]
            labelSVG += text(request.text, placement, fontSize: fontSize, classes: "route-label polity-\(colour)")
        }
        let toLabel = spec.small ? Array(labelled.prefix(1)) : labelled
        let requests = toLabel.compactMap { id -> LabelPlacer.Request? in
            guard let p = points[id] else { return nil }
            return LabelPlacer.Request(text: names[id] ?? id.slug, anchor: p, markerRadius: radius)
        }
        let placeLabels = placer.place(requests)
        var placeSVG = ""
        for id in spec.context where !labelled.contains(id) {
            guard let p = points[id] else { continue }
            placeSVG += "<circle class=\"place-context\" cx=\"\(SVGText.number(p.x))\" cy=\"\(SVGText.number(p.y))\" r=\"2.5\"/>\n"
        }
        for (index, id) in labelled.enumerated() {
            guard let p = points[id] else { continue }
            let href = SitePaths.href(from: spec.pagePath, to: SitePaths.page(id))
            let name = SVGText.escape(names[id] ?? id.slug)
            let cls = spec.small && index == 0 ? "place place-here" : "place"
            placeSVG += "<a href=\"\(SVGText.escape(href))\"><circle class=\"\(cls)\" cx=\"\(SVGText.number(p.x))\" "
            placeSVG += "cy=\"\(SVGText.number(p.y))\" r=\"\(SVGText.number(spec.small && index == 0 ? radius + 1.5 : radius))\"><title>\(name)</title></circle></a>\n"
        }
        for placement in placeLabels {
            let id = toLabel[placement.index]
            let href = SitePaths.href(from: spec.pagePath, to: SitePaths.page(id))
            labelSVG += "<a href=\"\(SVGText.escape(href))\">" + text(names[id] ?? id.slug, placement, fontSize: fontSize, classes: "label") + "</a>"
        }
        svg += "<g class=\"routes\">\n\(routeSVG)</g>\n<g class=\"places\">\n\(placeSVG)</g>\n"
        svg += "<g class=\"labels\" font-size=\"\(SVGText.number(fontSize))\">\n\(labelSVG)</g>\n\(decorations)</svg>"
        let labelledSet = Set(labelled)
        return Rendered(svg: svg.compacted, projection: projection, points: points.filter { labelledSet.contains($0.key) },
                        labels: routePlacements + placeLabels, routes: routes, description: description)
    }

    private func text(_ content: String, _ placement: LabelPlacer.Placement, fontSize: Double, classes: String) -> String {
        "<text class=\"\(classes)\" x=\"\(SVGText.number(placement.origin.x))\" y=\"\(SVGText.number(placement.origin.y))\" "
            + "text-anchor=\"\(placement.textAnchor)\">\(SVGText.escape(content))</text>\n"
    }

    private func describe(_ spec: Spec, labelled: [PageID]) -> String {
        var parts: [String] = []
        let names = labelled.compactMap { self.names[$0] }
        if spec.small, let first = names.first {
            parts.append("Where \(first) lies within the region of the book.")
        } else if !names.isEmpty {
            parts.append("Places shown: \(names.joined(separator: ", ")).")
        }
        for army in spec.armies {
            let stops = army.stops.compactMap { self.names[$0] }.joined(separator: " → ")
            parts.append("\(army.name): \(stops).\(army.outcome.map { " \($0)" } ?? "")")
        }
        if !data.features.isEmpty && !spec.small {
            parts.append("Base map: \(data.features.map(\.name).joined(separator: ", ")), drawn schematically.")
        }
        return parts.joined(separator: " ")
    }

    /// A scale bar of a round length near a fifth of the width, in the bottom-left corner.
    private func scaleBar(_ projection: Projection) -> (String, Rect) {
        let frame = projection.frame
        let target = frame.width / 5 * projection.kilometresPerUnit
        let lengths: [Double] = [10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000]
        let kilometres = lengths.last { $0 <= target } ?? 10
        let length = kilometres / projection.kilometresPerUnit
        let x = 14.0, y = frame.height - 14
        var svg = "<g class=\"scale-bar\">"
        svg += "<path d=\"M\(SVGText.number(x)),\(SVGText.number(y - 5)) V\(SVGText.number(y)) H\(SVGText.number(x + length)) V\(SVGText.number(y - 5))\"/>"
        svg += "<text x=\"\(SVGText.number(x + length + 5))\" y=\"\(SVGText.number(y))\" font-size=\"12\">\(Int(kilometres)) km</text></g>\n"
        return (svg, Rect(x: x - 2, y: y - 16, width: length + 60, height: 20))
    }

    /// A north arrow in the top-right corner.
    private func northArrow(_ frame: Rect) -> (String, Rect) {
        let x = frame.width - 22, y = 14.0
        var svg = "<g class=\"north-arrow\">"
        svg += "<path d=\"M\(SVGText.number(x)),\(SVGText.number(y + 26)) L\(SVGText.number(x)),\(SVGText.number(y + 6)) M\(SVGText.number(x - 5)),\(SVGText.number(y + 12)) L\(SVGText.number(x)),\(SVGText.number(y + 4)) L\(SVGText.number(x + 5)),\(SVGText.number(y + 12))\"/>"
        svg += "<text x=\"\(SVGText.number(x))\" y=\"\(SVGText.number(y + 40))\" text-anchor=\"middle\" font-size=\"12\">N</text></g>\n"
        return (svg, Rect(x: x - 10, y: y, width: 20, height: 44))
    }
}
