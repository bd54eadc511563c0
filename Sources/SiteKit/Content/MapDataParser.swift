/// One schematic line of the base map: a river, a wall, a coast or a border, as [lat, lon] points.
public struct MapFeature: Sendable, Equatable {
    /// The kind of line, which decides how it is drawn.
    public enum Kind: String, Sendable, CaseIterable {
        case river, wall, coast, border
    }

    /// Name shown in the map's description: `Yellow River`.
    public var name: String
    /// How it is drawn.
    public var kind: Kind
    /// The polyline, in order.
    public var points: [Coordinates]
}

/// Reads `Content/maps/*.yaml`: `features: [{name, kind, points: [[lat, lon], …]}]`.
public enum MapDataParser {
    /// Parses one map data file; problems are diagnostics with positions.
    public static func parse(_ file: SourceFile, log: inout DiagnosticLog) -> [MapFeature] {
        guard case .document(let value)? = YAMLFile.parse(file, log: &log) else { return [] }
        guard let items = value["features"]?.sequence else {
            log.error("map data must be a mapping with a 'features' list", at: value.location)
            return []
        }
        var features: [MapFeature] = []
        for item in items {
            guard let name = item["name"]?.text else {
                log.error("each map feature needs a 'name'", at: item.location)
                continue
            }
            let kindText = item["kind"]?.text ?? "river"
            guard let kind = MapFeature.Kind(rawValue: kindText) else {
                log.error("unknown map feature kind '\(kindText)': expected one of "
                          + MapFeature.Kind.allCases.map(\.rawValue).joined(separator: ", "),
                          at: item["kind"]?.location ?? item.location)
                continue
            }
            var points: [Coordinates] = []
            for point in item["points"]?.sequence ?? [] {
                guard let pair = point.sequence, pair.count == 2, let lat = pair[0].double, let lon = pair[1].double,
                      (-90...90).contains(lat), (-180...180).contains(lon) else {
                    log.error("a point of '\(name)' must be [latitude, longitude] within range", at: point.location)
                    continue
                }
                points.append(Coordinates(latitude: lat, longitude: lon))
            }
            if points.count < 2 {
                log.error("map feature '\(name)' needs at least two points", at: item.location)
                continue
            }
            features.append(MapFeature(name: name, kind: kind, points: points))
        }
        return features
    }
}
