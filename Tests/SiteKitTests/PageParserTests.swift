import Testing
@testable import SiteKit

@Suite struct PageParserTests {
    @Test func chapterSlugDropsTheOrderPrefix() throws {
        let (page, problems) = parsePage("---\ntitle: Five Armies\n---\nText\n", path: "chapters/03-five-armies.md")
        #expect(problems.isEmpty)
        #expect(page?.id == PageID(folder: "chapters", slug: "five-armies"))
        #expect(page?.order == 3)
    }

    @Test func orderPrefixesAndFileNames() {
        #expect(PageParser.orderPrefix(of: "01-backdrop")! == (1, 3))
        #expect(PageParser.orderPrefix(of: "120-x")! == (120, 4))
        for stem in ["2024", "12-", "-x", "x-1", "١٢-arabic-digits", ""] { #expect(PageParser.orderPrefix(of: stem) == nil) }
        #expect(parsePage("---\ntitle: T\n---\n", path: "chapters/sub/07-deep.md").0?.id.slug == "deep")
        #expect(parsePage("---\ntitle: T\n---\n", path: "chapters/plain.md").0?.id.slug == "plain")
        #expect(parsePage("---\ntitle: T\n---\n", path: "chapters/2024.md").0?.order == nil)
    }

    @Test func frontMatterSlugAndOrderWin() {
        let (page, _) = parsePage("---\ntitle: T\nslug: custom\norder: 7\n---\n", path: "chapters/03-x.md")
        #expect(page?.id.slug == "custom")
        #expect(page?.order == 7)
    }

    @Test func entitySlugKeepsDigits() {
        let (page, _) = parsePage("---\nname: Year\n---\n", path: "events/1081-campaign.md", kind: EntityKind(folder: "events"))
        #expect(page?.id == PageID(folder: "events", slug: "1081-campaign"))
    }

    @Test func invalidSlugIsRefused() {
        let (page, problems) = parsePage("---\ntitle: T\nslug: ../../etc\n---\n")
        #expect(page == nil)
        #expect(problems == ["Content/chapters/01-test.md:3:7: error: invalid slug '../../etc': use letters, digits, '-' and '_' only, starting with a letter or digit"])
    }

    @Test func missingTitleAndNameAreErrors() {
        #expect(parsePage("---\nsummary: s\n---\n").1 == ["Content/chapters/01-test.md:1:1: error: missing required key 'title' in front-matter"])
        let person = parsePage("---\nrole: general\n---\n", path: "people/zhong-e.md", kind: EntityKind(folder: "people"))
        #expect(person.1 == ["Content/people/zhong-e.md:1:1: error: missing required key 'name' in front-matter"])
    }

    @Test func entityFieldsAreTyped() throws {
        let (page, problems) = parsePage("""
            ---
            name: Wang Anshi
            chinese: 王安石
            aliases: [Jiefu, Wang Jinggong]
            born: 1021
            died: 1086
            reign: [1067, 1085]
            coordinates: [34.79, 114.35]
            modern: Kaifeng, Henan
            ---
            """, path: "people/wang-anshi.md", kind: EntityKind(folder: "people"))
        #expect(problems.isEmpty)
        let p = try #require(page)
        #expect(p.aliases.map(\.text) == ["Jiefu", "Wang Jinggong"])
        #expect(p.chinese == "王安石")
        #expect(p.coordinates == Coordinates(latitude: 34.79, longitude: 114.35))
        #expect(p.facts.map(\.label) == ["Born", "Died", "Reigned", "Coordinates", "Today"])
        #expect(p.facts[2].value == "1067–1085")
    }

    @Test func wrongTypesAreErrorsAtTheValue() {
        let (_, problems) = parsePage("---\nname: X\ncoordinates: north\nborn: early\n---\n", path: "places/x.md",
                                      kind: EntityKind(folder: "places"))
        #expect(problems == [
            "Content/places/x.md:3:14: error: 'coordinates' must be [latitude, longitude] in decimal degrees, found 'north'",
            "Content/places/x.md:4:7: error: 'born' must be a whole number, found 'early'",
        ])
    }
}
