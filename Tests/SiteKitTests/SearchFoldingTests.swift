import Testing
@testable import SiteKit

@Suite struct SearchFoldingTests {
    @Test func pinyinIsFoldedWithoutTonesSpacesOrCase() {
        #expect(SearchFolding.fold("Wang Anshi") == "wanganshi")
        #expect(SearchFolding.fold("Wang An-shi") == "wanganshi")
        #expect(SearchFolding.fold("Wáng Ānshí") == "wanganshi")
        #expect(SearchFolding.fold("Yan'an") == "yanan")
        #expect(SearchFolding.fold("王安石") == "王安石")
        #expect(SearchFolding.fold("Lü Huiqing") == "luhuiqing")
    }

    @Test func asciiTextTakesAShortcutToTheSameKey() {
        let ascii = String((32...126).map { Character(Unicode.Scalar(UInt8($0))) })
        #expect(SearchFolding.fold(ascii) == "0123456789abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz")
        // The same text with one accented letter goes the general way.
        #expect(SearchFolding.fold(ascii + "é") == SearchFolding.fold(ascii) + "e")
    }
}
