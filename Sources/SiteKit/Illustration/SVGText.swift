/// Reading SVG output back.
enum SVGText {
    /// The `href` values of a drawing, in order, unescaped.
    static func links(in svg: String) -> [String] {
        var links: [String] = []
        var rest = svg[...]
        while let start = rest.range(of: "href=\"") {
            rest = rest[start.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { break }
            links.append(String(rest[..<end]).replacingOccurrences(of: "&amp;", with: "&"))
            rest = rest[end...]
        }
        return links
    }
}

/// SVG text being written as UTF-8 bytes, numbers and escaped text in place, without a string made for each. Numbers
/// are deterministic: at most one decimal, never in exponent form, `-0` written as `0`.
struct SVGWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    /// Markup written as it is.
    mutating func raw(_ markup: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: markup.utf8Start, count: markup.utf8CodeUnitCount))
    }

    /// Text written as it is (ids, class names, anchors: never user text).
    mutating func text(_ text: String) {
        text.withUTF8Bytes { bytes.append(contentsOf: $0) }
    }

    /// Text escaped for text and attribute values, as `HTML.escape` does.
    mutating func escaped(_ text: String) {
        HTML.appendEscaped(text, to: &bytes)
    }

    /// The opening of a drawing: the `<svg>` element of class `cssClass`, sized `width` × `height`, with its title and
    /// description (ids `id-title`, `id-desc`, which label it for screen readers).
    mutating func open(class cssClass: StaticString, id: String, width: Double, height: Double, title: String,
                       description: String) {
        raw("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"")
        raw(cssClass)
        raw("\" viewBox=\"0 0 ")
        number(width)
        raw(" ")
        number(height)
        raw("\" aria-labelledby=\"")
        text(id)
        raw("-title\" aria-describedby=\"")
        text(id)
        raw("-desc\">\n<title id=\"")
        text(id)
        raw("-title\">")
        escaped(title)
        raw("</title>\n<desc id=\"")
        text(id)
        raw("-desc\">")
        escaped(description)
        raw("</desc>\n")
    }

    /// The paper under a drawing: a rectangle over the whole of it.
    mutating func paper(width: Double, height: Double) {
        raw("<rect class=\"map-paper\" x=\"0\" y=\"0\" width=\"")
        number(width)
        raw("\" height=\"")
        number(height)
        raw("\"/>\n")
    }

    /// What another writer wrote.
    mutating func append(_ other: SVGWriter) {
        bytes.append(contentsOf: other.bytes)
    }

    /// A whole number in decimal.
    mutating func int(_ value: Int) {
        if value >= 0, value < 10 { return bytes.append(UInt8(48 + value)) }
        DecimalDigits.append(value, to: &bytes)
    }

    /// A coordinate, with at most one decimal.
    mutating func number(_ value: Double) {
        let tenths = Int((value * 10).rounded())
        if tenths == 0 { return bytes.append(48) }
        // Written whole rather than byte by byte (the numbers of a large book's maps were a percent of its build).
        DecimalDigits.append(tenths.magnitude / 10, negative: tenths < 0, tenths: tenths.magnitude % 10, to: &bytes)
    }

    /// One `x,y` pair.
    mutating func point(_ x: Double, _ y: Double) {
        number(x)
        bytes.append(44)
        number(y)
    }

    /// `x,y` pairs joined by spaces, for `points` attributes.
    mutating func points(_ points: [Point]) {
        for (index, point) in points.enumerated() {
            if index > 0 { bytes.append(32) }
            self.point(point.x, point.y)
        }
    }

    /// The text written, in storage of its own size.
    var string: String { String(decoding: bytes, as: UTF8.self) }
}

/// A point in SVG user units (y grows downwards).
public struct Point: Sendable, Equatable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// An axis-aligned rectangle in SVG user units.
public struct Rect: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// True when the two rectangles share any area.
    public func intersects(_ other: Rect) -> Bool {
        x < other.x + other.width && other.x < x + width && y < other.y + other.height && other.y < y + height
    }

    /// True when the rectangle lies inside `other`.
    public func isInside(_ other: Rect) -> Bool {
        x >= other.x && y >= other.y && x + width <= other.x + other.width && y + height <= other.y + other.height
    }
}

/// Estimates how wide a label is, without fonts: Han characters count as one em, Latin as about 0.56 em.
enum TextMetrics {
    static func width(_ text: String, fontSize: Double) -> Double {
        var ems = 0.0
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x2E80...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FFFF: ems += 1.0
            case 0x20, 0x2E, 0x2C, 0x27, 0x2019, 0x69, 0x6C, 0x49, 0x6A: ems += 0.3
            case 0x4D, 0x57, 0x6D, 0x77: ems += 0.85
            case 0x41...0x5A: ems += 0.68
            case 0...0x7F: ems += 0.56
            default: ems += scalar.properties.isUppercase ? 0.68 : 0.56
            }
        }
        return ems * fontSize
    }
}
