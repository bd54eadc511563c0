import Testing
@testable import SiteKit

@Suite struct SitePathsTests {
    @Test func relativeHrefsBetweenOutputPages() {
        #expect(SitePaths.href(from: "index.html", to: "people/wang-anshi.html") == "people/wang-anshi.html")
        #expect(SitePaths.href(from: "chapters/a.html", to: "people/wang-anshi.html") == "../people/wang-anshi.html")
        #expect(SitePaths.href(from: "chapters/a.html", to: "chapters/b.html") == "b.html")
        #expect(SitePaths.href(from: "chapters/a.html", to: "index.html") == "../index.html")
        #expect(SitePaths.href(from: "a/b/c.html", to: "a/d/e.html") == "../d/e.html")
    }

    @Test func pagePathsContainTheSlug() {
        #expect(SitePaths.page(PageID(folder: "chapters", slug: "five-armies")) == "chapters/five-armies.html")
        #expect(SitePaths.kindIndex(EntityKind(folder: "polities")) == "polities/index.html")
    }

    /// A page's own hrefs (made once with its id) are what `SitePaths` gives, from every kind of page.
    @Test func pageHrefsAgreeWithSitePaths() throws {
        let (chapter, _) = parsePage("---\ntitle: A\n---\nText.\n", path: "chapters/01-five-armies.md")
        let (person, _) = parsePage("---\nname: Wang Anshi\n---\n", path: "people/wang-anshi.md",
                                    kind: EntityKind(folder: "people"))
        var pages = [try #require(chapter), try #require(person)]
        var renamed = pages[0]
        renamed.id = PageID(folder: "chapters", slug: "renamed")
        pages.append(renamed)
        let froms = ["index.html", "404.html", "chapters/b.html", "people/x.html", "places/y.html", "people/index.html",
                     "a/b/c.html", "chapters/sub/d.html"]
        for page in pages {
            #expect(page.path == SitePaths.page(page.id))
            for from in froms {
                #expect(page.href(from: from) == SitePaths.href(from: from, to: page.path), "\(page.id) from \(from)")
            }
            for other in pages {
                #expect(page.href(fromPage: other.id) == SitePaths.href(from: other.path, to: page.path))
            }
        }
        #expect(renamed.path == "chapters/renamed.html")
        #expect(renamed.hrefFromOtherFolder == "../chapters/renamed.html")
    }

    @Test func resolvingRelativePathsNeverLeavesTheRoot() {
        #expect(SitePaths.resolve("../images/a.svg", against: "chapters/01-a.md") == "images/a.svg")
        #expect(SitePaths.resolve("02-b.md", against: "chapters/01-a.md") == "chapters/02-b.md")
        #expect(SitePaths.resolve("../../etc/passwd", against: "chapters/01-a.md") == nil)
    }

    @Test func aFileOfTheSameFolderResolvesAsPieceByPiece() {
        let bases = ["chapters/01-a.md", "01-a.md", "", "a/b/c.md", "chapters/", "/chapters/01-a.md",
                     "chapters//01-a.md", "a//b/c.md", "a/b//c.md", "chapters/./01-a.md", "../x.md"]
        let relatives = ["02-b.md", "02-b.md#part", ".", "..", "", "./02-b.md", "../images/a.svg", "a/b.md",
                         "..x.md", ".hidden", "图.md", "c%20d.md"]
        for base in bases {
            for relative in relatives {
                #expect(SitePaths.resolve(relative, against: base) == SitePaths.resolveByPieces(relative, against: base),
                        "\(relative) against \(base)")
            }
        }
        #expect(SitePaths.resolve("02-b.md", against: "chapters/") == "02-b.md")
        #expect(SitePaths.resolve("02-b.md", against: "01-a.md") == "02-b.md")
    }

    @Test func entityKindNames() {
        #expect(EntityKind(folder: "people").singular == "person")
        #expect(EntityKind(folder: "polities").singular == "polity")
        #expect(EntityKind(folder: "places").plural == "Places")
        #expect(EntityKind(folder: "events").singular == "event")
    }
}
