import Foundation
@testable import SiteKit
import Testing

/// The `illustrated` fixture built with the real templates: maps, routes, timelines and figures, checked as geometry.
@Suite struct IllustrationTests {
    static let templates = RealTemplateTests.templates

    static func generate(_ name: String = "illustrated") throws -> SiteBuilder.Generated {
        let site = FixtureSite(name: name)
        let options = BuildOptions(content: site.content.path, contentDisplay: "Content", templates: templates.path,
                                   templatesDisplay: "Templates", output: nil)
        return try SiteBuilder.generate(options)
    }

    static func html(_ generated: SiteBuilder.Generated, _ path: String) -> String {
        guard let text = generated.files.first(where: { $0.path == path })?.contents.text else { return "" }
        return text
    }

    @Test func chapterMapDrawsTheRouteThroughItsPlacesInOrder() throws {
        let generated = try Self.generate()
        #expect(generated.result.diagnostics.formatted == "")
        let illustrations = try #require(generated.illustrations)
        let map = try #require(illustrations.chapterMaps[PageID(folder: "chapters", slug: "west")])
        let route = try #require(map.map.routes.first)
        let stops = ["lanzhou", "huizhou", "lingzhou"].map { PageID(folder: "places", slug: $0) }
        #expect(route == stops.compactMap { map.map.points[$0] })
        #expect(route.count == 3)
        #expect(map.map.svg.contains("marker-end=\"url(#map-west-arrow-song)\""))
        #expect(map.map.svg.contains("class=\"route-label polity-song\""))
        #expect(map.map.svg.contains(">Li Xian</text>"))
        for point in route {
            #expect(point.x > 0 && point.x < map.map.projection.frame.width && point.y > 0 && point.y < map.map.projection.frame.height)
        }
    }

    @Test func bookMapHasEveryPlaceKaifengEastOfLanzhouAndNoOverlappingLabels() throws {
        let illustrations = try #require(try Self.generate().illustrations)
        let map = try #require(illustrations.bookMap)
        let lanzhou = try #require(map.points[PageID(folder: "places", slug: "lanzhou")])
        let kaifeng = try #require(map.points[PageID(folder: "places", slug: "kaifeng")])
        #expect(kaifeng.x > lanzhou.x)
        #expect(map.points.count == 4)
        for (i, a) in map.labels.enumerated() {
            #expect(a.box.isInside(map.projection.frame))
            for b in map.labels[(i + 1)...] { #expect(!a.box.intersects(b.box)) }
        }
        #expect(map.svg.contains("<title id=\"book-map-title\">"))
        #expect(map.svg.contains("<desc id=\"book-map-desc\">"))
        #expect(map.svg.contains("class=\"scale-bar\""))
        #expect(map.svg.contains("class=\"north-arrow\""))
        #expect(map.svg.contains("<polyline class=\"river\""))
        #expect(map.svg.contains("<polyline class=\"wall\""))
    }

    @Test func everyLinkInEveryDrawingResolves() throws {
        let generated = try Self.generate()
        let paths = Set(generated.files.map(\.path))
        let illustrations = try #require(generated.illustrations)
        func check(_ links: [String], from page: String) {
            for link in links {
                let resolved = SitePaths.resolve(link, against: page)
                #expect(resolved.map(paths.contains) == true, "\(link) from \(page)")
            }
        }
        check(illustrations.bookMap?.links ?? [], from: Illustrations.mapPage)
        check(illustrations.timeline?.links ?? [], from: Illustrations.timelinePage)
        for (id, map) in illustrations.chapterMaps { check(map.map.links, from: SitePaths.page(id)) }
        for (id, map) in illustrations.locators { check(map.links, from: SitePaths.page(id)) }
        for (id, line) in illustrations.lifelines { check(line.links, from: SitePaths.page(id)) }
        #expect(illustrations.locators.count == 4)
        #expect(illustrations.lifelines.count == 1)
    }

    @Test func timelineRowsAreOrderedByDateWithinEachGroup() throws {
        let timeline = try #require(try Self.generate().illustrations?.timeline)
        for group in TimelineRenderer.Row.Group.allCases {
            let starts = timeline.rows.filter { $0.group == group }.map(\.start)
            #expect(starts == starts.sorted(), "\(group)")
        }
        let events = timeline.rows.filter { $0.group == .events }.map(\.label)
        #expect(events == ["Campaign of 1081 (1081–1082)", "The armies set out (August 1081)"])
        let chapters = timeline.rows.filter { $0.group == .chapters }.map(\.label)
        #expect(chapters == ["1. West", "2. East"])
        let xs = timeline.startXs
        #expect(xs[0] < xs[1], "the chapter of 1081 starts left of the chapter of 1127")
    }

    @Test func figuresAreNumberedAcrossTheBookWithMapsFirst() throws {
        let generated = try Self.generate()
        let west = Self.html(generated, "chapters/west.html")
        let east = Self.html(generated, "chapters/east.html")
        #expect(west.contains("<figure class=\"figure map-figure\" id=\"figure-1\">"))
        #expect(west.contains("<span class=\"figure-number\">Figure 1.</span> The routes of the armies"))
        #expect(west.contains("<figure class=\"figure\" id=\"figure-2\">\n<img src=\"../images/walls.svg\" alt=\"A sketch of the walls\" />\n<figcaption><span class=\"figure-number\">Figure 2.</span> The walls of Lanzhou, a sketch</figcaption>\n</figure>"))
        #expect(east.contains("id=\"figure-3\""))
        #expect(east.contains("Figure 4.</span> Kaifeng, a second figure"))
        #expect(east.contains("<img src=\"../images/walls.svg\" alt=\"plain\" />"))
        let list = Self.html(generated, "illustrations.html")
        for href in ["chapters/west.html#figure-1", "chapters/west.html#figure-2", "chapters/east.html#figure-3",
                     "chapters/east.html#figure-4", "map.html", "timeline.html"] {
            #expect(list.contains("href=\"\(href)\""), "\(href)")
        }
    }

    @Test func entityPagesCarryLocatorsAndLifelines() throws {
        let generated = try Self.generate()
        #expect(Self.html(generated, "places/lanzhou.html").contains("<figure class=\"figure locator\" id=\"locator\">"))
        #expect(Self.html(generated, "people/li-xian.html").contains("<figure class=\"figure lifeline\" id=\"lifeline\">"))
        #expect(Self.html(generated, "index.html").contains("href=\"map.html\""))
    }
}
