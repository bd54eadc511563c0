/// Identifies a page: its folder (`chapters` or an entity kind) and its slug.
public struct PageID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// `chapters`, `people`, `places`, or another kind folder.
    public let folder: String
    /// The slug, unique within the folder (and across entity kinds).
    public let slug: String
    /// A hash of both, made once: ids are the keys of most tables of a build, and are looked up millions of times in
    /// a large book (hashing two strings each time was a few percent of a build).
    private let digest: UInt64

    /// Creates an id.
    public init(folder: String, slug: String) {
        self.folder = folder
        self.slug = slug
        var digest = StableHash()
        digest.add(folder)
        digest.add(slug)
        self.digest = digest.value
    }

    public static func == (a: PageID, b: PageID) -> Bool {
        a.digest == b.digest && a.slug == b.slug && a.folder == b.folder
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(digest)
    }

    /// What the standard tables hash an id by: the digest, already a hash of the id, mixed with the table's seed by
    /// a multiply-and-fold rather than by SipHash. (Hashing for the tables keyed by id, millions of lookups in a large
    /// book, was 2% of a build's CPU.)
    public func _rawHashValue(seed: Int) -> Int {
        var mixed = (digest ^ UInt64(truncatingIfNeeded: seed)) &* 0x9E37_79B9_7F4A_7C15
        mixed ^= mixed >> 29
        mixed = mixed &* 0xBF58_476D_1CE4_E5B9
        mixed ^= mixed >> 32
        return Int(truncatingIfNeeded: mixed)
    }

    /// `folder/slug`.
    public var description: String { "\(folder)/\(slug)" }

    public static func < (a: PageID, b: PageID) -> Bool { (a.folder, a.slug) < (b.folder, b.slug) }
}

/// One chapter or entity after parsing: front-matter read into typed fields, Markdown parsed once.
///
/// A value type whose fields live in one shared object, copied only when a copy is changed: every stage passes
/// pages around (sorted into the book, grouped by kind, looked up by id), and copying fifteen fields field by field
/// was measured at a sixth of a rebuild of a 10,000-chapter book.
public struct Page: Sendable {
    private struct Fields {
        var id: PageID {
            didSet { hrefs = Hrefs(id) }
        }
        /// Made with the id: every page links to hundreds of others, and making each href again was a few percent of a
        /// large build.
        var hrefs: Hrefs
        var kind: EntityKind?
        var file: SourceFile
        var fields: [YAMLValue.Entry]
        var title: String
        var summary: String?
        var order: Int?
        var period: String?
        var aliases: [(text: String, location: SourceLocation)]
        var chinese: String?
        var facts: [Fact]
        var coordinates: Coordinates?
        var document: MarkdownDocument
        var textHash: StableHash
        var frontMatterHash: StableHash
    }

    private var stored: CopyOnWrite<Fields>

    /// A page; the hashes start empty.
    public init(id: PageID, kind: EntityKind?, file: SourceFile, fields: [YAMLValue.Entry], title: String, summary: String?,
                order: Int?, period: String?, aliases: [(text: String, location: SourceLocation)], chinese: String?,
                facts: [Fact], coordinates: Coordinates?, document: MarkdownDocument) {
        stored = CopyOnWrite(Fields(id: id, hrefs: Hrefs(id), kind: kind, file: file, fields: fields, title: title,
                                    summary: summary, order: order, period: period, aliases: aliases, chinese: chinese, facts: facts,
                                    coordinates: coordinates, document: document, textHash: StableHash(),
                                    frontMatterHash: StableHash()))
    }

    /// Folder and slug.
    public var id: PageID {
        get { stored.value.id }
        set { stored.value.id = newValue }
    }
    /// The page's output path, `chapters/five-armies.html` (`SitePaths.page`).
    public var path: String { stored.value.hrefs.path }
    /// The href to this page from a page one folder deep in another folder: `../chapters/five-armies.html`.
    public var hrefFromOtherFolder: String { stored.value.hrefs.fromOtherFolder }
    /// The href to this page from a page in its own folder: `five-armies.html`.
    public var hrefFromOwnFolder: String { stored.value.hrefs.fromOwnFolder }

