/// Places labels next to their markers so that no label overlaps another label, a marker, or the frame edge.
/// Greedy, in priority order: each label takes the first free spot among eight positions, tried near then far.
public struct LabelPlacer {
    /// A label to place.
    public struct Request: Sendable {
        public var text: String
        public var anchor: Point
        /// Radius of the marker the label belongs to.
        public var markerRadius: Double
    }

    /// A placed label: where its text starts (baseline) and the box it occupies.
    public struct Placement: Sendable, Equatable {
        public var index: Int
        public var origin: Point
        public var box: Rect
        /// `start`, `middle` or `end`.
        public var textAnchor: String
    }

    let frame: Rect
    let fontSize: Double
    private(set) var occupied: [Rect] = []

    /// A placer inside `frame`, with `obstacles` (markers, the scale bar) already occupied.
    public init(frame: Rect, fontSize: Double, obstacles: [Rect]) {
        self.frame = frame
        self.fontSize = fontSize
        self.occupied = obstacles
    }

    /// Places each request in order; returns the placements of the labels that found room.
    public mutating func place(_ requests: [Request]) -> [Placement] {
        var result: [Placement] = []
        for (index, request) in requests.enumerated() {
            if let placement = candidates(for: request, index: index).first(where: fits) {
                occupied.append(placement.box)
                result.append(placement)
            }
        }
        return result
    }

    /// Reserves a rectangle, so later labels avoid it.
    public mutating func reserve(_ rect: Rect) { occupied.append(rect) }

    private func fits(_ placement: Placement) -> Bool {
        placement.box.isInside(frame) && !occupied.contains { $0.intersects(placement.box) }
    }

    private func candidates(for request: Request, index: Int) -> [Placement] {
        let width = TextMetrics.width(request.text, fontSize: fontSize)
        let height = fontSize * 1.15
        let ascent = fontSize * 0.85
        var result: [Placement] = []
        for distance in [request.markerRadius + 3, request.markerRadius + 10, request.markerRadius + 20] {
            let a = request.anchor
            // (box x, box y, anchor, origin x)
            let spots: [(Double, Double, String, Double)] = [
                (a.x + distance, a.y - height / 2, "start", a.x + distance),
                (a.x - distance - width, a.y - height / 2, "end", a.x - distance),
                (a.x - width / 2, a.y - distance - height, "middle", a.x),
                (a.x - width / 2, a.y + distance, "middle", a.x),
                (a.x + distance * 0.7, a.y - distance * 0.7 - height, "start", a.x + distance * 0.7),
                (a.x - distance * 0.7 - width, a.y - distance * 0.7 - height, "end", a.x - distance * 0.7),
                (a.x + distance * 0.7, a.y + distance * 0.7, "start", a.x + distance * 0.7),
                (a.x - distance * 0.7 - width, a.y + distance * 0.7, "end", a.x - distance * 0.7),
            ]
            for (x, y, anchor, originX) in spots {
                let box = Rect(x: x, y: y, width: width, height: height)
                let baseline = y + (height - fontSize) / 2 + ascent
                result.append(Placement(index: index, origin: Point(x: originX, y: baseline), box: box, textAnchor: anchor))
            }
        }
        return result
    }
}
