import Foundation
import SiteKit
import Testing

/// Each fixture site built end to end and compared with its expected pages and diagnostics.
@Suite struct GoldenFixtureTests {
    @Test(arguments: ["basic", "broken-links", "bad-front-matter", "bad-template", "crlf-bom", "bad-illustrations"])
    func fixtureMatchesExpected(_ name: String) throws {
        let site = FixtureSite(name: name)
        try site.compare(try site.build())
    }
}

/// Promises of the output folder: a failed build changes nothing, the same input gives the same bytes.
@Suite struct OutputPromiseTests {
    @Test func failedBuildLeavesThePreviousOutputByteForByte() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("promise-\(UUID().uuidString)/Public")
        defer { try? FileManager.default.removeItem(at: output.deletingLastPathComponent()) }
        let good = try FixtureSite(name: "basic").build(into: output)
        #expect(good.status == 0)
        #expect(!good.files.isEmpty)
        for broken in ["broken-links", "bad-front-matter", "bad-template"] {
            let failed = try FixtureSite(name: broken).build(into: output)
            #expect(failed.status == 1)
            #expect(failed.files == good.files, "\(broken) changed the output")
        }
        let siblings = try FileManager.default.contentsOfDirectory(atPath: output.deletingLastPathComponent().path)
        #expect(siblings == ["Public"])
    }

    @Test func sameInputGivesByteIdenticalOutput() throws {
        let first = try FixtureSite(name: "basic").build()
        let second = try FixtureSite(name: "basic").build()
        #expect(first.files == second.files)
        #expect(first.files.count == 17)
    }

    @Test func sameIllustratedInputGivesByteIdenticalOutput() throws {
        // Bodies parsed as they are linked, on every core, and (with no whole-book page) each chapter map drawn as its
        // page is written: still the same bytes every time.
        let content = try IncrementalTests.scratch()
        defer { try? FileManager.default.removeItem(at: content) }
        let site = content.appendingPathComponent("site.yaml")
        try (String(contentsOf: site, encoding: .utf8) + "book_page: false\n").write(to: site, atomically: true, encoding: .utf8)
        func build() throws -> [String: Data] {
            let output = FileManager.default.temporaryDirectory.appendingPathComponent("promise-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: output) }
            var options = IncrementalTests.options(content)
            options.output = output.appendingPathComponent("Public").path
            #expect(try SiteBuilder.build(options).succeeded)
            return FixtureSite.readTree(output.appendingPathComponent("Public"))
        }
        let first = try build()
        #expect(first.keys.contains("map.html") && !first.keys.contains("book.html"))
        #expect(first.values.contains { String(decoding: $0, as: UTF8.self).contains("<svg") })
        for _ in 0..<3 { #expect(try build() == first) }
    }

    @Test func aLargerBookGivesTheSameBytesEveryTimeAndAsInMemory() throws {
        // Large enough for the paths that only run for larger books: backlinks gathered by runs of chapters on each
        // core, figures numbered a few hundred chapters at a time, every page in one parallel loop with the
        // whole-book files first, and context places found on a grid.
        let content = try IncrementalTests.scratch()
        defer { try? FileManager.default.removeItem(at: content) }
        let site = content.appendingPathComponent("site.yaml")
        try (String(contentsOf: site, encoding: .utf8) + "book_page: false\n").write(to: site, atomically: true, encoding: .utf8)
        for place in 0..<40 {
            try "---\nname: Fort \(place)\ncoordinates: [\(30 + place % 8), \(100 + place / 8)]\n---\nA fort.\n"
                .write(to: content.appendingPathComponent("places/fort-\(place).md"), atomically: true, encoding: .utf8)
        }
        for chapter in 0..<300 {
            let forts = (0..<4).map { "[[Fort \(($0 * 7 + chapter) % 40)]]" }.joined(separator: " and ")
            let figure = chapter % 10 != 0 ? "\n![The walls](../images/walls.svg \"Walls \(chapter)\")\n" : ""
            try "---\ntitle: Part \(chapter)\n---\n## Marches\n\nThe army passed \(forts) & [[Li Xian]] <rested>.\n\(figure)\n## Camps\n\nAt \(forts).\n"
                .write(to: content.appendingPathComponent("chapters/\(String(format: "%03d", chapter + 10))-part-\(chapter).md"),
                       atomically: true, encoding: .utf8)
        }
        func build() throws -> [String: Data] {
            let output = FileManager.default.temporaryDirectory.appendingPathComponent("promise-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: output) }
            var options = IncrementalTests.options(content)
            options.output = output.appendingPathComponent("Public").path
            let result = try SiteBuilder.build(options)
            #expect(result.succeeded, "\(result.diagnostics.formatted.prefix(500))")
            return FixtureSite.readTree(output.appendingPathComponent("Public"))
        }
        let first = try build()
        #expect(first.keys.filter { $0.hasPrefix("chapters/") }.count == 302)
        #expect(try build() == first)
        // The same pages as a build kept in memory (rendered by another loop, without the one-shot build's shortcuts).
        let inMemory = try SiteBuilder.generate(IncrementalTests.options(content))
        for file in inMemory.files {
            guard case .bytes(let bytes) = file.contents else { continue }
            #expect(first[file.path] == Data(bytes), "\(file.path)")
        }
    }

    @Test func checkWritesNothingButReportsTheSame() throws {
        let site = FixtureSite(name: "broken-links")
        let checked = try site.build(check: true)
        #expect(checked.files.isEmpty)
        #expect(checked.diagnostics == (try site.build()).diagnostics)
    }

    @Test func checkRendersEveryPageABuildRenders() throws {
        let site = FixtureSite(name: "basic")
        var options = BuildOptions(content: site.content.path, contentDisplay: "Content", templates: site.templates.path,
                                   templatesDisplay: "Templates", output: nil)
        let checked = try SiteBuilder.build(options)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("check-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        options.output = folder.appendingPathComponent("Public").path
        let built = try SiteBuilder.build(options)
        #expect(checked.succeeded && built.succeeded)
        #expect(!checked.wrote)
        #expect(checked.rendered > 0)
        #expect(checked.rendered == built.rendered)
        #expect(checked.linked == built.linked)
    }
}

/// The basic fixture built with the project's real templates reads as a book.
@Suite struct RealTemplateTests {
    static let templates = FixtureSite.fixtures.deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Templates")

    func page(_ path: String) throws -> String {
        let outcome = try FixtureSite(name: "basic").build(templates: Self.templates)
        #expect(outcome.status == 0, "\(outcome.diagnostics)")
        return String(decoding: try #require(outcome.files[path]), as: UTF8.self)
    }

    @Test func homePageHasTitleContentsAndWaysIn() throws {
        let html = try page("index.html")
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\" data-root=\"./\">"))
        #expect(html.contains("<h1>A Small History</h1>"))
        #expect(html.contains("<p class=\"subtitle\">Fixture for the basic build</p>"))
        #expect(html.contains("<a class=\"chapter-link\" href=\"chapters/reforms.html\"><span class=\"chapter-number\">1</span> <span class=\"chapter-title\">Reform and Desperation</span></a>"))
        #expect(html.contains("<p class=\"chapter-summary\">Shenzong turns to Wang Anshi.</p>"))
        #expect(html.contains("<a href=\"polities/index.html\">Polities</a>"))
        #expect(html.contains("href=\"./assets/style.css\""))
    }

    @Test func chapterPageHasContentsNeighboursAndReferences() throws {
        let html = try page("chapters/campaign.html")
        #expect(html.contains("<p class=\"chapter-number\">Chapter 2</p>"))
        #expect(html.contains("<p class=\"period\">1081</p>"))
        #expect(html.contains("<li><a href=\"#the-road-to-lingzhou\">The Road to Lingzhou</a></li>"))
        #expect(html.contains("<li><a href=\"#the-road-to-lingzhou-2\">The Road to Lingzhou</a></li>"))
        #expect(html.contains("<a class=\"previous\" rel=\"prev\" href=\"reforms.html\">"))
        #expect(!html.contains("rel=\"next\""))
        #expect(html.contains("<h3><a href=\"../polities/index.html\">Polities</a></h3>"))
        #expect(html.contains("href=\"../assets/style.css\""))
    }

    @Test func entityPageHasHanFactsAndGroupedBacklinks() throws {
        let html = try page("people/wang-anshi.html")
        #expect(html.contains("<h1>Wang Anshi <span class=\"han\" lang=\"zh-Hant\">王安石</span>"))
        #expect(html.contains("<dt>Born</dt><dd>1021</dd>"))
        #expect(html.contains("<dt>Also called</dt><dd>Jiefu</dd>"))
        #expect(html.contains("<li><a href=\"../chapters/reforms.html#the-new-policies\">The New Policies</a>"))
        #expect(html.contains("<blockquote class=\"snippet\"><p>The reforms of Wang Anshi aimed to centralise control.</p></blockquote>"))
    }

    @Test func kindIndexIsAlphabeticalWithHanAndSummaries() throws {
        let html = try page("people/index.html")
        let shenzong = try #require(html.range(of: "Shenzong</a>"))
        let wang = try #require(html.range(of: "Wang Anshi</a>"))
        #expect(shenzong.lowerBound < wang.lowerBound)
        #expect(html.contains("<span class=\"han\" lang=\"zh-Hant\">宋神宗</span>"))
        #expect(html.contains("<span class=\"entity-summary\"> — Chancellor and reformer.</span>"))
    }
}
