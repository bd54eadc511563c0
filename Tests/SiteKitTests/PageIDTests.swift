import Testing
@testable import SiteKit

/// Page ids are the keys of most tables of a build; the tables hash them by their digest (`_rawHashValue`).
@Suite struct PageIDTests {
    static func ids() -> [PageID] {
        let folders = ["chapters", "people", "places", "polities", "events"]
        return folders.flatMap { folder in (0..<2_000).map { PageID(folder: folder, slug: "page-\($0)") } }
            + [PageID(folder: "", slug: ""), PageID(folder: "a", slug: "bc"), PageID(folder: "ab", slug: "c")]
    }

    @Test func equalIdsHashAlikeForEverySeed() {
        for id in Self.ids().prefix(500) {
            let same = PageID(folder: String(id.folder), slug: String(id.slug))
            #expect(same == id)
            for seed in [0, 1, -1, 42, Int.max, Int.min] {
                #expect(same._rawHashValue(seed: seed) == id._rawHashValue(seed: seed))
            }
            #expect(same.hashValue == id.hashValue)
        }
    }

    @Test func tablesKeyedByIdFindEveryIdAndNoOther() {
        let ids = Self.ids()
        var table: [PageID: Int] = [:]
        for (position, id) in ids.enumerated() { table[id] = position }
        #expect(table.count == ids.count)
        for (position, id) in ids.enumerated() { #expect(table[id] == position) }
        #expect(table[PageID(folder: "chapters", slug: "page-2000")] == nil)
        #expect(table[PageID(folder: "abc", slug: "")] == nil)
        #expect(Set(ids).count == ids.count)
        // The seeded hashes spread the ids: no two of these ten thousand collide in all 64 bits.
        #expect(Set(ids.map { $0._rawHashValue(seed: 7) }).count == ids.count)
    }
}
