/// A page after linking: its body HTML, headings and the entities it refers to.
public struct LinkedPage: Sendable {
    fileprivate struct Fields {
        var id: PageID
        var body: [UInt8] = []
        var headings: [Heading]
        var figures: [Figure] = []
        var sectionIntros: [String]
        var entitiesInOrder: [PageID]
        var backlinkEntries: [(entity: PageID, entry: Backlinks.ChapterEntry)]
    }

    fileprivate var fields: CopyOnWrite<Fields>

    /// The page.
    public var id: PageID { fields.value.id }
    /// The rendered body (filled by the render stage), as UTF-8 bytes.
    public var body: [UInt8] {
        get { fields.value.body }
        set { fields.value.body = newValue }
    }
    /// The rendered body as a string.
    public var bodyHTML: String {
        get { String(decoding: body, as: UTF8.self) }
        set { body = Array(newValue.utf8) }
    }
    /// Headings with display titles and ids.
    public var headings: [Heading] {
        get { fields.value.headings }
        set { fields.value.headings = newValue }
    }
    /// Figures made from titled images, in order (filled by the render stage).
    public var figures: [Figure] {
        get { fields.value.figures }
        set { fields.value.figures = newValue }
    }
    /// The opening text of each section (index 0: before the first heading), cut as search documents show it
    /// (`ClientData.clip`: the only reader; the whole paragraphs were a fifth of what the link cache kept).
    public var sectionIntros: [String] { fields.value.sectionIntros }
    /// Entities referred to, without repeats, in order of first reference. (The occurrences themselves are not kept:
    /// with the sentence around each, they were among the largest things a build of a large book held.)
    public var entitiesInOrder: [PageID] { fields.value.entitiesInOrder }
    /// Entities referred to, without repeats, sorted.
    public var referencedEntities: [PageID] { entitiesInOrder.sorted() }
    /// This page's backlink entries, one per entity it refers to, in order of first reference (computed once here, so
    /// that a rebuild after one edit gathers every entity's backlinks without walking every chapter's references).
    public var backlinkEntries: [(entity: PageID, entry: Backlinks.ChapterEntry)] { fields.value.backlinkEntries }

    /// A linked page; derives the entities and backlink entries from the occurrences. `entity` turns an occurrence's
    /// key into the entity's id (the linker passes the book's own ids, so that pages share them rather than each
    /// holding copies).
    public init(id: PageID, headings: [Heading], occurrences: [ReferenceOccurrence], sectionIntros: [String] = [],
                entity: (String) -> PageID? = EntityKey.id) {
        // One backlink entry per entity, in order of first reference: the entities in order, as well.
        let (backlinkEntries, order) = Backlinks.entries(of: id, headings: headings, occurrences: occurrences,
                                                         entity: entity)
        fields = CopyOnWrite(Fields(
            id: id, headings: headings, sectionIntros: sectionIntros.map(ClientData.clip),
            entitiesInOrder: order, backlinkEntries: backlinkEntries))
    }
}

extension LinkedPage {
    /// A linked page from its parts, without a body (read back from the link cache).
    init(id: PageID, headings: [Heading], figures: [Figure], sectionIntros: [String], entitiesInOrder: [PageID],
         backlinkEntries: [(entity: PageID, entry: Backlinks.ChapterEntry)]) {
        fields = CopyOnWrite(Fields(id: id, headings: headings, figures: figures, sectionIntros: sectionIntros,
                                    entitiesInOrder: entitiesInOrder, backlinkEntries: backlinkEntries))
    }
}

/// Encodes page ids as the opaque keys the Markdown layer carries.
public enum EntityKey {
    static func key(_ id: PageID) -> String { id.description }
    /// The id a key encodes.
    public static func id(_ key: String) -> PageID? {
        let parts = key.split(separator: "/", maxSplits: 1)
        return parts.count == 2 ? PageID(folder: String(parts[0]), slug: String(parts[1])) : nil
    }
}

/// The link stage for one page: resolves every reference, link and image against the book. Pure; runs in parallel.
/// An object, so that each page's resolving closure holds one reference rather than a copy of the book's tables.
public final class Linker: Sendable {
    /// The book being built.
    public let book: Book
    /// The shared entity index.
    public let index: EntityIndex

