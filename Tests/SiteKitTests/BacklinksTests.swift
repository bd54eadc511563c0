import Testing
@testable import SiteKit

/// Backlinks gathered from scratch, and updated after some chapters were linked again, are the same.
@Suite struct BacklinksTests {
    static let here = SourceLocation(path: "Content/chapters/x.md", line: 1, column: 1)

    static func chapter(_ slug: String, _ references: [(entity: String, section: Int?, snippet: String)]) -> LinkedPage {
        let headings = (0..<3).map { Heading(level: 2, title: "Part \($0)", id: "part-\($0)", location: here) }
        let occurrences = references.map {
            ReferenceOccurrence(key: "people/\($0.entity)", headingIndex: $0.section, snippet: $0.snippet, location: here)
        }
        return LinkedPage(id: PageID(folder: "chapters", slug: slug), headings: headings, occurrences: occurrences)
    }

    @Test func entriesGroupSnippetsBySectionInReadingOrder() {
        let one = Self.chapter("one", [("wang", nil, "A."), ("su", 0, "B."), ("wang", 0, "C."), ("wang", 0, "C."),
                                       ("wang", 1, "D.")])
        let backlinks = Backlinks(chapters: [one])
        let wang = backlinks.entries(for: PageID(folder: "people", slug: "wang"))
        #expect(wang.count == 1)
        #expect(wang[0].sections.map(\.headingID) == [nil, "part-0", "part-1"])
        #expect(wang[0].sections.map(\.snippets) == [["A."], ["C."], ["D."]])
        #expect(backlinks.entries(for: PageID(folder: "people", slug: "su")).map(\.chapter.slug) == ["one"])
    }

    @Test func aLinkedPageListsItsEntitiesOnceInOrderOfFirstReferenceAndSorted() {
        let page = Self.chapter("one", [("wang", nil, "A."), ("su", 0, "B."), ("wang", 0, "C."), ("cai", 1, "D.")])
        #expect(page.entitiesInOrder.map(\.slug) == ["wang", "su", "cai"])
        #expect(page.referencedEntities.map(\.slug) == ["cai", "su", "wang"])
        #expect(page.backlinkEntries.map(\.entity.slug) == ["wang", "su", "cai"])
    }

    @Test func updatingAfterRelinkingEqualsGatheringAgain() {
        let before = [Self.chapter("one", [("wang", nil, "A.")]), Self.chapter("two", [("su", 0, "B.")]),
                      Self.chapter("three", [("wang", 1, "C."), ("su", 2, "D.")])]
        // Chapter two now names Wang too, chapter three no longer names Su.
        let after = [before[0], Self.chapter("two", [("su", 0, "B."), ("wang", 1, "E.")]),
                     Self.chapter("three", [("wang", 1, "C.")])]
        let numbers = ["one": 1, "two": 2, "three": 3]
        let updated = Backlinks(chapters: before).updating(removing: [before[1], before[2]], adding: [after[1], after[2]],
                                                           number: { numbers[$0.slug] })
        #expect(updated == Backlinks(chapters: after))
        #expect(updated.entries(for: PageID(folder: "people", slug: "wang")).map(\.chapter.slug) == ["one", "two", "three"])
        #expect(updated.entries(for: PageID(folder: "people", slug: "su")).map(\.chapter.slug) == ["two"])
    }

    /// A long book's backlinks are gathered by every core, each for its share of the entities: every entity still lists
    /// its chapters in reading order, once each, as when the chapters are gathered one by one.
    @Test func gatheringAManyChapterBookOnEveryCoreKeepsReadingOrder() {
        let names = (0..<40).map { "person-\($0)" }
        let chapters = (0..<300).map { number in
            Self.chapter("c\(number)", (0..<(number % 7 + 1)).map { k in
                (names[(number * 13 + k * 7) % names.count], k % 3 == 0 ? nil : k % 3, "S\(number).\(k).")
            })
        }
        let gathered = Backlinks(chapters: chapters)
        let updated = Backlinks(chapters: Array(chapters.prefix(64)))
            .updating(removing: [], adding: Array(chapters.dropFirst(64)), number: { Int($0.slug.dropFirst())! })
        #expect(gathered == updated)
        for name in names {
            let id = PageID(folder: "people", slug: name)
            let expected = chapters.filter { $0.entitiesInOrder.contains(id) }.map(\.id.slug)
            #expect(gathered.entries(for: id).map(\.chapter.slug) == expected, "\(name)")
        }
    }

