/// Reads typed values out of a front-matter mapping, recording a diagnostic for each value of the wrong shape.
struct FieldReader {
    let fields: [YAMLValue.Entry]
    let file: SourceFile
    var log = DiagnosticLog()

    init(fields: [YAMLValue.Entry], file: SourceFile) {
        self.fields = fields
        self.file = file
    }

    func value(_ key: String) -> YAMLValue? {
        fields.first { $0.key == key }?.value
    }

    /// A string (numbers are taken as their text); records an error for lists, mappings or, if required, absence.
    mutating func string(_ key: String, required: Bool = false, missingAt: SourceLocation? = nil) -> String? {
        guard let value = value(key), value.kind != .scalar("", .null) else {
            if required {
                log.error("missing required key '\(key)' in front-matter", at: missingAt ?? file.start)
            }
            return nil
        }
        if case .scalar(_, .null) = value.kind {
            if required { log.error("'\(key)' must not be empty", at: value.location) }
            return nil
        }
        guard let text = value.text else {
            log.error("'\(key)' must be a string, found \(value.shapeDescription)", at: value.location)
            return nil
        }
        if required && text.trimmingSpaces.isEmpty {
            log.error("'\(key)' must not be empty", at: value.location)
            return nil
        }
        return text
    }

    /// A whole number; records an error for anything else.
    mutating func int(_ key: String) -> Int? {
        guard let value = value(key) else { return nil }
        if case .scalar(_, .null) = value.kind { return nil }
        guard let number = value.int else {
            log.error("'\(key)' must be a whole number, found \(describe(value))", at: value.location)
            return nil
        }
        return number
    }

    /// A boolean; records an error for anything else.
    mutating func bool(_ key: String) -> Bool? {
        guard let value = value(key) else { return nil }
        guard let flag = value.bool else {
            log.error("'\(key)' must be true or false, found \(describe(value))", at: value.location)
            return nil
        }
        return flag
    }

    /// A list of strings (a single string is taken as a list of one), each with its position.
    mutating func strings(_ key: String) -> [(text: String, location: SourceLocation)] {
        guard let value = value(key) else { return [] }
        if case .scalar(_, .null) = value.kind { return [] }
        if let text = value.text { return [(text, value.location)] }
        guard let items = value.sequence else {
            log.error("'\(key)' must be a list of strings, found \(value.shapeDescription)", at: value.location)
            return []
        }
        var result: [(String, SourceLocation)] = []
        for item in items {
            guard let text = item.text else {
                log.error("each entry of '\(key)' must be a string, found \(item.shapeDescription)", at: item.location)
                continue
            }
            result.append((text, item.location))
        }
        return result
    }

    /// `[latitude, longitude]` in decimal degrees, within range.
    mutating func coordinates(_ key: String) -> Coordinates? {
        guard let value = value(key) else { return nil }
        guard let items = value.sequence, items.count == 2, let lat = items[0].double, let lon = items[1].double else {
            log.error("'\(key)' must be [latitude, longitude] in decimal degrees, found \(describe(value))",
                      at: value.location)
            return nil
        }
        guard (-90...90).contains(lat) else {
            log.error("latitude \(items[0].text ?? "") is out of range: expected a number from -90 to 90", at: items[0].location)
            return nil
        }
        guard (-180...180).contains(lon) else {
            log.error("longitude \(items[1].text ?? "") is out of range: expected a number from -180 to 180", at: items[1].location)
            return nil
        }
        return Coordinates(latitude: lat, longitude: lon)
    }

    private func describe(_ value: YAMLValue) -> String {
        if let text = value.text, value.sequence == nil { return "'\(text)'" }
        return value.shapeDescription
    }
}

/// A point on the earth in decimal degrees.
public struct Coordinates: Sendable, Equatable, Hashable {
    /// Degrees north (negative: south).
    public var latitude: Double
    /// Degrees east (negative: west).
    public var longitude: Double

    /// Creates a point.
    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }

    /// "36.06° N, 103.83° E".
    public var formatted: String {
        func part(_ value: Double, _ positive: String, _ negative: String) -> String {
            let rounded = (abs(value) * 100).rounded() / 100
            return "\(rounded)° \(value >= 0 ? positive : negative)"
        }
        return "\(part(latitude, "N", "S")), \(part(longitude, "E", "W"))"
    }
}
