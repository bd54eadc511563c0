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

    @Test func resolvingRelativePathsNeverLeavesTheRoot() {
        #expect(SitePaths.resolve("../images/a.svg", against: "chapters/01-a.md") == "images/a.svg")
        #expect(SitePaths.resolve("02-b.md", against: "chapters/01-a.md") == "chapters/02-b.md")
        #expect(SitePaths.resolve("../../etc/passwd", against: "chapters/01-a.md") == nil)
    }

    @Test func entityKindNames() {
        #expect(EntityKind(folder: "people").singular == "person")
        #expect(EntityKind(folder: "polities").singular == "polity")
        #expect(EntityKind(folder: "places").plural == "Places")
        #expect(EntityKind(folder: "events").singular == "event")
    }
}
