/// The render stage: turns the linked book into output files through the templates.
public struct SiteRenderer: Sendable {
    let book: Book
    let linked: [PageID: LinkedPage]
    let backlinks: Backlinks
    let templates: TemplateSet
    let illustrations: Illustrations?
    /// Chapter bodies as rendered for the whole-book page.
    let bookBodies: [PageID: String]
    /// The book's settings for templates, built once.
    let site: SiteContext
    /// Search documents of each chapter, already encoded (cached between builds of a session).
    var searchFragments: [PageID: [UInt8]] = [:]
    /// The map, timeline and illustrations pages this build writes (label and path), for every page's header; and
    /// whether it writes the whole-book page. Decided once: `common` runs for every page.
    let illustrationPages: [(label: String, page: String)]
    let hasBookPage: Bool
    /// What the header and footer of every page one folder deep in each page folder hold (they differ only by
    /// folder), made once.
    private let chrome: [String: Chrome]
    /// Each entity's link as a chapter page shows it (the same on every chapter page), by kind and position; made
    /// when first asked for.
    private let chapterEntityLinks: Lazy<[[EntityLink]]>
    /// Each chapter's title and href from a page one folder deep in another folder, by position; made when first
    /// asked for.
    private let backlinkChapters: Lazy<[(title: String, href: String)]>

    /// A renderer over a linked book.
    public init(book: Book, linked: [PageID: LinkedPage], backlinks: Backlinks, templates: TemplateSet,
                illustrations: Illustrations? = nil, bookBodies: [PageID: String] = [:]) {
        self.bookBodies = bookBodies
        let meta = TemplateFields(book.config.fields)
        let config = book.config
        self.site = SiteContext(title: config.title, subtitle: config.subtitle, author: config.author,
                                language: config.language, chineseLanguage: config.chineseLanguage, meta: meta)
        self.book = book
        self.linked = linked
        self.backlinks = backlinks
        self.templates = templates
        self.illustrations = illustrations
        illustrationPages = [("map", Illustrations.mapPage, "Map"), ("timeline", Illustrations.timelinePage, "Timeline"),
                             ("illustrations", Illustrations.listPage, "Illustrations")]
            .filter { template, _, _ in templates.has(template) && Self.hasIllustrationPage(template, illustrations) }
            .map { _, page, label in (label, page) }
        hasBookPage = Self.wantsBookPage(book, templates: templates)
        chapterEntityLinks = Lazy()
        backlinkChapters = Lazy()
        var chrome: [String: Chrome] = [:]
        for folder in ["chapters"] + book.entities.map(\.kind.folder) where chrome[folder] == nil {
            let shared = Self.chrome(at: folder + "/page.html", book: book, illustrationPages: illustrationPages,
                                     hasBookPage: hasBookPage)
            // Every page of the folder shows the same navigation and breadcrumbs: rendered once, then copied.
            for item in shared.nav + shared.extras { item.keepRenderings() }
            for crumb in shared.breadcrumbs { crumb.keepRenderings() }
            chrome[folder] = shared
        }
        self.chrome = chrome
    }

    /// The parts of `CommonContext` that depend only on where a page is.
    private struct Chrome {
        var root: String
        var nav: [NavItem]
        var extras: [NavItem]
        var breadcrumbs: [LinkContext]
        var searchHref: String
        var feedHref: String
        var bookHref: String?
    }

    private static func chrome(at path: String, book: Book, illustrationPages: [(label: String, page: String)],
                               hasBookPage: Bool) -> Chrome {
        let root = SitePaths.root(from: path)
        var nav = [NavItem(label: "Contents", href: root + SitePaths.home, current: path == SitePaths.home)]
        for (kind, pages) in book.entities where !pages.isEmpty {
            nav.append(NavItem(label: kind.plural, href: SitePaths.href(from: path, to: SitePaths.kindIndex(kind)),
                               current: path.hasPrefix(kind.folder + "/")))
        }
        let extras = illustrationPages.map { label, page in
            NavItem(label: label, href: SitePaths.href(from: path, to: page), current: path == page)
        }
        nav += extras
        return Chrome(root: root.isEmpty ? "./" : root, nav: nav, extras: extras,
                      breadcrumbs: breadcrumbs(for: path, in: book),
                      searchHref: SitePaths.href(from: path, to: SitePaths.search),
                      feedHref: SitePaths.href(from: path, to: SitePaths.feed),
                      bookHref: hasBookPage ? SitePaths.href(from: path, to: SitePaths.book) : nil)
    }

