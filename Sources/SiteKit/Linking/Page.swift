/// Identifies a page: its folder (`chapters` or an entity kind) and its slug.
public struct PageID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// `chapters`, `people`, `places`, or another kind folder.
    public var folder: String
    /// The slug, unique within the folder (and across entity kinds).
    public var slug: String

    /// Creates an id.
    public init(folder: String, slug: String) {
        self.folder = folder
        self.slug = slug
    }

    /// `folder/slug`.
    public var description: String { "\(folder)/\(slug)" }

    public static func < (a: PageID, b: PageID) -> Bool { (a.folder, a.slug) < (b.folder, b.slug) }
}

/// One chapter or entity after parsing: front-matter read into typed fields, Markdown parsed once.
public struct Page: Sendable {
    /// Folder and slug.
    public var id: PageID
    /// The entity kind, or nil for chapters.
    public var kind: EntityKind?
    /// The source file.
    public var file: SourceFile
    /// Every front-matter key, for templates.
    public var fields: [YAMLValue.Entry]
    /// Chapter title or entity name.
    public var title: String
    /// One-line summary.
    public var summary: String?
    /// Chapter order from front-matter or the file name prefix.
    public var order: Int?
    /// Chapter period, such as `1081–1082`.
    public var period: String?
    /// Entity aliases with their positions.
    public var aliases: [(text: String, location: SourceLocation)]
    /// Han characters of the name.
    public var chinese: String?
    /// Facts shown on the entity page (dates, role, location), already formatted.
    public var facts: [Fact]
    /// Coordinates of a place.
    public var coordinates: Coordinates?
    /// The parsed Markdown body.
    public var document: MarkdownDocument
    /// Hash of the whole file and of its front-matter alone: what later stages key their caches on.
    public var textHash = StableHash()
    public var frontMatterHash = StableHash()

    /// True for chapters.
    public var isChapter: Bool { kind == nil }
}

/// A labelled fact such as "Born: 1021".
public struct Fact: Sendable, Equatable {
    /// `Born`, `Coordinates`, …
    public var label: String
    /// The value as shown.
    public var value: String
}
