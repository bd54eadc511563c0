import Testing
@testable import SiteKit

@Suite struct EntityIndexTests {
    static func makeBook(_ files: [(String, String, String)]) -> (Book, [String]) {
        var log = DiagnosticLog()
        var kinds: [String: [Page]] = [:]
        for (kind, path, text) in files {
            if let page = PageParser.parse(source(text, path: path), kind: EntityKind(folder: kind), log: &log) {
                kinds[kind, default: []].append(page)
            }
        }
        var config = SiteConfig.parse(source("title: T\n", path: "site.yaml"), log: &log)
        config.kinds = ["people", "places"].map { EntityKind(folder: $0) }
        let book = Book(config: config, chapters: [],
                        entities: config.kinds.map { ($0, kinds[$0.folder] ?? []) }, staticFiles: [], log: &log)
        return (book, log.sorted.flatMap(\.lines))
    }

    static let files = [
        ("people", "people/wang-anshi.md", "---\nname: Wang Anshi\nchinese: 王安石\naliases: [Jiefu]\n---\n"),
        ("people", "people/liu-changzuo.md", "---\nname: Liu Changzuo\naliases: [Liu]\n---\n"),
        ("people", "people/liu-hao.md", "---\nname: Liu Hao\naliases: [Liu]\n---\n"),
        ("places", "places/kaifeng.md", "---\nname: Kaifeng\naliases: [Bianjing, Dongjing]\n---\n"),
    ]

    @Test func resolvesSlugNameAliasAndHanCaseInsensitively() {
        let index = EntityIndex(book: Self.makeBook(Self.files).0)
        let wang = PageID(folder: "people", slug: "wang-anshi")
        #expect(index.resolve("wang-anshi") == .found(wang))
        // As written in the front-matter (found without normalising), and otherwise.
        #expect(index.resolve("Wang Anshi") == .found(wang))
        #expect(index.resolve("Jiefu") == .found(wang))
        #expect(index.resolve("WANG ANSHI") == .found(wang))
        #expect(index.resolve("wang  anshi") == .found(wang))
        #expect(index.resolve("jiefu") == .found(wang))
        #expect(index.resolve("王安石") == .found(wang))
        #expect(index.resolve("bianjing") == .found(PageID(folder: "places", slug: "kaifeng")))
    }

    @Test func sharedAliasIsAmbiguous() {
        let index = EntityIndex(book: Self.makeBook(Self.files).0)
        #expect(index.resolve("Liu") == .ambiguous([PageID(folder: "people", slug: "liu-changzuo"),
                                                    PageID(folder: "people", slug: "liu-hao")]))
    }

    @Test func unknownTargetsGetASuggestion() {
        let index = EntityIndex(book: Self.makeBook(Self.files).0)
        #expect(index.resolve("liu-chanzuo") == .unknown(suggestion: "liu-changzuo"))
        #expect(index.resolve("Kaifen") == .unknown(suggestion: "Kaifeng"))
        #expect(index.resolve("Genghis Khan") == .unknown(suggestion: nil))
    }

    @Test func duplicateSlugsAcrossKindsAreErrors() {
        let (_, problems) = Self.makeBook(Self.files + [("places", "places/liu-hao.md", "---\nname: Liu Hao Town\n---\n")])
        #expect(problems == ["Content/places/liu-hao.md:1:1: error: duplicate slug 'liu-hao': 'Content/people/liu-hao.md' already uses it"])
    }

    /// Names fold the same way whether they are ASCII (folded byte by byte) or not (character by character).
    @Test func normalizeFoldsCaseSpacesAndApostrophes() {
        #expect(EntityIndex.normalize("  Wang\t Anshi \n") == "wang anshi")
        #expect(EntityIndex.normalize("Wáng  ANSHI") == "wáng anshi")
        #expect(EntityIndex.normalize("Li\u{00A0}Xian") == "li xian")
        #expect(EntityIndex.normalize("Han\u{2019}s  Wall") == "han's wall")
        #expect(EntityIndex.normalize("Han's WALL") == "han's wall")
        #expect(EntityIndex.normalize("王安石") == "王安石")
        #expect(EntityIndex.normalize("A\r\nB") == "a\r\nb")
        #expect(EntityIndex.normalize("") == "")
        // Every ASCII byte folds as the general way folds it.
        for byte in UInt8(0)..<128 where byte != 13 {
            let text = "x" + String(UnicodeScalar(byte)) + "Y"
            #expect(EntityIndex.normalize(text) == EntityIndex.normalize(text + "é").dropLast(1), "byte \(byte)")
        }
    }

    /// A reference written as an entity's slug, name, alias or Han form is found by position, as `resolve` finds it;
    /// a shared alias, or a spelling that must be folded first, is not.
    @Test func exactSpellingsAreFoundByPosition() {
        let index = EntityIndex(book: Self.makeBook(Self.files).0)
        for spelling in ["wang-anshi", "Wang Anshi", "Jiefu", "王安石", "kaifeng", "Dongjing", "liu-hao"] {
            let position = index.exactPosition(spelling)
            #expect(position.map { EntityIndex.Resolution.found(index.entityIDs[$0]) } == index.resolve(spelling), "\(spelling)")
        }
        for spelling in ["Liu", "wang anshi", "JIEFU", "Kaifen", ""] {
            #expect(index.exactPosition(spelling) == nil, "\(spelling)")
        }
    }

    /// Texts of every length (whole words of eight bytes and tails), repeated, empty and non-ASCII, and many that share
    /// slots: each finds its own number, a repeat keeps the first, and texts not in the table find nothing.
    @Test func spellingTablesFindEachTextTheyHold() {
        var texts = (0..<3000).map { "n\($0)" } + ["", "a", "12345678", "123456789", "王安石", "Wang Anshi 0", "wang anshi 0"]
        texts += (1...40).map { String(repeating: "x", count: $0) }
        let table = SpellingTable(texts.enumerated().map { ($1, $0) } + [("a", -1)])
        for (number, text) in texts.enumerated() { #expect(table.value(for: text) == number, "\(text)") }
        for text in ["n3000", "b", "1234567", "1234567890", "王安", "Wang Anshi", String(repeating: "x", count: 41)] {
            #expect(table.value(for: text) == nil, "\(text)")
        }
        #expect(SpellingTable([]).value(for: "") == nil)
    }
}
