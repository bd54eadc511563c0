/// The whole book after parsing: chapters in reading order, entities by kind, and lookups by id and path.
public struct Book: Sendable {
    /// Settings from site.yaml.
    public var config: SiteConfig
    /// Chapters in reading order.
    public var chapters: [Page]
    /// Entity kinds in site order, each with its entities sorted by name.
    public var entities: [(kind: EntityKind, pages: [Page])]
    /// Every page by id.
    public var pages: [PageID: Page]
    /// Page ids by content-relative source path (`chapters/01-backdrop.md`), for `.md` links.
    public var pathIndex: [String: PageID]
    /// Static files by content-relative path.
    public var staticFiles: Set<String>
    /// 1-based chapter numbers by id.
    private var numbers: [PageID: Int] = [:]
    /// The title of every page: what most lookups need, without copying a whole `Page` out of `pages`.
    private var titles: [PageID: String] = [:]
    /// Where each entity sits in `entities`: kind index and position in that kind.
    private var positions: [PageID: (kind: Int, position: Int)] = [:]

    /// Orders chapters, checks duplicate slugs; records problems.
    public init(config: SiteConfig, chapters: [Page], entities: [(kind: EntityKind, pages: [Page])],
                staticFiles: [StaticFile], log: inout DiagnosticLog) {
        self.config = config
        // The tables are made at their final size (grown insert by insert, each was rehashed a dozen times).
        let count = chapters.count + entities.reduce(0) { $0 + $1.pages.count }
        var pages: [PageID: Page] = Dictionary(minimumCapacity: count)
        var pathIndex: [String: PageID] = Dictionary(minimumCapacity: count)
        var slugOwners: [String: (slug: String, displayPath: String)] = Dictionary(minimumCapacity: count)
        numbers.reserveCapacity(chapters.count)
        positions.reserveCapacity(count - chapters.count)
        titles.reserveCapacity(count)
        func register(_ page: Page, slugScope: String) -> Bool {
            let key = slugScope + "/" + page.id.slug.lowercased()
            if let owner = slugOwners[key] {
                let note = owner.slug == page.id.slug ? "" : " (slugs may differ only in letter case)"
                log.error("duplicate slug '\(page.id.slug)': '\(owner.displayPath)' already uses it\(note)",
                          at: page.file.start)
                return false
            }
            slugOwners[key] = (page.id.slug, page.file.displayPath)
            pages[page.id] = page
            pathIndex[page.file.relativePath] = page.id
            return true
        }
        // Sorted by position, so that the sort moves integers rather than whole pages.
        let ordered = chapters.indices.sorted { i, j in
            switch (chapters[i].order, chapters[j].order) {
            case let (x?, y?) where x != y: return x < y
            case (_?, nil): return true
            case (nil, _?): return false
            default: return chapters[i].file.relativePath < chapters[j].file.relativePath
            }
        }.map { chapters[$0] }
        self.chapters = ordered.filter { register($0, slugScope: "chapters") }
        for (index, chapter) in self.chapters.enumerated() { numbers[chapter.id] = index + 1 }
        var kinds: [(kind: EntityKind, pages: [Page])] = []
        for (kind, list) in entities {
            let sorted = list.indices.sorted { list[$0].file.relativePath < list[$1].file.relativePath }.map { list[$0] }
            let kept = sorted.filter { register($0, slugScope: "entities") }
            let names = kept.map { ($0.title.lowercased(), $0.id.slug) }
            kinds.append((kind, kept.indices.sorted { names[$0] < names[$1] }.map { kept[$0] }))
        }
        self.entities = kinds
        for (k, group) in kinds.enumerated() {
            for (position, page) in group.pages.enumerated() { positions[page.id] = (k, position) }
        }
        self.pages = pages
        for (id, page) in pages { titles[id] = page.title }
        self.pathIndex = pathIndex
        self.staticFiles = Set(staticFiles.map(\.relativePath))
    }

    /// Every entity page, kind by kind.
    public var allEntities: [Page] { entities.flatMap(\.pages) }

    /// The 1-based number of a chapter in reading order.
    public func chapterNumber(_ id: PageID) -> Int? { numbers[id] }

    /// The title of a page (chapter title or entity name).
    public func title(of id: PageID) -> String? { titles[id] }


    /// The kind index and the position within that kind of an entity.
    public func entityPosition(_ id: PageID) -> (kind: Int, position: Int)? { positions[id] }
}

extension Book {
    /// Puts `page` in place of the chapter with its id (a new version of the same chapter: same front-matter).
    mutating func replaceChapter(_ page: Page) {
        guard let number = numbers[page.id] else { return }
        chapters[number - 1] = page
        pages[page.id] = page
    }

    /// Lets every page's source text go (see `MarkdownDocument.dropSourceText`): what a build that will not parse
    /// again keeps is the parsed pages.
    mutating func dropSourceTexts() {
        func stripped(_ page: Page) -> Page {
            var copy = page
            copy.file = page.file.withoutText
            page.document.dropSourceText()
            return copy
        }
        chapters = chapters.map(stripped)
        entities = entities.map { ($0.kind, $0.pages.map(stripped)) }
        var pages: [PageID: Page] = [:]
        for page in chapters + allEntities { pages[page.id] = page }
        self.pages = pages
    }
}
