import Testing
@testable import SiteKit

@Suite struct HeadingIDTests {
    @Test func slugsAreLowercaseWordsJoinedByDashes() {
        #expect(HeadingIDs.slug("The Battle at Mizhi Fort") == "the-battle-at-mizhi-fort")
        #expect(HeadingIDs.slug("1082: Yongle!") == "1082-yongle")
        #expect(HeadingIDs.slug("  —  ") == "section")
        #expect(HeadingIDs.slug("") == "section")
        #expect(HeadingIDs.slug("!?") == "section")
        #expect(HeadingIDs.slug("--A--b--") == "a-b")
        #expect(HeadingIDs.slug("x") == "x")
        #expect(HeadingIDs.slug(String(repeating: "Ab ", count: 20)) == Array(repeating: "ab", count: 20).joined(separator: "-"))
        #expect(HeadingIDs.slug("靈州 Lingzhou") == "靈州-lingzhou")
        // ASCII headings take a shortcut over bytes; with one Han character the same text goes the general way.
        let ascii = String((32...126).map { Character(Unicode.Scalar(UInt8($0))) })
        #expect(HeadingIDs.slug(ascii) == "0-9-a-z-a-z".replacingOccurrences(of: "0-9", with: "0123456789")
            .replacingOccurrences(of: "a-z", with: "abcdefghijklmnopqrstuvwxyz"))
        #expect(HeadingIDs.slug(ascii + " 州") == HeadingIDs.slug(ascii) + "-州")
    }

    @Test func repeatsAndReservedIdsGetSuffixes() {
        var ids = HeadingIDs()
        #expect(ids.make(from: "Sources") == "sources")
        #expect(ids.make(from: "Sources") == "sources-2")
        #expect(ids.make(from: "Sources") == "sources-3")
        #expect(ids.make(from: "Contents") == "contents-2")
    }
}
