import Foundation
@testable import SiteKit
import Testing

/// What a reader gets beyond the pages: search index, hover-card data, feed, sitemap, the whole book on one page,
/// Open Graph tags, breadcrumbs and the progress line; and every internal link of the real book resolves.
@Suite struct ReaderFeatureTests {
    static func generated(_ name: String = "illustrated") throws -> SiteBuilder.Generated { try IllustrationTests.generate(name) }
    static func text(_ g: SiteBuilder.Generated, _ path: String) -> String { IllustrationTests.html(g, path) }

    @Test func searchIndexHoldsEntitiesChaptersAndSectionsWithFoldedKeys() throws {
        let g = try Self.generated("basic")
        let index = Self.text(g, "data/search.js")
        #expect(index.hasPrefix("window.BOOK_SEARCH = {\"v\":1,\"docs\":["))
        #expect(index.contains("{\"a\":[\"Jiefu\"],\"f\":\"wanganshi jiefu 王安石\",\"h\":\"王安石\",\"k\":\"person\",\"s\":\"Chancellor and reformer.\",\"t\":\"Wang Anshi\",\"u\":\"people/wang-anshi.html\"}"))
        #expect(index.contains("\"k\":\"section\""))
        #expect(index.contains("\"u\":\"chapters/reforms.html#the-new-policies\""))
        #expect(index.contains("\"t\":\"1. Reform and Desperation\""))
    }

    @Test func cardsCarryNameHanDatesAndSummary() throws {
        let cards = Self.text(try Self.generated("basic"), "data/cards.js")
        #expect(cards.contains("\"people/wang-anshi\":{\"d\":\"1021–1086\",\"h\":\"王安石\",\"k\":\"person\",\"l\":\"zh-Hant\",\"n\":\"Wang Anshi\",\"s\":\"Chancellor and reformer.\",\"u\":\"people/wang-anshi.html\"}"))
        #expect(cards.contains("\"places/kaifeng\":{\"d\":\"Kaifeng, Henan\""))
    }

    @Test func feedAndSitemapListTheChapters() throws {
        let g = try Self.generated("basic")
        let feed = Self.text(g, "feed.xml")
        #expect(feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">"))
        #expect(feed.contains("<entry>\n<title>Reform and Desperation</title>\n<link rel=\"alternate\" type=\"text/html\" href=\"chapters/reforms.html\"/>"))
        let sitemap = Self.text(g, "sitemap.xml")
        #expect(sitemap.contains("<url><loc>chapters/campaign.html</loc></url>"))
        #expect(sitemap.contains("<url><loc>people/wang-anshi.html</loc></url>"))
    }