    /// Random sections: headings or none, empty and non-ASCII text, any number of sentences.
    static func randomSections(_ generator: inout some RandomNumberGenerator) -> [Backlinks.SectionEntry] {
        let pieces = ["", "a", "Wang Anshi", "王安石", "𠀋 <&> \"q\"", String(repeating: "long ", count: 40), "\u{0}"]
        func text() -> String { (0..<Int.random(in: 1...3, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined() }
        return (0..<Int.random(in: 0...5, using: &generator)).map { _ in
            Backlinks.SectionEntry(headingID: Bool.random(using: &generator) ? text() : nil,
                                   headingTitle: Bool.random(using: &generator) ? text() : nil,
                                   snippets: (0..<Int.random(in: 0...4, using: &generator)).map { _ in text() })
        }
    }

    /// A section list gives back the sections it was made of, by element and by the ranges templates read; its bytes
    /// read back as the same list; and bytes that are cut or damaged are refused or read as some list, never crash.
    @Test func sectionListsHoldTheirSectionsAndCheckTheirBytes() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let sections = Self.randomSections(&generator)
            let list = Backlinks.SectionList(sections)
            #expect(Array(list) == sections)
            for (index, section) in sections.enumerated() {
                #expect(list.headingID(index).map(list.string) == section.headingID)
                #expect(list.headingTitle(index).map(list.string) == section.headingTitle)
                #expect(list.snippetCount(index) == section.snippets.count)
                #expect((0..<section.snippets.count).map { list.string(list.snippet($0, of: index)) } == section.snippets)
            }
            #expect(Backlinks.SectionList(validating: list.bytes) == list)
            for cut in Set([0, 1, 3, list.bytes.count / 2, list.bytes.count - 1]) where cut < list.bytes.count && cut >= 0 {
                if let read = Backlinks.SectionList(validating: Array(list.bytes[..<cut])) { _ = Array(read) }
            }
            var damaged = list.bytes
            for _ in 0..<3 where !damaged.isEmpty {
                damaged[Int.random(in: 0..<damaged.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            if let read = Backlinks.SectionList(validating: damaged) {
                for index in read.indices { _ = read[index] }
            }
        }
        #expect(Backlinks.SectionList(validating: []) == nil)
        #expect(Backlinks.SectionList(validating: [1, 0, 0, 0, 200, 0, 0, 0]) == nil, "a record outside the bytes")
        #expect(Backlinks.SectionList(validating: Backlinks.SectionList([
            Backlinks.SectionEntry(headingID: nil, headingTitle: nil, snippets: ["ab"])]).bytes.dropLast() + [0xFF]) == nil,
                "text that is not UTF-8")
    }

    /// A chapter's entries are written straight from its occurrences: each entity's list has the bytes of the list made
    /// of the sections gathered one by one (a new section where the heading changes, a sentence met again in its
    /// section left out), for random chapters.
    @Test func entriesWrittenFromOccurrencesEqualListsOfGatheredSections() {
        var generator = SystemRandomNumberGenerator()
        let snippets = ["A.", "B b.", "王安石。", "", "…cut <&> \"q\"…", String(repeating: "long ", count: 30)]
        for round in 0..<100 {
            var section: Int? = nil
            let references: [(entity: String, section: Int?, snippet: String)] = (0..<Int.random(in: 0...25, using: &generator)).map { _ in
                if Int.random(in: 0..<4, using: &generator) == 0 { section = min((section ?? -1) + 1, 2) }
                return ("p\(Int.random(in: 0..<5, using: &generator))", section, snippets.randomElement(using: &generator)!)
            }
            let page = Self.chapter("c\(round)", references)
            var expected: [(entity: String, sections: [Backlinks.SectionEntry])] = []
            for reference in references {
                let heading = reference.section.map { (id: "part-\($0)", title: "Part \($0)") }
                let slot = expected.firstIndex { $0.entity == reference.entity } ?? {
                    expected.append((reference.entity, []))
                    return expected.count - 1
                }()
                if let last = expected[slot].sections.last, last.headingID == heading?.id {
                    if !last.snippets.contains(reference.snippet) {
                        expected[slot].sections[expected[slot].sections.count - 1].snippets.append(reference.snippet)
                    }
                } else {
                    expected[slot].sections.append(Backlinks.SectionEntry(headingID: heading?.id, headingTitle: heading?.title,
                                                                          snippets: [reference.snippet]))
                }
            }
            #expect(page.backlinkEntries.map(\.entity.slug) == expected.map(\.entity))
            #expect(page.backlinkEntries.map(\.entry.sections) == expected.map { Backlinks.SectionList($0.sections) })
        }
    }
}
