import Foundation
@testable import SiteKit
import Testing

/// Bad and hostile input: each case is a small site written to a scratch folder; the build reports exactly the
/// expected lines and, when it fails, leaves the previous output byte for byte as it was.
@Suite struct HostileInputTests {
    /// Writes a site: `site.yaml` plus `files` (content-relative path → bytes).
    static func site(_ files: [String: [UInt8]], siteYAML: String = "title: Hostile\nkinds: [polities]\n") throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)")
        let content = root.appendingPathComponent("Content")
        for folder in ["chapters", "people", "places", "polities"] {
            try FileManager.default.createDirectory(at: content.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try siteYAML.write(to: content.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
        for (path, bytes) in files {
            let url = content.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
        return root
    }

    static func text(_ string: String) -> [UInt8] { Array(string.utf8) }

    /// A chapter and a person that make a valid site, so each case adds only its own problem.
    static let base: [String: [UInt8]] = [
        "chapters/01-base.md": text("---\ntitle: Base\n---\nAbout [[Wang Anshi]].\n"),
        "people/wang-anshi.md": text("---\nname: Wang Anshi\n---\nA chancellor.\n"),
    ]

    /// Builds `files` (over the base site) into an output that already holds a good build; checks the diagnostics and,
    /// for failures, that the output is untouched. Returns the outcome.
    @discardableResult
    static func check(_ files: [String: [UInt8]], expect lines: [String], builds: Bool,
                      siteYAML: String = "title: Hostile\nkinds: [polities]\n") throws -> FixtureSite.Outcome {
        let root = try site(base.merging(files) { $1 }, siteYAML: siteYAML)
        let goodRoot = try site(base)
        defer {
            try? FileManager.default.removeItem(at: root)
            try? FileManager.default.removeItem(at: goodRoot)
        }
        let output = root.appendingPathComponent("Public")
        let templates = FixtureSite.fixtures.appendingPathComponent("_templates")
        func build(_ content: URL) throws -> BuildResult {
            try SiteBuilder.build(BuildOptions(content: content.path, contentDisplay: "Content", templates: templates.path,
                                               templatesDisplay: "Templates", output: output.path))
        }
        #expect(try build(goodRoot.appendingPathComponent("Content")).succeeded)
        let before = FixtureSite.readTree(output)
        let result = try build(root.appendingPathComponent("Content"))
        let printed = result.diagnostics.formatted.split(separator: "\n").map(String.init)
        #expect(printed == lines)
        #expect(result.succeeded == builds)
        let after = FixtureSite.readTree(output)
        if !builds { #expect(after == before, "a failed build changed the output") }
        return FixtureSite.Outcome(status: result.succeeded ? 0 : 1, diagnostics: result.diagnostics.formatted, files: after)
    }

    @Test func emptyFileAndLoneDelimiter() throws {
        try Self.check(["chapters/02-empty.md": []],
                       expect: ["Content/chapters/02-empty.md:1:1: error: empty file: expected front-matter between '---' lines"], builds: false)
        try Self.check(["chapters/02-dashes.md": Self.text("---\n")],
                       expect: ["Content/chapters/02-dashes.md:1:1: error: unclosed front-matter: no closing '---' line after the opening one on line 1"],
                       builds: false)
    }

    @Test func frontMatterThatIsNotAMapping() throws {
        try Self.check(["chapters/02-scalar.md": Self.text("---\njust a sentence\n---\nBody.\n")],
                       expect: ["Content/chapters/02-scalar.md:2:1: error: front-matter must be a mapping of keys to values, found a string"],
                       builds: false)
        try Self.check(["chapters/02-list.md": Self.text("---\n- one\n- two\n---\nBody.\n")],
                       expect: ["Content/chapters/02-list.md:2:1: error: front-matter must be a mapping of keys to values, found a list"],
                       builds: false)
    }

    @Test func keysOfTheWrongTypeDuplicatesAndTabs() throws {
        try Self.check(["chapters/02-order.md": Self.text("---\ntitle: T\norder: first\n---\nBody.\n")],
                       expect: ["Content/chapters/02-order.md:3:8: error: 'order' must be a whole number, found 'first'"], builds: false)
        try Self.check(["places/mizhi.md": Self.text("---\nname: Mizhi\ncoordinates: north\n---\nFort.\n"),
                        "chapters/02-mizhi.md": Self.text("---\ntitle: T\n---\nAt [[Mizhi]].\n")],
                       expect: ["Content/places/mizhi.md:3:14: error: 'coordinates' must be [latitude, longitude] in decimal degrees, found 'north'"],
                       builds: false)
        try Self.check(["chapters/02-dup.md": Self.text("---\ntitle: A\nsummary: s\ntitle: B\n---\nBody.\n")],
                       expect: ["Content/chapters/02-dup.md:4:1: error: duplicate key 'title' in front-matter"], builds: false)
        let tabs = try Self.check(["chapters/02-tabs.md": Self.text("---\ntitle: T\n\tsummary: tab\n---\nBody.\n")],
                                  expect: ["Content/chapters/02-tabs.md:3:1: error: invalid YAML in front-matter: found a tab character that violates indentation (while scanning a plain scalar)"],
                                  builds: false)
        #expect(tabs.status == 1)
    }

    @Test func nulBytesAndInvalidUTF8() throws {
        try Self.check(["chapters/02-nul.md": Self.text("---\ntitle: T\n---\nA\u{0}B\n")],
                       expect: ["Content/chapters/02-nul.md:4:2: error: NUL byte in the file: it is not text; remove it or save the file as UTF-8 text"],
                       builds: false)
        try Self.check(["chapters/02-latin1.md": Self.text("---\ntitle: T\n---\ncaf") + [0xE9] + Self.text("\n")],
                       expect: ["Content/chapters/02-latin1.md:4:4: error: invalid UTF-8: byte 0xE9 is not valid text; save the file as UTF-8"],
                       builds: false)
    }

    @Test func hugeAndDeeplyNestedChaptersBuild() throws {
        let paragraph = "The armies marched along the river and [[Wang Anshi]] wrote to the court about grain. "
        let huge = "---\ntitle: Huge\n---\n" + String(repeating: String(repeating: paragraph, count: 20) + "\n\n", count: 6200)
        #expect(huge.utf8.count > 10_000_000)
        let quotes = "---\ntitle: Quotes\n---\n" + String(repeating: "> ", count: 5000) + "deep [[Wang Anshi]]\n"
        var list = "---\ntitle: List\n---\n"
        for depth in 0..<5000 { list += String(repeating: "  ", count: depth) + "- item\n" }
        let outcome = try Self.check(["chapters/02-huge.md": Self.text(huge), "chapters/03-quotes.md": Self.text(quotes),
                                      "chapters/04-list.md": Self.text(list)], expect: [], builds: true)
        #expect((outcome.files["chapters/huge.html"]?.count ?? 0) > 10_000_000)
        #expect(String(decoding: outcome.files["chapters/quotes.html"] ?? Data(), as: UTF8.self).contains("deep <a class=\"ref ref-person\""))
    }

    @Test func strayFilesCyclesAndOrphansAreWarningsOrFine() throws {
        try Self.check(["chapters/notes.txt": Self.text("not a chapter"),
                        "chapters/02-a.md": Self.text("---\ntitle: A\n---\nSee [B](03-b.md).\n"),
                        "chapters/03-b.md": Self.text("---\ntitle: B\n---\nSee [A](02-a.md).\n"),
                        "people/nobody.md": Self.text("---\nname: Nobody\n---\nUnused.\n")],
                       expect: ["Content/chapters/notes.txt: warning: ignoring 'chapters/notes.txt': only .md files directly in 'chapters/' are pages",
                                "Content/people/nobody.md:1:1: warning: person 'nobody' is not referred to by any chapter"],
                       builds: true)
    }

    /// A content file where the build writes a page of its own is refused before anything is written.
    @Test func aContentFileInTheWayOfAGeneratedOneIsRefused() throws {
        try Self.check(["data/search.js": Self.text("window.X = 1;\n")],
                       expect: ["build-site: error: two files would be written to 'data/search.js': rename the content folder "
                                + "or file that clashes with a generated page or template asset"],
                       builds: false)
    }

    @Test func everyTemplateValueIsEscaped() throws {
        let hostile = "<script>alert(1)</script> \\\"dq\\\" 'sq' </title>"
        let outcome = try Self.check(
            ["chapters/02-x.md": Self.text("---\ntitle: \"\(hostile)\"\nsummary: \"\(hostile)\"\n---\nBody <b>bold</b> and [[Wang Anshi|<i>x</i>]].\n")],
            expect: ["Content/chapters/02-x.md:5:6: warning: raw HTML dropped: set 'unsafe_html: true' in site.yaml to keep it",
                     "Content/chapters/02-x.md:5:13: warning: raw HTML dropped: set 'unsafe_html: true' in site.yaml to keep it",
                     "Content/chapters/02-x.md:5:35: warning: raw HTML dropped: set 'unsafe_html: true' in site.yaml to keep it",
                     "Content/chapters/02-x.md:5:39: warning: raw HTML dropped: set 'unsafe_html: true' in site.yaml to keep it"],
            builds: true)
        let realSite = try Self.site(Self.base.merging(["chapters/02-x.md": Self.text("---\ntitle: \"\(hostile)\"\nsummary: \"\(hostile)\"\n---\nBody.\n")]) { $1 })
        defer { try? FileManager.default.removeItem(at: realSite) }
        let realOutput = try SiteBuilder.generate(BuildOptions(
            content: realSite.appendingPathComponent("Content").path,
            contentDisplay: "Content", templates: RealTemplateTests.templates.path, templatesDisplay: "Templates", output: nil))
        for file in realOutput.files + [] {
            guard let text = file.contents.text, file.path.hasSuffix(".html") else { continue }
            #expect(!text.contains("<script>alert"), "\(file.path)")
            #expect(!text.contains("</title> "), "\(file.path)")
        }
        let page = IllustrationTests.html(realOutput, "chapters/x.html")
        #expect(page.contains("<title>&lt;script&gt;alert(1)&lt;/script&gt; &quot;dq&quot; &#39;sq&#39; &lt;/title&gt; · Hostile</title>"))
        #expect(page.contains("<meta name=\"description\" content=\"&lt;script&gt;alert(1)&lt;/script&gt; &quot;dq&quot; &#39;sq&#39; &lt;/title&gt;\">"))
        let chapter = String(decoding: outcome.files["chapters/x.html"] ?? Data(), as: UTF8.self)
        #expect(!chapter.contains("<i>"))
        #expect(!chapter.contains("<b>"))
        #expect(chapter.contains("<title>&lt;script&gt;alert(1)&lt;/script&gt;"))
    }

    /// Raw HTML dropped from one page never disturbs another page linked at the same time. The dropped nodes were
    /// once told apart by reading their type after they were freed; when another thread had been given that memory
    /// meanwhile, a node of its tree was unlinked and freed instead, and a reference vanished from a page that had none
    /// of the raw HTML (seen in about one build in fifty with this pair of builds, run many at once).
    @Test(arguments: Array(0..<32)) func droppedRawHTMLLeavesOtherPagesIntact(_ run: Int) throws {
        let root = try Self.site(Self.base.merging([
            "chapters/02-x.md": Self.text("---\ntitle: X\n---\nBody <b>bold</b> and [[Wang Anshi|<i>x</i>]], <span>again</span>.\n"),
        ]) { $1 })
        let good = try Self.site(Self.base)
        defer {
            try? FileManager.default.removeItem(at: root)
            try? FileManager.default.removeItem(at: good)
        }
        let output = root.appendingPathComponent("Public")
        let templates = FixtureSite.fixtures.appendingPathComponent("_templates")
        for content in [good, root] {
            _ = try SiteBuilder.build(BuildOptions(content: content.appendingPathComponent("Content").path,
                                                   contentDisplay: "Content", templates: templates.path,
                                                   templatesDisplay: "Templates", output: output.path))
        }
        let page = try String(contentsOf: output.appendingPathComponent("chapters/base.html"), encoding: .utf8)
        #expect(page.contains("About <a class=\"ref ref-person\" href=\"../people/wang-anshi.html\" data-ref=\"people/wang-anshi\">Wang Anshi</a>.</p>"),
                "run \(run)")
    }

    @Test func scriptURLsNeverBecomeLiveLinks() throws {
        let body = """
            [a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](java&#115;cript:alert(1)) [d](&#x6A;avascript:alert(1))
            [e](vbscript:msgbox(1)) [f](data:text/html;base64,PHNjcmlwdD4=) [g]( javascript:alert(1)) <javascript:alert(1)>
            [h](%6Aavascript:alert(1)) ![i](javascript:alert(1)) [j](java\tscript:alert(1)) [k](https://example.org/ok)

            """
        for unsafe in [false, true] {
            let root = try Self.site(Self.base.merging(["chapters/02-urls.md": Self.text("---\ntitle: URLs\n---\n" + body)]) { $1 },
                                     siteYAML: "title: URLs\nunsafe_html: \(unsafe)\n")
            defer { try? FileManager.default.removeItem(at: root) }
            let generated = try SiteBuilder.generate(BuildOptions(
                content: root.appendingPathComponent("Content").path, contentDisplay: "Content",
                templates: FixtureSite.fixtures.appendingPathComponent("_templates").path, templatesDisplay: "Templates", output: nil))
            let page = IllustrationTests.html(generated, "chapters/urls.html")
            #expect(!page.isEmpty)
            for value in LinkScanner.values(of: "href", in: page) + LinkScanner.values(of: "src", in: page) {
                let decoded = (value.removingPercentEncoding ?? value).lowercased().filter { !$0.isWhitespace && $0 != "\t" }
                #expect(!decoded.hasPrefix("javascript:") && !decoded.hasPrefix("vbscript:") && !decoded.hasPrefix("data:"),
                        "live link '\(value)' with unsafe_html: \(unsafe)")
            }
            #expect(page.contains("href=\"https://example.org/ok\""))
        }
    }

    @Test func slugsAndPathsAreSanitisedOrRefused() throws {
        try Self.check(["chapters/02-a.md": Self.text("---\ntitle: A\nslug: ../../etc/passwd\n---\nBody.\n")],
                       expect: ["Content/chapters/02-a.md:3:7: error: invalid slug '../../etc/passwd': use letters, digits, '-' and '_' only, starting with a letter or digit"],
                       builds: false)
        try Self.check(["chapters/02-b.md": Self.text("---\ntitle: B\nslug: /etc/cron.d/x\n---\nBody.\n")],
                       expect: ["Content/chapters/02-b.md:3:7: error: invalid slug '/etc/cron.d/x': use letters, digits, '-' and '_' only, starting with a letter or digit"],
                       builds: false)
        try Self.check(["chapters/02-c.md": Self.text("---\ntitle: C\nslug: a\\\\b\n---\nBody.\n")],
                       expect: ["Content/chapters/02-c.md:3:7: error: invalid slug 'a\\\\b': use letters, digits, '-' and '_' only, starting with a letter or digit"],
                       builds: false)
        try Self.check(["chapters/02-con.md": Self.text("---\ntitle: Con\nslug: con\n---\nBody.\n")],
                       expect: ["Content/chapters/02-con.md:3:7: error: invalid slug 'con': 'con' is a reserved file name on Windows"],
                       builds: false)
        try Self.check(["people/Wang-Anshi.md": Self.text("---\nname: Other Wang\n---\nCase twin.\n"),
                        "chapters/02-w.md": Self.text("---\ntitle: W\n---\n[[Other Wang]].\n")],
                       expect: ["Content/chapters/01-base.md:4:7: error: unknown entity 'Wang Anshi'",
                                "Content/chapters/01-base.md:4:7: note: did you mean 'Wang-Anshi'?",
                                "Content/people/wang-anshi.md:1:1: error: duplicate slug 'wang-anshi': 'Content/people/Wang-Anshi.md' already uses it (slugs may differ only in letter case)"],
                       builds: false)
        try Self.check(["chapters/02-space.md": Self.text("---\ntitle: S\nslug: \"a b\"\n---\nBody.\n")],
                       expect: ["Content/chapters/02-space.md:3:7: error: invalid slug 'a b': use letters, digits, '-' and '_' only, starting with a letter or digit"],
                       builds: false)
    }

    @Test func symbolicLinksLeavingTheContentAreNotFollowed() throws {
        let root = try Self.site(Self.base)
        defer { try? FileManager.default.removeItem(at: root) }
        let content = root.appendingPathComponent("Content")
        let secret = root.appendingPathComponent("secret.md")
        try "---\ntitle: Secret\n---\nSECRET TEXT\n".write(to: secret, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: content.appendingPathComponent("chapters/02-secret.md").path,
                                                   withDestinationPath: secret.path)
        try FileManager.default.createDirectory(at: content.appendingPathComponent("images"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: content.appendingPathComponent("images/etc").path, withDestinationPath: "/etc")
        let output = root.appendingPathComponent("Public")
        let result = try SiteBuilder.build(BuildOptions(content: content.path, contentDisplay: "Content",
                                                        templates: FixtureSite.fixtures.appendingPathComponent("_templates").path,
                                                        templatesDisplay: "Templates", output: output.path))
        #expect(result.succeeded)
        #expect(result.diagnostics.formatted.split(separator: "\n").map(String.init) == [
            "Content/chapters/02-secret.md: warning: not following symbolic link 'chapters/02-secret.md': it points outside the content folder",
            "Content/images/etc: warning: not following symbolic link 'images/etc': it points outside the content folder",
        ])
        let files = FixtureSite.readTree(output)
        #expect(files.keys.allSatisfy { !$0.hasPrefix("images/etc") })
        #expect(!files.values.contains { String(decoding: $0, as: UTF8.self).contains("SECRET TEXT") })
    }
}