    @Test func baseURLGivesCanonicalLinksAndAbsoluteFeedURLs() throws {
        let site = FixtureSite(name: "basic")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("base-url-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: site.content, to: folder)
        try "title: A Small History\nkinds: [polities]\nbase_url: https://example.org/book\nupdated: 2026-11-25\n"
            .write(to: folder.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
        let g = try SiteBuilder.generate(BuildOptions(content: folder.path, contentDisplay: "Content",
                                                      templates: RealTemplateTests.templates.path, templatesDisplay: "Templates",
                                                      output: nil))
        let chapter = Self.text(g, "chapters/reforms.html")
        #expect(chapter.contains("<link rel=\"canonical\" href=\"https://example.org/book/chapters/reforms.html\">"))
        #expect(chapter.contains("<meta property=\"og:url\" content=\"https://example.org/book/chapters/reforms.html\">"))
        let feed = Self.text(g, "feed.xml")
        #expect(feed.contains("<updated>2026-11-25T00:00:00Z</updated>"))
        #expect(feed.contains("<link rel=\"self\" type=\"application/atom+xml\" href=\"https://example.org/book/feed.xml\"/>"))
        #expect(Self.text(g, "sitemap.xml").contains("<loc>https://example.org/book/index.html</loc>"))
    }

    @Test func pagesCarryDescriptionOpenGraphBreadcrumbsAndProgress() throws {
        let g = try Self.generated("basic")
        let chapter = Self.text(g, "chapters/campaign.html")
        #expect(chapter.contains("<meta name=\"description\" content=\"The five armies march.\">"))
        #expect(chapter.contains("<meta property=\"og:title\" content=\"The Campaign\">"))
        #expect(chapter.contains("<meta property=\"og:type\" content=\"article\">"))
        #expect(chapter.contains("aria-valuenow=\"2\""))
        #expect(chapter.contains("<span style=\"width: 100%\"></span>"))
        #expect(chapter.contains("<nav class=\"breadcrumbs\" aria-label=\"Breadcrumbs\">"))
        let person = Self.text(g, "people/wang-anshi.html")
        #expect(person.contains("<li><a href=\"../index.html\">Contents</a></li>\n<li><a href=\"index.html\">People</a></li>\n<li aria-current=\"page\">Wang Anshi</li>"))
        #expect(person.contains("<script src=\"../data/cards.js\" defer></script>"))
        #expect(person.contains("data-root=\"../\""))
        #expect(Self.text(g, "search.html").contains("<script src=\"data/search.js\" defer></script>"))
    }

    /// What several pages show alike (the header navigation of a folder's pages, a chapter page's link to an entity)
    /// is rendered once and copied: each page still marks its own part of the book, and each link is the entity's.
    @Test func sharedNavigationAndEntityLinksShowOnEveryPage() throws {
        let g = try Self.generated("basic")
        func nav(_ label: String, _ href: String, current: Bool) -> String {
            "<li><a href=\"\(href)\"\(current ? " aria-current=\"page\"" : "")>\(label)</a></li>"
        }
        for person in ["people/shenzong.html", "people/wang-anshi.html"] {
            let page = Self.text(g, person)
            #expect(page.contains(nav("People", "index.html", current: true)), "\(person)")
            #expect(page.contains(nav("Places", "../places/index.html", current: false)), "\(person)")
        }
        let place = Self.text(g, "places/kaifeng.html")
        #expect(place.contains(nav("People", "../people/index.html", current: false)))
        #expect(place.contains(nav("Places", "index.html", current: true)))
        let kaifeng = "<li><a href=\"../places/kaifeng.html\">Kaifeng</a> <span class=\"han\" lang=\"zh-Hant\">開封</span>"
            + "<span class=\"entity-summary\"> — Capital of the Northern Song.</span></li>"
        for chapter in ["chapters/campaign.html", "chapters/reforms.html"] {
            let page = Self.text(g, chapter)
            #expect(page.contains(nav("People", "../people/index.html", current: false)), "\(chapter)")
            #expect(page.contains(nav("Places", "../places/index.html", current: false)), "\(chapter)")
            #expect(page.contains("<li><a href=\"../index.html\">Contents</a></li>\n<li aria-current=\"page\">"), "\(chapter)")
            #expect(page.contains(kaifeng), "\(chapter)")
        }
    }

    @Test func wholeBookPageLinksWithinItself() throws {
        let g = try Self.generated("basic")
        let page = Self.text(g, "book.html")
        #expect(page.contains("<section class=\"book-chapter\" id=\"chapter-reforms\""))
        #expect(page.contains("<h2 id=\"reforms--the-new-policies\">The New Policies</h2>"))
        #expect(page.contains("<a href=\"#campaign--the-road-to-lingzhou\">the campaign</a>"))
        #expect(page.contains("<a href=\"#chapter-reforms\">Back</a>"))
        #expect(page.contains("href=\"people/wang-anshi.html\" data-ref=\"people/wang-anshi\""))
        #expect(page.contains("<img src=\"images/frontier.svg\""))
    }

    @Test func everyInternalLinkOfTheRealBookResolves() throws {
        let (result, files) = try RealBookTests.build()
        #expect(result.succeeded)
        var ids: [String: Set<String>] = [:]
        for (path, data) in files where path.hasSuffix(".html") {
            ids[path] = Set(LinkScanner.values(of: "id", in: String(decoding: data, as: UTF8.self)))
        }
        var checked = 0
        for (path, data) in files where path.hasSuffix(".html") {
            let html = String(decoding: data, as: UTF8.self)
            for url in LinkScanner.values(of: "href", in: html) + LinkScanner.values(of: "src", in: html) {
                if url.contains(":") || url.hasPrefix("//") { continue }
                let parts = url.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                let target = parts[0].isEmpty ? path : SitePaths.resolve(parts[0], against: path)
                guard let target, files[target] != nil else {
                    Issue.record("\(path): link to missing '\(url)'")
                    continue
                }
                if parts.count == 2, target.hasSuffix(".html") {
                    #expect(ids[target]?.contains(parts[1]) == true, "\(path): missing anchor '\(url)'")
                }
                checked += 1
            }
        }
        #expect(checked > 1000)
    }
}

/// Finds attribute values in generated HTML (test-only; the output is ours and well-formed).
enum LinkScanner {
    static func values(of attribute: String, in html: String) -> [String] {
        var result: [String] = []
        var rest = html[...]
        let needle = " \(attribute)=\""
        while let start = rest.range(of: needle) {
            rest = rest[start.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { break }
            result.append(String(rest[..<end]).replacingOccurrences(of: "&amp;", with: "&"))
            rest = rest[end...]
        }
        return result
    }
}
