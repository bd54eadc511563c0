import Foundation
import Mustache
import Testing
@testable import SiteKit

/// The compiled renderer against swift-mustache, tag by tag: each case is rendered both ways from the same parsed
/// templates, and both must give the expected text.
@Suite struct CompiledTemplatesTests {
    /// Templates in a temporary folder, loaded as a build loads them.
    static func templates(_ files: [String: String]) throws -> TemplateSet {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("compiled-\(UUID().uuidString)")
        for (name, text) in files {
            let url = root.appendingPathComponent(name + ".mustache")
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        defer { try? FileManager.default.removeItem(at: root) }
        var log = DiagnosticLog()
        let set = try TemplateSet.load(root: root.path, displayRoot: "Templates", log: &log)
        // (The page templates a site needs are missing here: those errors are expected.)
        #expect(!log.formatted.contains("does not parse"), "\(log.formatted)")
        return set
    }

    /// A context from YAML text.
    static func context(_ yaml: String) throws -> TemplateFields {
        var log = DiagnosticLog()
        let file = SourceFile(relativePath: "context.yaml", displayPath: "context.yaml", text: yaml)
        guard case .document(let value)? = YAMLFile.parse(file, log: &log), let entries = value.mapping else {
            Issue.record("bad YAML: \(log.formatted)")
            return TemplateFields([])
        }
        return TemplateFields(entries)
    }

    /// Renders `template` (plus `partials`) over `yaml` both ways; checks both against `expected`.
    static func check(_ template: String, _ yaml: String = "a: 1", partials: [String: String] = [:], expected: String,
                      sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        var files = partials
        files["page"] = template
        let set = try templates(files)
        let compiled = try #require(set.compiled, "the template was not compiled", sourceLocation: sourceLocation)
        let context = try Self.context(yaml)
        #expect(String(decoding: compiled.render("page", context), as: UTF8.self) == expected, "compiled", sourceLocation: sourceLocation)
        #expect(set.renderWithLibrary("page", context) == expected, "swift-mustache", sourceLocation: sourceLocation)
    }

    @Test func variablesAreEscapedUnlessTripleOrAmpersand() throws {
        try Self.check("{{t}}|{{{t}}}|{{&t}}", "t: '<a href=\"x\">Tom & Jerry''s</a>'",
                       expected: "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;|<a href=\"x\">Tom & Jerry's</a>|<a href=\"x\">Tom & Jerry's</a>")
    }

    @Test func numbersBooleansAndMissingNames() throws {
        try Self.check("{{n}} {{f}} {{b}} [{{missing}}] [{{empty}}]", "n: 42\nf: 1.5\nb: true\nempty:\n",
                       expected: "42 1.5 true [] []")
    }

    @Test func integersShowAsSwiftPrintsThem() throws {
        try Self.check("{{a}} {{b}} {{c}} {{d}} {{e}} {{minusone(a)}} {{#l}}{{index()}}{{/l}}",
                       "a: 0\nb: 7\nc: 1081\nd: -42\ne: 9223372036854775807\nl: [x, y, z, w, v, u, t, s, r, q, p]\n",
                       expected: "0 7 1081 -42 9223372036854775807 -1 012345678910")
    }

    @Test func dottedNamesAndTheContextStack() throws {
        let yaml = "site:\n  title: Book\n  author: Li\nchapters:\n  - title: One\n  - title: Two\n    author: Su\n"
        try Self.check("{{site.title}}: {{#chapters}}{{title}} by {{author}}{{#site}} ({{title}}){{/site}}; {{/chapters}}",
                       yaml, expected: "Book: One by  (Book); Two by Su (Book); ")
        // A name found at one level is not looked for further up when its rest is missing.
        try Self.check("{{#chapters}}[{{site.nothing}}]{{/chapters}}", yaml, expected: "[][]")
    }

    @Test func anchoredNamesLookOnlyAtTheCurrentObject() throws {
        let yaml = "outcome: outer\narmies:\n  - name: A\n    outcome: took Lanzhou\n  - name: B\n"
        try Self.check("{{#armies}}{{name}}:{{#.outcome}} {{outcome}}{{/.outcome}}|{{outcome}};{{/armies}}", yaml,
                       expected: "A: took Lanzhou|took Lanzhou;B:|outer;")
        try Self.check("{{#armies}}{{.}}{{/armies}}{{#outcome}}<{{.}}>{{/outcome}}", "outcome: x\narmies: [1, 2]",
                       expected: "12<x>")
    }

    @Test func sectionsAndInvertedSectionsOverEveryKindOfValue() throws {
        let yaml = "yes: true\nno: false\nlist: [a, b]\nnone: []\ntext: hi\nzero: 0\n"
        try Self.check("{{#yes}}Y{{/yes}}{{#no}}N{{/no}}{{^no}}n{{/no}}{{^yes}}y{{/yes}}", yaml, expected: "Yn")
        try Self.check("{{#list}}<{{.}}>{{/list}}{{^list}}-{{/list}}{{#none}}x{{/none}}{{^none}}empty{{/none}}", yaml,
                       expected: "<a><b>empty")
        try Self.check("{{#text}}[{{.}}]{{/text}}{{^text}}no{{/text}}{{#zero}}({{.}}){{/zero}}{{^missing}}missing{{/missing}}",
                       yaml, expected: "[hi](0)missing")
    }

    @Test func transformsOnListsStringsNumbersAndPositions() throws {
        let yaml = "list: [a, b, c]\nnone: []\nname: Wang Anshi\nn: 4\n"
        try Self.check("{{#list}}{{.}}{{^last()}}, {{/last()}}{{/list}}", yaml, expected: "a, b, c")
        try Self.check("{{#list}}{{index()}}{{#first()}}!{{/first()}}{{#odd()}}o{{/odd()}}{{#even()}}e{{/even()}}{{/list}}",
                       yaml, expected: "0!e1o2e")
        try Self.check("{{count(list)}} {{first(list)}} {{last(list)}} {{#reversed(list)}}{{.}}{{/reversed(list)}}", yaml,
                       expected: "3 a c cba")
        try Self.check("{{#empty(none)}}none{{/empty(none)}}{{^empty(list)}} list{{/empty(list)}}", yaml,
                       expected: "none list")
        try Self.check("{{uppercased(name)}} {{lowercased(name)}} {{reversed(name)}} {{#empty(name)}}x{{/empty(name)}}",
                       yaml, expected: "WANG ANSHI wang anshi ihsnA gnaW ")
        try Self.check("{{plusone(n)}} {{minusone(n)}} {{#even(n)}}even{{/even(n)}}{{#equalzero(n)}}zero{{/equalzero(n)}}",
                       yaml, expected: "5 3 even")
        try Self.check("[{{first(none)}}]{{^first(none)}}nothing{{/first(none)}}", yaml, expected: "[]nothing")
    }

    @Test func standaloneTagsLeaveNoBlankLines() throws {
        try Self.check("<ul>\n{{#list}}\n<li>{{.}}</li>\n{{/list}}\n</ul>\n", "list: [a, b]",
                       expected: "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n")
    }

    @Test func partialsAreIndentedAndSeeTheContext() throws {
        try Self.check("<div>\n  {{> item}}\n</div>\n", "name: Su Shi",
                       partials: ["item": "<p>\n{{name}}\n</p>\n"], expected: "<div>\n  <p>\n  Su Shi\n  </p>\n</div>\n")
        try Self.check("{{#list}}{{> item}}{{/list}}", "list: [{name: A}, {name: B}]",
                       partials: ["item": "<{{name}}>"], expected: "<A><B>")
        try Self.check("[{{> nowhere}}]", expected: "[]")
    }

    @Test func parentsAndBlocks() throws {
        let base = "<title>{{$title}}Book{{/title}}</title>\n<main>{{$content}}{{/content}}</main>\n"
        try Self.check("{{<base}}\n{{$content}}\n<p>{{text}}</p>\n{{/content}}\n{{/base}}", "text: hi",
                       partials: ["base": base], expected: "<title>Book</title>\n<main><p>hi</p>\n</main>\n")
        // A block overridden in the page wins over the one in a middle layer.
        let middle = "{{<base}}{{$title}}Middle{{/title}}{{$content}}middle{{/content}}{{/base}}"
        try Self.check("{{<middle}}{{$title}}Page{{/title}}{{/middle}}",
                       partials: ["base": base, "middle": middle], expected: "<title>Page</title>\n<main>middle</main>\n")
    }

    @Test func frontMatterFieldsNestAsObjectsAndLists() throws {
        let yaml = "meta:\n  sources:\n    - title: Song shi\n      juan: 486\n  place:\n    modern: Lanzhou\n"
        try Self.check("{{#meta.sources}}{{title}} ({{juan}}){{/meta.sources}}, {{meta.place.modern}}", yaml,
                       expected: "Song shi (486), Lanzhou")
    }

    @Test func theTextContentTypeDoesNotEscape() throws {
        try Self.check("{{% CONTENT_TYPE: TEXT }}\n{{t}} {{> p}}", "t: a<b", partials: ["p": "{{t}}"],
                       expected: "a<b a&lt;b")
    }

    @Test func unknownTransformsFallBackToSwiftMustache() throws {
        let set = try Self.templates(["page": "{{#sorted(list)}}{{.}}{{/sorted(list)}}"])
        #expect(set.compiled == nil)
        let context = try Self.context("list: [b, a]")
        #expect(String(decoding: set.render("page", context), as: UTF8.self) == set.renderWithLibrary("page", context))
    }

    /// A context with lists of Swift strings (as an entity page's snippets are).
    final class Texts: TemplateObject {
        let items = ["a&b", "<i>", "", "x"]
        let nested = [["1", "2"], [], ["3"]]
        override func member(_ name: TemplateName) -> TemplateValue {
            switch name.text {
            case "items": return items.asTemplateValue
            case "nested": return nested.asTemplateValue
            case "name": return .string("outer")
            case "one": return .object(TemplateFields([]))
            default: return .null
            }
        }
    }

    /// Lists of strings give what lists of front-matter strings give (swift-mustache's rendering of those): `.`,
    /// transforms and sections on it, positions, names found further down, partials, nested and reversed lists.
    @Test func listsOfStringsShowTheirElementsAsOtherListsDo() throws {
        let templates = [
            "{{#items}}[{{.}}|{{{.}}}|{{uppercased(.)}}|{{#.}}<{{.}}>{{/.}}|{{^.}}E{{/.}}|{{index()}}|{{name}}|{{.missing}}]{{/items}}",
            "{{#items}}{{> p}}{{/items}}",
            "{{#nested}}{{#.}}{{.}},{{/.}}{{^.}}none{{/.}};{{/nested}}",
            "{{#reversed(items)}}{{.}}{{^last()}}-{{/last()}}{{/reversed(items)}} {{#first(items)}}{{.}}{{/first(items)}}",
            "{{#items}}{{#one}}[{{name}}]{{/one}}{{.}}{{/items}}",
            "{{#items}}{{#items}}{{.}}{{/items}}/{{.}} {{/items}}",
        ]
        let yaml = "items: ['a&b', '<i>', '', 'x']\nnested: [['1', '2'], [], ['3']]\nname: outer\none: {}\n"
        for template in templates {
            let set = try Self.templates(["page": template, "p": "({{.}}{{name}})"])
            let compiled = try #require(set.compiled)
            let fields = try Self.context(yaml)
            let fromFields = String(decoding: compiled.render("page", fields), as: UTF8.self)
            #expect(fromFields == set.renderWithLibrary("page", fields), "\(template)")
            #expect(String(decoding: compiled.render("page", Texts()), as: UTF8.self) == fromFields, "\(template)")
        }
    }

    /// An entity page's backlink sections and their sentences, read where they lie (`Backlinks.SectionList`), render
    /// as the same sections with lists of strings do, in every position a template can put them.
    @Test func backlinkSectionsRenderAsListsOfStringsDo() throws {
        let templates = [
            "{{#sections}}[{{title}}|{{href}}|{{{title}}}|{{#snippets}}<{{.}}|{{{.}}}|{{uppercased(.)}}|{{#.}}({{.}}){{/.}}{{^.}}E{{/.}}|{{index()}}|{{title}}>{{/snippets}}|{{snippets}}|{{count(snippets)}}|{{#empty(snippets)}}none{{/empty(snippets)}}]{{/sections}}",
            "{{#reversed(sections)}}{{#first(snippets)}}{{.}}{{/first(snippets)}}{{#reversed(snippets)}}{{.}},{{/reversed(snippets)}};{{/reversed(sections)}}",
        ]
        let sections = [
            Backlinks.SectionEntry(headingID: nil, headingTitle: nil, snippets: ["a&b", "<i>", "", "x"]),
            Backlinks.SectionEntry(headingID: "the-march", headingTitle: "The <march>", snippets: []),
            Backlinks.SectionEntry(headingID: "王", headingTitle: "王安石", snippets: ["宋 & 夏"]),
        ]
        let chapter = BacklinkChapter(number: 3, title: "Three", href: "../chapters/three.html",
                                      sections: Backlinks.SectionList(sections))
        let strings = SectionsAsStrings(sections: sections.map { section in
            SectionAsStrings(title: section.headingTitle ?? "Opening",
                             href: "../chapters/three.html" + (section.headingID.map { "#" + $0 } ?? ""),
                             snippets: section.snippets)
        })
        for template in templates {
            let set = try Self.templates(["page": template])
            let compiled = try #require(set.compiled)
            let expected = String(decoding: compiled.render("page", strings), as: UTF8.self)
            #expect(String(decoding: compiled.render("page", chapter), as: UTF8.self) == expected, "\(template)")
            #expect(set.renderWithLibrary("page", chapter) == set.renderWithLibrary("page", strings), "\(template)")
        }
    }

    /// A list element that keeps a render memo renders as one that does not, page after page: its rendering is kept
    /// only when it read nothing but the element, and is then copied on the next page.
    @Test func memoizedListElementsRenderAsOthersDo() throws {
        func links(memoized: Bool) -> [EntityLink] {
            [EntityLink(name: "Xu <Xi>", chinese: "徐禧", lang: "zh-Hant", href: "../people/xu-xi.html",
                        summary: "Commander & envoy", kind: "person"),
             EntityLink(name: "Yongle", chinese: nil, lang: "zh-Hant", href: "../places/yongle.html", summary: nil,
                        kind: "place")].map { memoized ? $0.keepRenderings() : $0 }
        }
        // How many renderings each link keeps: none when the body read something further out (Yongle has no
        // summary, so `{{^summary}}` looks further out for one).
        let templates: [(template: String, kept: [Int])] = [
            ("{{#entities}}<a href=\"{{href}}\">{{name}}</a>{{#.chinese}} <span lang=\"{{lang}}\">{{chinese}}</span>{{/.chinese}}{{#.summary}} — {{summary}}{{/.summary}};{{/entities}}", [1, 1]),
            ("{{#entities}}{{{name}}}{{#kind}}[{{.}}]{{/kind}}{{^summary}}-{{/summary}}{{/entities}}", [1, 0]),
            ("{{#entities}}{{name}} in {{note}};{{/entities}}", [0, 0]),
            ("{{#entities}}{{name}}{{^last()}}, {{/last()}}{{/entities}}", [0, 0]),
            ("{{#entities}}{{> p}}{{/entities}}", [0, 0]),
            ("{{#entities}}{{name}}{{missing}}{{/entities}}", [0, 0]),
            ("{{#entities}}{{#chinese}}{{note}}{{/chinese}}{{^chinese}}{{outer.note}}{{/chinese}}{{/entities}}", [0, 0]),
        ]
        for (template, kept) in templates {
            let set = try Self.templates(["page": template, "p": "({{name}} {{note}})"])
            let compiled = try #require(set.compiled)
            let memoized = links(memoized: true)
            for round in 0..<3 {
                for (note, missing) in [("first", nil), ("second", "found <here>")] as [(String, String?)] {
                    let expected = Outer(entities: links(memoized: false), note: note, missing: missing)
                    let page = Outer(entities: memoized, note: note, missing: missing)
                    let rendered = String(decoding: compiled.render("page", page), as: UTF8.self)
                    #expect(rendered == String(decoding: compiled.render("page", expected), as: UTF8.self),
                            "\(template), round \(round)")
                    #expect(rendered == set.renderWithLibrary("page", expected), "\(template)")
                }
            }
            #expect(memoized.map { $0.renderMemo?.count ?? -1 } == kept, "\(template)")
        }
        // The same links rendered by two programs whose bodies have the same numbers: each keeps its own rendering.
        let shared = links(memoized: true)
        for (template, expected) in [("{{#entities}}<{{name}}>{{/entities}}", "<Xu &lt;Xi&gt;><Yongle>"),
                                     ("{{#entities}}[{{kind}}]{{/entities}}", "[person][place]")] {
            let set = try Self.templates(["page": template])
            let compiled = try #require(set.compiled)
            let page = Outer(entities: shared, note: "", missing: nil)
            #expect(String(decoding: compiled.render("page", page), as: UTF8.self) == expected)
            #expect(String(decoding: compiled.render("page", page), as: UTF8.self) == expected)
        }
        #expect(shared.map { $0.renderMemo?.count ?? -1 } == [2, 2])
    }