    /// The chrome of a page, from the cache when it is an ordinary page one folder deep.
    private func chrome(for path: String) -> Chrome {
        if let folder = SitePaths.folder(ofPageOneDeep: path), !path.hasSuffix("/index.html"),
           let cached = chrome[String(folder)] {
            return cached
        }
        return Self.chrome(at: path, book: book, illustrationPages: illustrationPages, hasBookPage: hasBookPage)
    }

    /// Every page of the site, plus assets and static files, sorted by path.
    /// Template assets, copied as they are.
    public func assetFiles() -> [OutputFile] {
        templates.assets.map { OutputFile(path: $0.relativePath, contents: .copy(from: $0.sourcePath)) }
    }

    /// One generated file of the site.
    public enum Job: Hashable, Sendable {
        case home, notFound
        case chapter(Int)
        case kindIndex(Int)
        case entity(Int, Int)
        case mapPage, timelinePage, illustrationsList, searchPage, bookPage
        case cards, searchIndex, feed, sitemap
    }

    /// Every generated file the templates and the book call for.
    public func jobs() -> [Job] {
        var jobs: [Job] = [.home, .notFound]
        jobs += book.chapters.indices.map { Job.chapter($0) }
        for (kindIndex, group) in book.entities.enumerated() {
            jobs.append(.kindIndex(kindIndex))
            jobs += group.pages.indices.map { Job.entity(kindIndex, $0) }
        }
        if templates.has("map"), illustrations?.bookMap != nil { jobs.append(.mapPage) }
        if templates.has("timeline"), illustrations?.timeline != nil { jobs.append(.timelinePage) }
        if templates.has("illustrations"), illustrations != nil { jobs.append(.illustrationsList) }
        if templates.has("search") { jobs.append(.searchPage) }
        if hasBookPage { jobs.append(.bookPage) }
        jobs += [.cards, .searchIndex, .feed, .sitemap]
        return jobs
    }

    /// The page a job renders, for a chapter or entity page.
    public func page(of job: Job) -> Page? {
        switch job {
        case .chapter(let index): return book.chapters[index]
        case .entity(let k, let i): return book.entities[k].pages[i]
        default: return nil
        }
    }

    /// The output path of a job, without rendering it.
    public func path(of job: Job) -> String? {
        if let page = page(of: job) { return SitePaths.page(page.id) }
        switch job {
        case .home: return SitePaths.home
        case .notFound: return SitePaths.notFound
        case .chapter, .entity: return nil
        case .kindIndex(let k): return SitePaths.kindIndex(book.entities[k].kind)
        case .mapPage: return Illustrations.mapPage
        case .timelinePage: return Illustrations.timelinePage
        case .illustrationsList: return Illustrations.listPage
        case .searchPage: return SitePaths.search
        case .bookPage: return SitePaths.book
        case .cards: return SitePaths.data + "/cards.js"
        case .searchIndex: return SitePaths.data + "/search.js"
        case .feed: return SitePaths.feed
        case .sitemap: return SitePaths.sitemap
        }
    }

