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
}
