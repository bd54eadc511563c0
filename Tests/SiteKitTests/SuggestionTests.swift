import Testing
@testable import SiteKit

@Suite struct SuggestionTests {
    @Test func suggestsTheNearestCloseCandidate() {
        #expect(Suggestion.closest(to: "liu-chanzuo", in: ["liu-changzuo", "li-xian", "zhong-e"]) == "liu-changzuo")
        #expect(Suggestion.closest(to: "Lingzou", in: ["Lingzhou", "Lanzhou"]) == "Lingzhou")
    }

    @Test func suggestsNothingWhenNothingIsClose() {
        #expect(Suggestion.closest(to: "kaifeng", in: ["liu-changzuo", "li-xian"]) == nil)
        #expect(Suggestion.closest(to: "", in: ["a"]) == nil)
    }
}
