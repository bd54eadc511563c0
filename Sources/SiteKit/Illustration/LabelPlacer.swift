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
            if let placement = firstFit(for: request, index: index) {
                occupied.append(placement.box)
                result.append(placement)
            }
        }
        return result
    }

    /// Reserves a rectangle, so later labels avoid it.
    public mutating func reserve(_ rect: Rect) { occupied.append(rect) }

    /// The first spot that fits, among eight around the marker, tried near, then farther, then far; each made only
    /// when the ones before it did not fit (a chapter map tries a few hundred).
    private func firstFit(for request: Request, index: Int) -> Placement? {
        let width = TextMetrics.width(request.text, fontSize: fontSize)
        let height = fontSize * 1.15
        let ascent = fontSize * 0.85
        let a = request.anchor
        for step in 0..<3 {
            let distance = request.markerRadius + (step == 0 ? 3 : step == 1 ? 10 : 20)
            let diagonal = distance * 0.7
            for spot in 0..<8 {
                // Box x, box y, text anchor, origin x.
                let (x, y, anchor, originX): (Double, Double, String, Double)
                switch spot {
                case 0: (x, y, anchor, originX) = (a.x + distance, a.y - height / 2, "start", a.x + distance)
                case 1: (x, y, anchor, originX) = (a.x - distance - width, a.y - height / 2, "end", a.x - distance)
                case 2: (x, y, anchor, originX) = (a.x - width / 2, a.y - distance - height, "middle", a.x)
                case 3: (x, y, anchor, originX) = (a.x - width / 2, a.y + distance, "middle", a.x)
                case 4: (x, y, anchor, originX) = (a.x + diagonal, a.y - diagonal - height, "start", a.x + diagonal)
                case 5: (x, y, anchor, originX) = (a.x - diagonal - width, a.y - diagonal - height, "end", a.x - diagonal)
                case 6: (x, y, anchor, originX) = (a.x + diagonal, a.y + diagonal, "start", a.x + diagonal)
                default: (x, y, anchor, originX) = (a.x - diagonal - width, a.y + diagonal, "end", a.x - diagonal)
                }
                let box = Rect(x: x, y: y, width: width, height: height)
                guard box.isInside(frame), !occupied.contains(where: { $0.intersects(box) }) else { continue }
                let baseline = y + (height - fontSize) / 2 + ascent
                return Placement(index: index, origin: Point(x: originX, y: baseline), box: box, textAnchor: anchor)
            }
        }
        return nil
    }
}
