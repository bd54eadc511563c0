import Foundation

/// An equirectangular projection fitted to a set of places: longitude scaled by the cosine of the middle latitude,
/// the extent padded and centred in a frame of fixed width.
public struct Projection: Sendable, Equatable {
    /// The drawing area, in SVG user units.
    public let frame: Rect
    let minLon: Double
    let maxLat: Double
    let cosine: Double
    /// SVG units per degree of latitude.
    public let scale: Double
    let offset: Point

    /// Fits `points` into a frame `width` wide (and at most `maxHeight` high), with `padding` units on each side.
    /// A small extent is widened to at least `minimumSpan` degrees so a lone place is shown with its context.
    public init(fitting points: [Coordinates], width: Double = 600, maxHeight: Double = 560, padding: Double = 36,
                minimumSpan: Double = 3) {
        var minLat = 30.0, maxLat = 40.0, minLon = 100.0, maxLon = 110.0
        if let first = points.first {
            (minLat, maxLat, minLon, maxLon) = (first.latitude, first.latitude, first.longitude, first.longitude)
            for p in points.dropFirst() {
                minLat = min(minLat, p.latitude); maxLat = max(maxLat, p.latitude)
                minLon = min(minLon, p.longitude); maxLon = max(maxLon, p.longitude)
            }
        }
        if maxLat - minLat < minimumSpan {
            let middle = (maxLat + minLat) / 2
            minLat = middle - minimumSpan / 2
            maxLat = middle + minimumSpan / 2
        }
        if maxLon - minLon < minimumSpan {
            let middle = (maxLon + minLon) / 2
            minLon = middle - minimumSpan / 2
            maxLon = middle + minimumSpan / 2
        }
        let cosine = cos((minLat + maxLat) / 2 * .pi / 180)
        let spanX = (maxLon - minLon) * cosine
        let spanY = maxLat - minLat
        let scale = min((width - 2 * padding) / spanX, (maxHeight - 2 * padding) / spanY)
        let height = (spanY * scale + 2 * padding).rounded()
        self.frame = Rect(x: 0, y: 0, width: width, height: height)
        self.minLon = minLon
        self.maxLat = maxLat
        self.cosine = cosine
        self.scale = scale
        self.offset = Point(x: (width - spanX * scale) / 2, y: padding)
    }

    /// The SVG point of a coordinate.
    public func project(_ c: Coordinates) -> Point {
        Point(x: offset.x + (c.longitude - minLon) * cosine * scale, y: offset.y + (maxLat - c.latitude) * scale)
    }

    /// Kilometres per SVG unit (along a parallel at the middle latitude, which equals along a meridian here).
    public var kilometresPerUnit: Double { 111.32 / scale }
}