    /// Per entity, what every reference to it carries (made once, shared by every occurrence rather than built again
    /// for each of the book's references).
    private let entities: [PageID: EntityTarget]
    /// The same, by position in the index's `entityIDs`: a reference written as a slug or name is found by position,
    /// without its id being looked up (or copied) at all.
    private let targets: [EntityTarget?]

    /// What a reference to one entity carries: its name, link class and key, its page's path, and the link's opening
    /// tag from a page one folder deep in another folder (every chapter's), escaped. One object: read out of the
    /// table for a reference, it is one reference count rather than one for each of five strings.
    private final class EntityTarget: Sendable {
        let folder: String
        let title: String
        let cssClass: String
        let key: String
        let page: String
        let tagFromAnotherFolder: [UInt8]

        init(folder: String, title: String, cssClass: String, key: String, page: String, hrefFromAnotherFolder: String) {
            (self.folder, self.title, self.cssClass, self.key, self.page) = (folder, title, cssClass, key, page)
            tagFromAnotherFolder = MarkdownDocument.entityTag(href: hrefFromAnotherFolder, cssClass: cssClass, key: key)
        }
    }
    /// Every entity's position in the index's `entityIDs`, by its key.
    private let ids: SpellingTable

    /// A linker over a book.
    public init(book: Book, index: EntityIndex) {
        self.book = book
        self.index = index
        var entities: [PageID: EntityTarget] = [:]
        for (kind, pages) in book.entities {
            let cssClass = "ref ref-\(kind.singular)"
            for page in pages {
                entities[page.id] = EntityTarget(folder: page.id.folder, title: page.title, cssClass: cssClass,
                                                 key: EntityKey.key(page.id), page: page.path,
                                                 hrefFromAnotherFolder: page.hrefFromOtherFolder)
            }
        }
        self.entities = entities
        targets = index.entityIDs.map { entities[$0] }
        ids = SpellingTable(index.entityIDs.enumerated().compactMap { position, id in
            entities[id].map { ($0.key, position) }
        })
    }

    /// Links and renders the body of one page; records every unresolved target.
    /// Where a page's body is shown: on its own page, or inside the whole-book page.
    public enum Placement: Sendable {
        case ownPage
        case bookPage
    }

    /// The heading-id prefix of a chapter inside the whole-book page.
    public static func bookPrefix(_ id: PageID) -> String { "\(id.slug)--" }

    /// The anchor of a chapter's start inside the whole-book page.
    public static func bookAnchor(_ id: PageID) -> String { "chapter-\(id.slug)" }

    /// Resolves every reference of one page, editing its tree; records every unresolved target.
    public func link(_ page: Page, log: inout DiagnosticLog) -> LinkedPage {
        link(page, document: page.document, placement: .ownPage, log: &log)
    }

    /// Links `document` (the page's own tree, or a second parse for the whole-book page).
    public func link(_ page: Page, document: MarkdownDocument, placement: Placement, log: inout DiagnosticLog) -> LinkedPage {
        var pending: [PendingAnchor]? = nil
        return link(page, document: document, placement: placement, log: &log, pending: &pending)
    }

    /// A link to a heading of another page, left to check until every page has been parsed.
    public struct PendingAnchor: Sendable {
        let anchor: String
        let target: PageID
        let shownAs: String
        let location: SourceLocation
    }

    /// Resolves every reference of one page while other pages may still be being parsed: links to headings of other
    /// pages are not checked but added to `pending`, for `check(_:log:)` once every page is parsed.
    public func link(_ page: Page, log: inout DiagnosticLog, pending: inout [PendingAnchor]) -> LinkedPage {
        var deferred: [PendingAnchor]? = []
        let linked = link(page, document: page.document, placement: .ownPage, log: &log, pending: &deferred)
        pending += deferred ?? []
        return linked
    }

    /// Checks links to headings left pending by `link(_:log:pending:)`.
    public func check(_ pending: [PendingAnchor], log: inout DiagnosticLog) {
        for item in pending {
            guard let target = book.pages[item.target] else { continue }
            _ = checkAnchor(item.anchor, in: target, shownAs: item.shownAs, at: item.location, log: &log)
        }
    }

