/// Pages beyond chapters and entities: search, the whole book on one page, the Atom feed and the sitemap.
extension SiteRenderer {
    /// Chapters above which the whole-book page is not written unless site.yaml asks for it (`book_page: true`).
    static let bookPageLimit = 1000

    /// Whether the whole-book page is written: the template exists, and `book_page` in site.yaml or the book's size say so.
    public static func wantsBookPage(_ book: Book, templates: TemplateSet) -> Bool {
        guard templates.has("book") else { return false }
        if let setting = book.config.fields.first(where: { $0.key == "book_page" })?.value.bool { return setting }
        return book.chapters.count <= bookPageLimit
    }

    /// The trail of links from the home page to a page's parent.
    static func breadcrumbs(for path: String, in book: Book) -> [LinkContext] {
        guard path != SitePaths.home else { return [] }
        var trail = [LinkContext(title: "Contents", href: SitePaths.href(from: path, to: SitePaths.home))]
        let folder = path.split(separator: "/").first.map(String.init) ?? ""
        if let kind = book.entities.first(where: { $0.kind.folder == folder })?.kind, path != SitePaths.kindIndex(kind) {
            trail.append(LinkContext(title: kind.plural, href: SitePaths.href(from: path, to: SitePaths.kindIndex(kind))))
        }
        return trail
    }

    static func percent(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "0%" }
        let tenths = (part * 1000 + whole / 2) / whole
        return tenths % 10 == 0 ? "\(tenths / 10)%" : "\(tenths / 10).\(tenths % 10)%"
    }

    /// The whole book: every chapter with its map and body, internal links turned into anchors on the page.
    func bookPage() -> BookContext {
        let chapters = book.chapters.enumerated().map { index, chapter in
            let map = illustrations?.bookPageMap(chapter.id).map {
                SVGFigure(number: $0.number, id: $0.id, caption: $0.caption, svg: $0.map.svg)
            }
            return BookChapter(anchor: Linker.bookAnchor(chapter.id), number: index + 1, title: chapter.title,
                               period: chapter.period, summary: chapter.summary, map: map,
                               body: bookBodies[chapter.id] ?? "")
        }
        return BookContext(common: common(at: SitePaths.book, title: "The whole book",
                                          description: "Every chapter of the book on one page, for printing."),
                           chapters: chapters)
    }

    /// An Atom feed of the chapters, in reading order.
    func feed() -> OutputFile {
        let config = book.config
        let base = config.baseURL.map { $0.hasSuffix("/") ? $0 : $0 + "/" }
        let updated = Self.timestamp(config.fields.first { $0.key == "updated" }?.value.text)
        var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        xml += "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"\(HTML.escape(config.language))\">\n"
        xml += "<title>\(HTML.escape(config.title))</title>\n"
        if let subtitle = config.subtitle { xml += "<subtitle>\(HTML.escape(subtitle))</subtitle>\n" }
        let bookID = base ?? "urn:build-site:\(SearchFolding.fold(config.title))"
        xml += "<id>\(HTML.escape(bookID))</id>\n"
        xml += "<link rel=\"alternate\" type=\"text/html\" href=\"\(HTML.escape((base ?? "") + SitePaths.home))\"/>\n"
        if let base { xml += "<link rel=\"self\" type=\"application/atom+xml\" href=\"\(HTML.escape(base + SitePaths.feed))\"/>\n" }
        xml += "<updated>\(updated)</updated>\n"
        xml += "<author><name>\(HTML.escape(config.author ?? config.title))</name></author>\n"
        for chapter in book.chapters {
            let path = SitePaths.page(chapter.id)
            let chapterUpdated = chapter.fields.first { $0.key == "updated" }?.value.text.map { Self.timestamp($0) } ?? updated
            xml += "<entry>\n<title>\(HTML.escape(chapter.title))</title>\n"
            xml += "<link rel=\"alternate\" type=\"text/html\" href=\"\(HTML.escape((base ?? "") + path))\"/>\n"
            xml += "<id>\(HTML.escape(base.map { $0 + path } ?? "\(bookID):\(chapter.id.slug)"))</id>\n"
            xml += "<updated>\(chapterUpdated)</updated>\n"
            if let summary = chapter.summary { xml += "<summary>\(HTML.escape(summary))</summary>\n" }
            xml += "</entry>\n"
        }
        xml += "</feed>\n"
        return OutputFile(path: SitePaths.feed, contents: .text(xml))
    }

    /// A sitemap of every page; absolute URLs when site.yaml sets `base_url`, relative ones otherwise.
    func sitemap() -> OutputFile {
        let base = book.config.baseURL.map { $0.hasSuffix("/") ? $0 : $0 + "/" } ?? ""
        var paths = [SitePaths.home] + book.chapters.map { SitePaths.page($0.id) }
        for (kind, pages) in book.entities where !pages.isEmpty {
            paths.append(SitePaths.kindIndex(kind))
            paths += pages.map { SitePaths.page($0.id) }
        }
        var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for path in paths { xml += "<url><loc>\(HTML.escape(base + path))</loc></url>\n" }
        xml += "</urlset>\n"
        return OutputFile(path: SitePaths.sitemap, contents: .text(xml))
    }

    /// `2026-11-25` → `2026-11-25T00:00:00Z`; a full timestamp is kept; nothing → the Unix epoch (output must not
    /// depend on the clock).
    static func timestamp(_ text: String?) -> String {
        guard let text = text?.trimmingSpaces, !text.isEmpty else { return "1970-01-01T00:00:00Z" }
        if text.count == 10 { return text + "T00:00:00Z" }
        return text
    }
}
