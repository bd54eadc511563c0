import Foundation
import Testing
@testable import SiteKit

/// The link cache reads back what it wrote, and refuses what it did not.
@Suite struct LinkCacheTests {
    static func sample() -> LinkCache {
        let chapter = PageID(folder: "chapters", slug: "west")
        let person = PageID(folder: "people", slug: "li-xian")
        let location = SourceLocation(path: "Content/chapters/01-west.md", line: 7, column: 3)
        let linked = LinkedPage(
            id: chapter,
            headings: [Heading(level: 2, title: "The march — 1081", id: "the-march-1081", location: location)],
            figures: [Figure(number: 3, caption: "A map, \"drawn\"", id: "figure-3"), Figure(number: nil, caption: "", id: "x")],
            sectionIntros: ["Before the march.", "宋 and 夏 𠀋"],
            entitiesInOrder: [person],
            backlinkEntries: [(person, Backlinks.ChapterEntry(
                chapter: chapter,
                sections: [Backlinks.SectionEntry(headingID: nil, headingTitle: nil, snippets: ["One."]),
                           Backlinks.SectionEntry(headingID: "the-march-1081", headingTitle: "The march", snippets: [])],
                hash: StableHash.of("sections")))])
        var log = DiagnosticLog()
        log.warning("image 'a.png' has no alt text", at: location, notes: ["describe it"])
        log.error("no such thing", at: SourceLocation(path: "Content/chapters/01-west.md"))
        var cache = LinkCache()
        cache.entries["chapters/01-west.md"] = LinkCache.Entry(
            kind: nil, textHash: StableHash.of("text"), headingIDs: ["the-march-1081"], figureCount: 2,
            linkKey: StableHash.of("key"), linked: linked, log: log, search: (number: 12, hash: StableHash.of("documents")))
        // What the cache writes once rather than again (a heading's file, the entities as the backlinks list them, a
        // backlink's chapter), next to values that differ and are written out.
        let east = PageID(folder: "chapters", slug: "east")
        let place = PageID(folder: "places", slug: "lingzhou")
        let here = SourceLocation(path: "Content/chapters/02-east.md", line: 3, column: 1)
        let there = SourceLocation(path: "Content/chapters/elsewhere.md", line: nil, column: nil)
        let headings = [Heading(level: 2, title: "Siege", id: "siege", location: here),
                        Heading(level: 3, title: "Flood", id: "flood", location: here),
                        Heading(level: 2, title: "Retreat", id: "retreat", location: there),
                        Heading(level: 2, title: "Return", id: "return", location: here)]
        cache.entries["chapters/02-east.md"] = LinkCache.Entry(
            kind: nil, textHash: StableHash.of("east"), headingIDs: headings.map(\.id), figureCount: 0,
            linkKey: StableHash.of("east key"),
            linked: LinkedPage(id: east, headings: headings, figures: [], sectionIntros: [""],
                               entitiesInOrder: [place, person],
                               backlinkEntries: [
                                   (person, Backlinks.ChapterEntry(chapter: east, sections: [
                                       Backlinks.SectionEntry(headingID: "flood", headingTitle: "Flood", snippets: ["a", "b"]),
                                       Backlinks.SectionEntry(headingID: "return", headingTitle: "Return", snippets: ["c"]),
                                       Backlinks.SectionEntry(headingID: "flood", headingTitle: nil, snippets: []),
                                       Backlinks.SectionEntry(headingID: nil, headingTitle: "Flood", snippets: []),
                                   ], hash: StableHash.of("person"))),
                                   (place, Backlinks.ChapterEntry(chapter: chapter, sections: [], hash: StableHash())),
                               ]),
            log: DiagnosticLog())
        cache.entries["people/li-xian.md"] = LinkCache.Entry(
            kind: "people", textHash: StableHash(), headingIDs: [], figureCount: 0, linkKey: StableHash(),
            linked: LinkedPage(id: person, headings: [], figures: [], sectionIntros: [], entitiesInOrder: [],
                               backlinkEntries: []),
            log: DiagnosticLog())
        return cache
    }

    @Test func readsBackWhatItWrote() throws {
        let cache = Self.sample()
        let bytes = cache.encoded(identity: "program 1")
        let read = try LinkCache.decode(bytes, identity: "program 1")
        #expect(read.entries.keys.sorted() == cache.entries.keys.sorted())
        for (path, entry) in cache.entries {
            guard let other = read.entries[path] else { continue }
            #expect(other.kind == entry.kind)
            #expect(other.textHash == entry.textHash)
            #expect(other.headingIDs == entry.headingIDs)
            #expect(other.figureCount == entry.figureCount)
            #expect(other.linkKey == entry.linkKey)
            #expect(other.log.all == entry.log.all)
            #expect(other.search?.number == entry.search?.number)
            #expect(other.search?.hash == entry.search?.hash)
            #expect(other.linked.id == entry.linked.id)
            #expect(other.linked.headings == entry.linked.headings)
            #expect(other.linked.figures == entry.linked.figures)
            #expect(other.linked.sectionIntros == entry.linked.sectionIntros)
            #expect(other.linked.entitiesInOrder == entry.linked.entitiesInOrder)
            #expect(other.linked.backlinkEntries.map(\.entity) == entry.linked.backlinkEntries.map(\.entity))
            #expect(other.linked.backlinkEntries.map(\.entry) == entry.linked.backlinkEntries.map(\.entry))
            #expect(other.linked.bodyHTML.isEmpty)
        }
        #expect(read.encoded(identity: "program 1") == bytes, "the same bytes again: entries are written in order")
    }

    @Test func refusesAnotherProgramAndDamagedFiles() {
        let bytes = Self.sample().encoded(identity: "program 1")
        #expect(throws: LinkCache.Malformed.self) { try LinkCache.decode(bytes, identity: "program 2") }
        for cut in [0, 1, bytes.count / 3, bytes.count / 2, bytes.count - 1] {
            #expect(throws: LinkCache.Malformed.self) { try LinkCache.decode(Array(bytes[..<cut]), identity: "program 1") }
        }
        #expect(throws: LinkCache.Malformed.self) { try LinkCache.decode(bytes + [0], identity: "program 1") }
        // Arbitrary bytes never crash the reader.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var damaged = bytes
            for _ in 0..<4 { damaged[Int.random(in: 0..<damaged.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator) }
            _ = try? LinkCache.decode(damaged, identity: "program 1")
        }
    }
}