    /// Produces one file.
    public func render(_ job: Job) -> OutputFile? {
        switch job {
        case .home:
            return OutputFile(path: SitePaths.home, contents: .bytes(templates.render("home", home())))
        case .notFound:
            return OutputFile(path: SitePaths.notFound, contents: .bytes(templates.render("404", notFound())))
        case .chapter(let index):
            let chapter = book.chapters[index]
            return OutputFile(path: SitePaths.page(chapter.id),
                              contents: .bytes(templates.render("chapter", self.chapter(chapter, index: index))))
        case .kindIndex(let k):
            let (kind, pages) = book.entities[k]
            return OutputFile(path: SitePaths.kindIndex(kind), contents: .bytes(templates.render("index", kindIndex(kind, pages))))
        case .entity(let k, let i):
            let (kind, pages) = book.entities[k]
            let template = templates.has("entity-\(kind.folder)") ? "entity-\(kind.folder)" : "entity"
            return OutputFile(path: SitePaths.page(pages[i].id), contents: .bytes(templates.render(template, entity(pages[i], kind: kind))))
        case .mapPage: return mapPage()
        case .timelinePage: return timelinePage()
        case .illustrationsList: return illustrationsList()
        case .searchPage:
            let context = SearchContext(common: common(at: SitePaths.search, title: "Search",
                                                       description: "Search the chapters, people and places of the book."))
            return OutputFile(path: SitePaths.search, contents: .bytes(templates.render("search", context)))
        case .bookPage:
            return OutputFile(path: SitePaths.book, contents: .bytes(templates.render("book", bookPage())))
        case .cards: return ClientData(book: book, linked: linked).cards()
        case .searchIndex: return ClientData(book: book, linked: linked).searchIndex(fragments: searchFragments)
        case .feed: return feed()
        case .sitemap: return sitemap()
        }
    }

    // MARK: Contexts

    func common(at path: String, title: String?, description: String?) -> CommonContext {
        let config = book.config
        let chrome = chrome(for: path)
        let canonical = config.baseURL.map { base in
            (base.hasSuffix("/") ? base : base + "/") + (path == SitePaths.home ? "" : path)
        }
        return CommonContext(site: site, root: chrome.root,
                             pageTitle: title.map { "\($0) · \(config.title)" } ?? config.title,
                             heading: title ?? config.title,
                             description: description ?? config.subtitle ?? config.title,
                             canonical: canonical, nav: chrome.nav, extras: chrome.extras,
                             breadcrumbs: chrome.breadcrumbs, ogType: path == SitePaths.home ? "website" : "article",
                             searchHref: chrome.searchHref, feedHref: chrome.feedHref, bookHref: chrome.bookHref)
    }

    func home() -> HomeContext {
        let path = SitePaths.home
        let chapters = book.chapters.enumerated().map { index, page in
            ChapterSummary(number: index + 1, title: page.title, href: SitePaths.page(page.id),
                           summary: page.summary, period: page.period)
        }
        let kinds = book.entities.filter { !$0.pages.isEmpty }.map { kind, pages in
            EntityGroup(label: kind.plural, href: SitePaths.kindIndex(kind), count: pages.count,
                        entities: pages.map { entityLink($0, from: path) })
        }
        return HomeContext(common: common(at: path, title: nil, description: book.config.subtitle),
                           chapters: chapters, kinds: kinds)
    }

    func chapter(_ page: Page, index: Int) -> ChapterContext {
        let path = page.path
        let linkedPage = linked[page.id]
        var sections: [SectionLink] = []
        // Read in place: filtering first copied every heading.
        linkedPage?.headings.withUnsafeBufferPointer { headings in
            for index in headings.indices where headings[index].level >= 2 && headings[index].level <= 3 {
                sections.append(SectionLink(title: headings[index].title, href: "#" + headings[index].id,
                                            level: headings[index].level, nested: headings[index].level > 2))
            }
        }
        func neighbour(_ i: Int) -> LinkContext? {
            guard book.chapters.indices.contains(i) else { return nil }
            let other = book.chapters[i]
            return LinkContext(title: other.title, href: other.href(fromPage: page.id))
        }
        // Grouped by kind, in each kind's order: looked up by position, not by scanning every entity.
        var positions = Array(repeating: [Int](), count: book.entities.count)
        for id in linkedPage?.entitiesInOrder ?? [] {
            if let at = book.entityPosition(id) { positions[at.kind].append(at.position) }
        }
        // Every chapter page (one folder deep) shows the same link to an entity of another folder: made once.
        let shared = chapterEntityLinks.value { chapterEntityLinksTable() }
        let references = book.entities.indices.compactMap { k -> EntityGroup? in
            guard !positions[k].isEmpty else { return nil }
            let kind = book.entities[k].kind
            let otherFolder = kind.folder != page.id.folder
            let links = positions[k].sorted().map {
                otherFolder ? shared[k][$0] : entityLink(book.entities[k].pages[$0], from: path)
            }
            return EntityGroup(label: kind.plural, href: SitePaths.href(from: path, to: SitePaths.kindIndex(kind)),
                               count: links.count, entities: links)
        }
        let map = illustrations?.chapterMap(page.id).map {
            SVGFigure(number: $0.number, id: $0.id, caption: $0.caption, svg: $0.map.svg)
        }
        let armies = (illustrations?.data.armies[page.id] ?? []).map { army in
            ArmyContext(name: army.name, commanders: army.commanders.compactMap { id in
                book.title(of: id).map { LinkContext(title: $0, href: SitePaths.href(from: path, to: SitePaths.page(id))) }
            }, route: army.stops.compactMap { book.title(of: $0) }.joined(separator: " → "), outcome: army.outcome)
        }
        return ChapterContext(common: common(at: path, title: page.title, description: page.summary),
                              number: index + 1, title: page.title, period: page.period, summary: page.summary,
                              body: RawHTML(bytes: linkedPage?.body ?? []), sections: sections,
                              previous: neighbour(index - 1), next: neighbour(index + 1),
                              references: references, map: map, armies: armies,
                              progress: ProgressContext(number: index + 1, total: book.chapters.count,
                                                        percent: Self.percent(index + 1, of: book.chapters.count)),
                              meta: meta(page))
    }