    /// Links `document`; with `pending` not nil, links to another page's headings are added to it unchecked.
    private func link(_ page: Page, document: MarkdownDocument, placement: Placement, log: inout DiagnosticLog,
                      pending: inout [PendingAnchor]?) -> LinkedPage {
        let from = placement == .bookPage ? SitePaths.book : SitePaths.page(page.id)
        // Links from a page one folder deep (every chapter and entity page) to a page of another folder are
        // `../folder/page.html`.
        let fromFolder = SitePaths.folder(ofPageOneDeep: from)
        var problems = DiagnosticLog()
        let occurrences = document.link { request, location in
            switch request {
            case .reference(let target, let label):
                return reference(target, label: label, from: from, fromFolder: fromFolder, at: location, log: &problems)
            case .link(let url):
                let resolution = link(url, page: page, from: from, at: location, log: &problems, pending: &pending)
                return placement == .bookPage ? inBook(resolution, original: url, page: page) : resolution
            case .image(let url, let alt):
                if alt.trimmingSpaces.isEmpty {
                    problems.warning("image '\(url)' has no alt text: describe it between the brackets, ![like this](…)",
                                     at: location)
                }
                return image(url, page: page, from: from, at: location, log: &problems)
            case .rawHTML:
                if book.config.unsafeHTML { return .keep }
                problems.warning("raw HTML dropped: set 'unsafe_html: true' in site.yaml to keep it", at: location)
                return .drop
            }
        }
        log.merge(problems)
        let entityIDs = index.entityIDs
        return LinkedPage(id: page.id, headings: document.headings, occurrences: occurrences,
                          sectionIntros: document.sectionIntros,
                          entity: { key in ids.value(for: key).map { entityIDs[$0] } ?? EntityKey.id(key) })
    }

    /// Renders a linked document into `linked`; `firstFigure` numbers its figures (nil: unnumbered).
    public func renderBody(of document: MarkdownDocument, into linked: inout LinkedPage, firstFigure: Int?) {
        renderBody(of: document, into: &linked, numbering: firstFigure.map(MarkdownDocument.FigureNumbering.from) ?? .none)
    }

    /// Renders a linked document into `linked`, its figures numbered as `numbering` says.
    public func renderBody(of document: MarkdownDocument, into linked: inout LinkedPage,
                           numbering: MarkdownDocument.FigureNumbering) {
        let rendered = document.renderHTMLBytes(unsafe: book.config.unsafeHTML, numbering: numbering)
        linked.body = rendered.html
        linked.figures = rendered.figures
        linked.headings = document.headings
    }

    /// On the whole-book page, links to chapters (and their headings) become anchors within the page.
    private func inBook(_ resolution: LinkResolution, original url: String, page: Page) -> LinkResolution {
        let (path, anchor) = Self.split(url)
        if path.isEmpty, let anchor { return .url("#" + Self.bookPrefix(page.id) + anchor) }
        guard case .url = resolution, path.hasSuffix(".md"),
              let resolved = SitePaths.resolve(path.removingPercentEncodingIfPossible, against: page.file.relativePath),
              let id = book.pathIndex[resolved], id.folder == "chapters" else { return resolution }
        return .url("#" + (anchor.map { Self.bookPrefix(id) + $0 } ?? Self.bookAnchor(id)))
    }

    private func reference(_ target: String, label: String?, from: String, fromFolder: Substring?,
                           at location: SourceLocation, log: inout DiagnosticLog) -> LinkResolution {
        if let position = index.exactPosition(target) {
            guard let entity = targets[position] else { return .keep }
            return Self.resolution(entity, label: label, from: from, fromFolder: fromFolder)
        }
        switch index.resolve(target) {
        case .found(let id):
            guard let entity = entities[id] else { return .keep }
            return Self.resolution(entity, label: label, from: from, fromFolder: fromFolder)
        case .ambiguous(let ids):
            let list = ids.map { "'\($0.slug)' (\($0.folder))" }.joined(separator: ", ")
            log.error("ambiguous reference '\(target)': it names \(list)", at: location,
                      notes: ["write the slug instead, e.g. '[[\(ids[0].slug)]]'"])
            return .keep
        case .unknown(let suggestion):
            log.error("unknown entity '\(target)'", at: location,
                      notes: suggestion.map { ["did you mean '\($0)'?"] } ?? [])
            return .keep
        }
    }