    /// Memoized elements reached through a reversed list are copied as they are in order, and many threads
    /// rendering the same elements at once (reading their memos while one keeps a rendering) all write the same
    /// pages, with one rendering kept per body (two here: in order, and reversed).
    @Test func memoizedElementsRenderAlikeReversedAndOnManyThreads() throws {
        let template = "{{#entities}}<{{name}}>{{/entities}}|{{#reversed(entities)}}<{{name}}>{{/reversed(entities)}}"
        let set = try Self.templates(["page": template])
        let compiled = try #require(set.compiled)
        let links = (0..<40).map {
            EntityLink(name: "Name \($0) & co", chinese: nil, lang: "zh-Hant", href: "../people/\($0).html", summary: nil,
                       kind: "person").keepRenderings()
        }
        let names = links.map { "<\($0.name.replacingOccurrences(of: "&", with: "&amp;"))>" }
        let expected = names.joined() + "|" + names.reversed().joined()
        let pages = parallelMap(Array(0..<64)) { _ in
            String(decoding: compiled.render("page", Outer(entities: links, note: "", missing: nil)), as: UTF8.self)
        }
        #expect(pages.allSatisfy { $0 == expected })
        #expect(links.allSatisfy { $0.renderMemo?.count == 2 })
        #expect(set.renderWithLibrary("page", Outer(entities: links, note: "", missing: nil)) == expected)
    }

