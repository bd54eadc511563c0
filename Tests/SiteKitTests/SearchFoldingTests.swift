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
}
