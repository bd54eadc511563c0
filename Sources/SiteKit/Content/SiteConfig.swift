/// The book's settings from `site.yaml`.
public struct SiteConfig: Sendable {
    /// Book title.
    public var title: String
    /// Subtitle, shown under the title.
    public var subtitle: String?
    /// Author line.
    public var author: String?
    /// BCP 47 language of the text (`en`).
    public var language: String
    /// Absolute base URL of the published site, for canonical links; optional.
    public var baseURL: String?
    /// Entity kinds, in order: `people`, `places`, then those `kinds:` lists.
    public var kinds: [EntityKind]
    /// Whether raw HTML in Markdown is kept.
    public var unsafeHTML: Bool
    /// The language tag of Han characters in `chinese` fields.
    public var chineseLanguage: String
    /// Every key of site.yaml, for templates.
    public var fields: [YAMLValue.Entry]

    /// Folders under Content/ that are never entity kinds.
    static let reservedFolders: Set<String> = ["chapters", "images", "assets", "maps", "search"]

    /// Reads `site.yaml`; records problems and falls back to defaults so the rest of the build can still be checked.
    public static func parse(_ file: SourceFile, log: inout DiagnosticLog) -> SiteConfig {
        var config = SiteConfig(title: "Untitled", subtitle: nil, author: nil, language: "en", baseURL: nil,
                                kinds: [EntityKind(folder: "people"), EntityKind(folder: "places")],
                                unsafeHTML: false, chineseLanguage: "zh-Hant", fields: [])
        guard let parsed = YAMLFile.parse(file, log: &log) else { return config }
        guard case .document(let value) = parsed else {
            log.error("missing required key 'title' in site.yaml", at: file.start)
            return config
        }
        guard let fields = value.mapping else {
            log.error("site.yaml must be a mapping of keys to values, found \(value.shapeDescription)", at: value.location)
            return config
        }
        config.fields = fields
        var reader = FieldReader(fields: fields, file: file)
        config.title = reader.string("title", required: true) ?? config.title
        config.subtitle = reader.string("subtitle")
        config.author = reader.string("author")
        config.language = reader.string("language") ?? "en"
        config.baseURL = reader.string("base_url")
        config.unsafeHTML = reader.bool("unsafe_html") ?? false
        config.chineseLanguage = reader.string("chinese_language") ?? "zh-Hant"
        for (folder, location) in reader.strings("kinds") {
            if folder == "people" || folder == "places" || config.kinds.contains(where: { $0.folder == folder }) {
                continue
            }
            guard EntityKind.isValidFolder(folder), !reservedFolders.contains(folder) else {
                reader.log.error("'\(folder)' cannot be an entity kind: use lowercase letters, digits and '-', "
                                 + "and none of \(reservedFolders.sorted().joined(separator: ", "))", at: location)
                continue
            }
            config.kinds.append(EntityKind(folder: folder))
        }
        log.merge(reader.log)
        return config
    }
}

/// A kind of entity: the folder its files live in, and its names.
public struct EntityKind: Sendable, Hashable {
    /// Folder under Content/ and under the output: `people`.
    public var folder: String
    /// One of them, lowercase: `person`.
    public var singular: String
    /// Title of the index page: `People`.
    public var plural: String

    /// Derives the names from the folder.
    public init(folder: String) {
        self.folder = folder
        switch folder {
        case "people": singular = "person"
        case let f where f.hasSuffix("ies"): singular = String(f.dropLast(3)) + "y"
        case let f where f.hasSuffix("s"): singular = String(f.dropLast())
        default: singular = folder
        }
        plural = folder.prefix(1).uppercased() + folder.dropFirst().replacingDashes
    }

    /// Lowercase ASCII letters, digits and dashes, starting with a letter.
    static func isValidFolder(_ folder: String) -> Bool {
        guard let first = folder.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return folder.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}

extension StringProtocol {
    var replacingDashes: String { String(map { $0 == "-" ? " " : $0 }) }
}