    final class Outer: TemplateObject, MustacheParent {
        let entities: [EntityLink], note: String, missing: String?
        init(entities: [EntityLink], note: String, missing: String?) {
            (self.entities, self.note, self.missing) = (entities, note, missing)
        }
        override func member(_ name: TemplateName) -> TemplateValue {
            switch name.text {
            case "entities": return entities.asTemplateValue
            case "note": return .string(note)
            case "missing": return missing.asTemplateValue
            case "outer": return .object(self)
            default: return .null
            }
        }
    }

    final class SectionsAsStrings: TemplateObject, MustacheParent {
        let sections: [SectionAsStrings]
        init(sections: [SectionAsStrings]) { self.sections = sections }
        override func member(_ name: TemplateName) -> TemplateValue { name == "sections" ? sections.asTemplateValue : .null }
    }

    final class SectionAsStrings: TemplateObject, MustacheParent, CustomStringConvertible {
        let title: String, href: String, snippets: [String]
        init(title: String, href: String, snippets: [String]) { (self.title, self.href, self.snippets) = (title, href, snippets) }
        override func member(_ name: TemplateName) -> TemplateValue {
            switch name.text {
            case "title": return .string(title)
            case "href": return .string(href)
            case "snippets": return snippets.asTemplateValue
            default: return .null
            }
        }
        var description: String { "section" }
    }
}
