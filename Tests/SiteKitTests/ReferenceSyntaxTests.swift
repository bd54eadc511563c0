import Testing
@testable import SiteKit

@Suite struct ReferenceSyntaxTests {
    @Test func findsTargetsAndLabels() {
        let matches = ReferenceSyntax.scan("See [[wang-anshi]] and [[Kaifeng | the capital]].")
        #expect(matches.map(\.target) == ["wang-anshi", "Kaifeng"])
        #expect(matches.map(\.label) == [nil, "the capital"])
        #expect(matches[0].range == 4..<18)
    }

    @Test func leavesUnclosedAndEmptyReferencesAlone() {
        #expect(ReferenceSyntax.scan("a [[b and [[]] and [[ ]]").isEmpty)
        #expect(ReferenceSyntax.scan("[[[x]]]").map(\.target) == ["x"])
    }

    @Test func hanCharactersAreTargets() {
        #expect(ReferenceSyntax.scan("王安石 [[王安石]]").map(\.target) == ["王安石"])
    }

    @Test func displayTextUsesLabelElseTarget() {
        #expect(ReferenceSyntax.displayText(of: "The [[a|Reforms]] of [[wang-anshi]]") == "The Reforms of wang-anshi")
        // Texts without a reference come back as they are (found without scanning them), whatever their brackets.
        for text in ["", "[", "a [b] [", "x[[", "[ [y]]", "王安石 [1]", "[[ ]]", "[[]]"] {
            #expect(ReferenceSyntax.displayText(of: text) == text, "\(text)")
        }
        #expect(ReferenceSyntax.displayText(of: "[a] [[b]]") == "[a] b")
        #expect(ReferenceSyntax.displayText(of: "[[[x]]]") == "[x]")
    }
}