    func entity(_ page: Page, kind: EntityKind) -> EntityContext {
        let path = page.path
        // The entries are read where they lie, and each chapter's title and href come from a table made once (a
        // large book's entity pages list a hundred chapters each: copying each entry and chapter page out to read
        // them was most of the making of these pages).
        let chapters = backlinkChapters.value { backlinkChaptersTable() }
        let ownFolder = page.id.folder == "chapters"
        var backlinks: [BacklinkChapter] = []
        self.backlinks.entries(for: page.id).withUnsafeBufferPointer { entries in
            backlinks.reserveCapacity(entries.count)
            for index in entries.indices {
                guard let number = book.chapterNumber(entries[index].chapter) else { continue }
                let chapter = chapters[number - 1]
                let href = ownFolder ? book.chapters[number - 1].hrefFromOwnFolder : chapter.href
                backlinks.append(BacklinkChapter(number: number, title: chapter.title, href: href,
                                                 sections: entries[index].sections))
            }
        }
        let aliases = page.aliases.map(\.text).filter { $0 != page.title }
        return EntityContext(common: common(at: path, title: page.title, description: page.summary),
                             kind: kind.singular, kindLabel: kind.plural,
                             kindHref: SitePaths.href(from: path, to: SitePaths.kindIndex(kind)),
                             name: page.title, chinese: page.chinese, aliases: aliases, summary: page.summary,
                             facts: page.facts.map(FactContext.init), body: RawHTML(bytes: linked[page.id]?.body ?? []),
                             backlinks: backlinks,
                             locator: illustrations?.locators[page.id].map {
                                 SVGFigure(number: nil, id: "locator", caption: "Where \(page.title) lies.", svg: $0.svg)
                             },
                             lifeline: illustrations?.lifelines[page.id].map {
                                 SVGFigure(number: nil, id: "lifeline", caption: "The life of \(page.title) against the events of the book.", svg: $0.svg)
                             },
                             meta: meta(page))
    }

    func kindIndex(_ kind: EntityKind, _ pages: [Page]) -> KindIndexContext {
        let path = SitePaths.kindIndex(kind)
        var letters: [LetterGroup] = []
        for page in pages {
            let letter = page.title.first.map { String($0).uppercased() } ?? "#"
            if letters.last?.letter != letter { letters.append(LetterGroup(letter: letter, entities: [])) }
            letters[letters.count - 1].entities.append(entityLink(page, from: path))
        }
        return KindIndexContext(common: common(at: path, title: kind.plural, description: nil), label: kind.plural,
                                kind: kind.singular, count: pages.count, letters: letters)
    }

    func notFound() -> NotFoundContext {
        let context = NotFoundContext(common: common(at: SitePaths.notFound, title: "Page not found", description: nil))
        if let base = book.config.baseURL {
            let root = base.hasSuffix("/") ? base : base + "/"
            context.common.root = root
            context.common.nav = context.common.nav.map { NavItem(label: $0.label, href: root + $0.href, current: false) }
        }
        return context
    }

