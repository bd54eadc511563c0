import Testing
@testable import SiteKit

@Suite struct HeadingIDTests {
    @Test func slugsAreLowercaseWordsJoinedByDashes() {
        #expect(HeadingIDs.slug("The Battle at Mizhi Fort") == "the-battle-at-mizhi-fort")
        #expect(HeadingIDs.slug("1082: Yongle!") == "1082-yongle")
        #expect(HeadingIDs.slug("  —  ") == "section")
        #expect(HeadingIDs.slug("靈州 Lingzhou") == "靈州-lingzhou")
    }

    @Test func repeatsAndReservedIdsGetSuffixes() {
        var ids = HeadingIDs()
        #expect(ids.make(from: "Sources") == "sources")
        #expect(ids.make(from: "Sources") == "sources-2")
        #expect(ids.make(from: "Sources") == "sources-3")
        #expect(ids.make(from: "Contents") == "contents-2")
    }
}