    /// A reference to `entity` from the page at `from` (in folder `fromFolder`).
    private static func resolution(_ entity: EntityTarget, label: String?, from: String,
                                   fromFolder: Substring?) -> LinkResolution {
        if let fromFolder, fromFolder != entity.folder {
            return .entityTag(tag: entity.tagFromAnotherFolder, text: label ?? entity.title, key: entity.key)
        }
        return .entity(href: SitePaths.href(from: from, to: entity.page), text: label ?? entity.title,
                       cssClass: entity.cssClass, key: entity.key)
    }

    private func link(_ url: String, page: Page, from: String, at location: SourceLocation,
                      log: inout DiagnosticLog, pending: inout [PendingAnchor]?) -> LinkResolution {
        if let scheme = URLSafety.scheme(of: url) {
            guard URLSafety.isSafeLinkScheme(scheme) else {
                log.warning("link to '\(url.prefix(40))' removed: '\(scheme):' links are not allowed", at: location)
                return .url("")
            }
            return .keep
        }
        let (path, anchor) = Self.split(url)
        if path.isEmpty {
            guard let anchor else { return .keep }
            _ = checkAnchor(anchor, in: page, shownAs: "this page", at: location, log: &log)
            return .keep
        }
        guard !path.hasPrefix("/") else { return .keep }
        guard let resolved = SitePaths.resolve(path.removingPercentEncodingIfPossible, against: page.file.relativePath) else {
            log.error("link '\(url)' leaves the content folder", at: location)
            return .keep
        }
        if resolved.hasSuffix(".md") {
            guard let id = book.pathIndex[resolved], let target = book.pages[id] else {
                let written = book.pathIndex.keys.map { SitePaths.href(from: page.file.relativePath, to: $0) }
                let suggestion = Suggestion.closest(to: path, in: written)
                log.error("link to missing file '\(path)'", at: location,
                          notes: suggestion.map { ["did you mean '\($0)'?"] } ?? [])
                return .keep
            }
            var href = SitePaths.href(from: from, to: SitePaths.page(id))
            if let anchor {
                let shownAs = "'\(target.file.relativePath)'"
                if pending != nil, id != page.id {
                    pending?.append(PendingAnchor(anchor: anchor, target: id, shownAs: shownAs, location: location))
                } else {
                    _ = checkAnchor(anchor, in: target, shownAs: shownAs, at: location, log: &log)
                }
                href += "#" + anchor
            }
            return .url(href)
        }
        guard book.staticFiles.contains(resolved) else {
            log.error("link to missing file '\(path)'", at: location)
            return .keep
        }
        return .url(SitePaths.href(from: from, to: resolved) + (anchor.map { "#" + $0 } ?? ""))
    }

    private func image(_ url: String, page: Page, from: String, at location: SourceLocation,
                       log: inout DiagnosticLog) -> LinkResolution {
        if let scheme = URLSafety.scheme(of: url) {
            guard scheme == "http" || scheme == "https" else {
                log.warning("image '\(url.prefix(40))' removed: '\(scheme):' sources are not allowed", at: location)
                return .url("")
            }
            return .keep
        }
        guard !url.hasPrefix("/"), let resolved = SitePaths.resolve(url.removingPercentEncodingIfPossible,
                                                                    against: page.file.relativePath) else {
            log.error("image '\(url)' must be a path relative to the Markdown file, inside the content folder", at: location)
            return .keep
        }
        guard book.staticFiles.contains(resolved) else {
            let written = book.staticFiles.map { SitePaths.href(from: page.file.relativePath, to: $0) }
            let suggestion = Suggestion.closest(to: url, in: written)
            log.error("image file '\(url)' does not exist", at: location,
                      notes: suggestion.map { ["did you mean '\($0)'?"] } ?? [])
            return .keep
        }
        return .url(SitePaths.href(from: from, to: resolved))
    }

    private func checkAnchor(_ anchor: String, in target: Page, shownAs name: String, at location: SourceLocation,
                             log: inout DiagnosticLog) -> Bool {
        let ids = target.document.headingIDs
        guard !ids.contains(anchor) else { return true }
        log.error("no heading '#\(anchor)' in \(name)", at: location,
                  notes: Suggestion.closest(to: anchor, in: ids).map { ["did you mean '#\($0)'?"] } ?? [])
        return false
    }

    static func split(_ url: String) -> (path: String, anchor: String?) {
        guard let hash = url.firstIndex(of: "#") else { return (url, nil) }
        return (String(url[..<hash]), String(url[url.index(after: hash)...]))
    }
}