    private static func hasIllustrationPage(_ template: String, _ illustrations: Illustrations?) -> Bool {
        guard let illustrations else { return false }
        switch template {
        case "map": return illustrations.bookMap != nil
        case "timeline": return illustrations.timeline != nil
        default: return true
        }
    }

    func mapPage() -> OutputFile? {
        guard let map = illustrations?.bookMap else { return nil }
        return illustrationPage(template: "map", path: Illustrations.mapPage, title: "Map", heading: "Map of the book",
                                description: "Every place of the book on one map.",
                                introduction: "Every place in the book with known coordinates. Each place links to its page; rivers, coasts and the wall line are schematic.",
                                figure: SVGFigure(number: nil, id: "book-map", caption: map.description, svg: map.svg))
    }

    func timelinePage() -> OutputFile? {
        guard let timeline = illustrations?.timeline else { return nil }
        let first = timeline.rows.map(\.start).min().map { Int($0) } ?? 0
        return illustrationPage(template: "timeline", path: Illustrations.timelinePage, title: "Timeline", heading: "Timeline",
                                description: "The book's chapters, lives and events on one time axis.",
                                introduction: "The chapters of the book as bands, lives as bars (reigns darker), and dated events as points, on one time axis. Each row links to its page.",
                                figure: SVGFigure(number: nil, id: "book-timeline", caption: "Chapters, lives and events from \(first) on.",
                                                  svg: timeline.svg))
    }

    /// A page showing one drawing of the whole book.
    private func illustrationPage(template: String, path: String, title: String, heading: String, description: String,
                                  introduction: String, figure: SVGFigure) -> OutputFile {
        let context = IllustrationPageContext(common: common(at: path, title: title, description: description),
                                              title: heading, introduction: introduction, figure: figure)
        return OutputFile(path: path, contents: .bytes(templates.render(template, context)))
    }

    func illustrationsList() -> OutputFile? {
        guard let illustrations else { return nil }
        let path = Illustrations.listPage
        var entries: [FigureEntry] = []
        if illustrations.bookMap != nil {
            entries.append(FigureEntry(label: "Map", caption: "Every place of the book.", href: Illustrations.mapPage, chapter: nil))
        }
        if illustrations.timeline != nil {
            entries.append(FigureEntry(label: "Timeline", caption: "Chapters, lives and events on one axis.",
                                       href: Illustrations.timelinePage, chapter: nil))
        }
        for (index, chapter) in book.chapters.enumerated() {
            let href = SitePaths.page(chapter.id)
            let chapterLabel = "Chapter \(index + 1), \(chapter.title)"
            if let map = illustrations.chapterMapFigure(chapter.id) {
                entries.append(FigureEntry(label: "Figure \(map.number)", caption: map.caption, href: href + "#" + map.id,
                                           chapter: chapterLabel))
            }
            for figure in linked[chapter.id]?.figures ?? [] {
                entries.append(FigureEntry(label: figure.number.map { "Figure \($0)" } ?? "Figure", caption: figure.caption,
                                           href: href + "#" + figure.id, chapter: chapterLabel))
            }
        }
        let context = IllustrationsListContext(
            common: common(at: path, title: "List of illustrations", description: "Every map, timeline and figure of the book."),
            entries: entries)
        return OutputFile(path: path, contents: .bytes(templates.render("illustrations", context)))
    }

    private func entityLink(_ page: Page, from path: String) -> EntityLink {
        entityLink(page, href: page.href(from: path))
    }

    private func entityLink(_ page: Page, href: String) -> EntityLink {
        EntityLink(name: page.title, chinese: page.chinese, lang: book.config.chineseLanguage, href: href,
                   summary: page.summary, kind: page.kind?.singular ?? "chapter")
    }

    private func backlinkChaptersTable() -> [(title: String, href: String)] {
        book.chapters.map { ($0.title, $0.hrefFromOtherFolder) }
    }

    /// Every entity's link from a page one folder deep in another folder, by kind and position.
    private func chapterEntityLinksTable() -> [[EntityLink]] {
        book.entities.map { group in group.pages.map { entityLink($0, href: $0.hrefFromOtherFolder).keepRenderings() } }
    }

    private func meta(_ page: Page) -> TemplateFields {
        TemplateFields(page.fields)
    }
}
