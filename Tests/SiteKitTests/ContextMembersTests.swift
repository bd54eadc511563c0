import Testing
@testable import SiteKit

/// The page contexts write their members for variable tags themselves (`appendMember`): what they write, and
/// whether they have the member, must be what their `member` gives, for every name.
@Suite struct ContextMembersTests {
    /// Every member name of the contexts, and some no context has.
    static let names = [
        "title", "href", "label", "current", "site", "root", "pageTitle", "heading", "description", "canonical", "nav",
        "extras", "breadcrumbs", "ogType", "searchHref", "feedHref", "bookHref", "subtitle", "author", "language",
        "chineseLanguage", "meta", "number", "summary", "period", "name", "chinese", "lang", "kind", "count",
        "entities", "common", "chapters", "kinds", "level", "nested", "body", "sections", "previous", "next",
        "references", "map", "armies", "progress", "snippets", "kindLabel", "kindHref", "aliases", "facts",
        "backlinks", "locator", "lifeline", "letter", "letters", "id", "caption", "svg", "commanders", "route",
        "outcome", "introduction", "figure", "chapter", "entries", "total", "percent", "anchor", "value",
        "missing", "", "Title", "title ",
    ]

    /// What the default `appendMember` writes: the member as a value.
    static func byValue(_ object: TemplateObject, _ name: String, escaped: Bool) -> (Bool, [UInt8]) {
        var output: [UInt8] = [1]
        let found = TemplateOutput.append(object.member(TemplateName(name)), escaped: escaped, to: &output)
        return (found, output)
    }

    static func written(_ object: TemplateObject, _ name: String, escaped: Bool) -> (Bool, [UInt8]) {
        var output: [UInt8] = [1]
        let found = object.appendMember(TemplateName(name), escaped: escaped, to: &output)
        return (found, output)
    }

    static func contexts(text: String, optional: String?) -> [TemplateObject] {
        let site = SiteContext(title: text, subtitle: optional, author: optional, language: "en",
                               chineseLanguage: "zh-Hant", meta: TemplateFields([]))
        let common = CommonContext(site: site, root: "../", pageTitle: text, heading: text, description: text,
                                   canonical: optional, nav: [NavItem(label: text, href: "a.html", current: true)],
                                   extras: [], breadcrumbs: [LinkContext(title: text, href: "../index.html")],
                                   ogType: "article", searchHref: "../search.html", feedHref: "../feed.xml",
                                   bookHref: optional)
        let link = EntityLink(name: text, chinese: optional, lang: "zh-Hant", href: "../people/a.html",
                              summary: optional, kind: "person")
        let figure = SVGFigure(number: optional == nil ? nil : 3, id: "figure-3", caption: text, svg: "<svg>\(text)</svg>")
        let progress = ProgressContext(number: 2, total: 10, percent: "20%")
        let chapter = BacklinkChapter(number: 12, title: text, href: "../chapters/a&b.html", sections: Backlinks.SectionList([
            Backlinks.SectionEntry(headingID: optional == nil ? nil : "b<\"c", headingTitle: optional == nil ? nil : text,
                                   snippets: [text, "two"]),
            Backlinks.SectionEntry(headingID: "d", headingTitle: text, snippets: []),
        ]))
        return [
            LinkContext(title: text, href: "a.html"),
            NavItem(label: text, href: "a.html", current: false),
            common, site,
            ChapterSummary(number: 7, title: text, href: "chapters/a.html", summary: optional, period: optional),
            link,
            EntityGroup(label: text, href: "../people/index.html", count: 1, entities: [link]),
            SectionLink(title: text, href: "#a", level: 2, nested: false),
            ChapterContext(common: common, number: -4, title: text, period: optional, summary: optional,
                           body: RawHTML(text),
                           sections: [], previous: nil, next: LinkContext(title: text, href: "b.html"),
                           references: [], map: figure, armies: [], progress: progress, meta: TemplateFields([])),
            BacklinkSection(chapter: chapter, index: 0), BacklinkSection(chapter: chapter, index: 1), chapter,
            EntityContext(common: common, kind: "person", kindLabel: "People", kindHref: "index.html", name: text,
                          chinese: optional, aliases: [text], summary: optional, facts: [FactContext(Fact(label: "Born", value: "1021"))],
                          body: RawHTML(text), backlinks: [], locator: optional == nil ? nil : figure,
                          lifeline: nil, meta: TemplateFields([])),
            figure,
            ArmyContext(name: text, commanders: [], route: "a → b", outcome: optional),
            progress,
            BookChapter(anchor: "chapter-a", number: 1, title: text, period: optional, summary: optional, map: nil,
                        body: text),
            FactContext(Fact(label: text, value: "1021")),
            FigureEntry(label: "Figure 1", caption: text, href: "chapters/a.html#figure-1", chapter: optional),
        ]
    }

    @Test func everyMemberIsWrittenAsItsValueIsShown() {
        for (text, optional) in [("Wang <Anshi> & \"sons\" 王安石's", "an 'optional' <b>"), ("", nil as String?)] {
            for object in Self.contexts(text: text, optional: optional) {
                for name in Self.names {
                    for escaped in [true, false] {
                        let (found, output) = Self.written(object, name, escaped: escaped)
                        let (expectedFound, expected) = Self.byValue(object, name, escaped: escaped)
                        #expect(found == expectedFound, "\(type(of: object)).\(name)")
                        #expect(output == expected, "\(type(of: object)).\(name) escaped: \(escaped)")
                    }
                }
            }
        }
    }
}