    /// The href to this page from the page at output path `from` (`SitePaths.href`), without making a string for
    /// the common case of a page one folder deep.
    public func href(from: String) -> String {
        guard let folder = SitePaths.folder(ofPageOneDeep: from) else { return SitePaths.href(from: from, to: path) }
        let hrefs = stored.value.hrefs
        return folder == stored.value.id.folder ? hrefs.fromOwnFolder : hrefs.fromOtherFolder
    }

    /// The href to this page from another page (all pages are one folder deep).
    public func href(fromPage other: PageID) -> String {
        let hrefs = stored.value.hrefs
        return other.folder == stored.value.id.folder ? hrefs.fromOwnFolder : hrefs.fromOtherFolder
    }

    /// The entity kind, or nil for chapters.
    public var kind: EntityKind? {
        get { stored.value.kind }
        set { stored.value.kind = newValue }
    }
    /// The source file.
    public var file: SourceFile {
        get { stored.value.file }
        set { stored.value.file = newValue }
    }
    /// Every front-matter key, for templates.
    public var fields: [YAMLValue.Entry] {
        get { stored.value.fields }
        set { stored.value.fields = newValue }
    }
    /// Chapter title or entity name.
    public var title: String {
        get { stored.value.title }
        set { stored.value.title = newValue }
    }
    /// One-line summary.
    public var summary: String? {
        get { stored.value.summary }
        set { stored.value.summary = newValue }
    }
    /// Chapter order from front-matter or the file name prefix.
    public var order: Int? {
        get { stored.value.order }
        set { stored.value.order = newValue }
    }
    /// Chapter period, such as `1081–1082`.
    public var period: String? {
        get { stored.value.period }
        set { stored.value.period = newValue }
    }
    /// Entity aliases with their positions.
    public var aliases: [(text: String, location: SourceLocation)] {
        get { stored.value.aliases }
        set { stored.value.aliases = newValue }
    }
    /// Han characters of the name.
    public var chinese: String? {
        get { stored.value.chinese }
        set { stored.value.chinese = newValue }
    }
    /// Facts shown on the entity page (dates, role, location), already formatted.
    public var facts: [Fact] {
        get { stored.value.facts }
        set { stored.value.facts = newValue }
    }
    /// Coordinates of a place.
    public var coordinates: Coordinates? {
        get { stored.value.coordinates }
        set { stored.value.coordinates = newValue }
    }
    /// The parsed Markdown body.
    public var document: MarkdownDocument {
        get { stored.value.document }
        set { stored.value.document = newValue }
    }
    /// Hash of the whole file: what later stages key their caches on.
    public var textHash: StableHash {
        get { stored.value.textHash }
        set { stored.value.textHash = newValue }
    }
    /// Hash of the front-matter alone.
    public var frontMatterHash: StableHash {
        get { stored.value.frontMatterHash }
        set { stored.value.frontMatterHash = newValue }
    }

    /// True for chapters.
    public var isChapter: Bool { stored.value.kind == nil }
}

/// The hrefs of a page that do not depend on the page linking to it.
private struct Hrefs {
    var path: String
    var fromOwnFolder: String
    var fromOtherFolder: String

    init(_ id: PageID) {
        path = SitePaths.page(id)
        fromOwnFolder = id.slug + ".html"
        fromOtherFolder = "../" + path
    }
}

/// A labelled fact such as "Born: 1021". (An object: templates are handed objects.)
public final class Fact: Sendable, Equatable {
    /// `Born`, `Coordinates`, …
    public let label: String
    /// The value as shown.
    public let value: String

    public init(label: String, value: String) {
        self.label = label
        self.value = value
    }

    public static func == (a: Fact, b: Fact) -> Bool { a.label == b.label && a.value == b.value }
}
