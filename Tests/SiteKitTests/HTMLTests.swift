import Testing
@testable import SiteKit

/// HTML escaping, which skips eight bytes at a time where none needs escaping, against the plain definition.
@Suite struct HTMLTests {
    static func reference(_ text: String) -> String {
        var result = ""
        for character in text.unicodeScalars {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }

    @Test func escapingMatchesTheDefinitionAtEveryLengthAndOffset() {
        let pieces = ["a", "&", "<", ">", "\"", "'", "é", "王", "𠀋", " ", "\u{0}", "%", "9", "=", "&amp;"]
        var generator = SystemRandomNumberGenerator()
        for length in 0..<40 {
            for _ in 0..<60 {
                let text = (0..<length).map { _ in pieces.randomElement(using: &generator)! }.joined()
                #expect(HTML.escape(text) == Self.reference(text), "\(text.debugDescription)")
                var output: [UInt8] = [7]
                HTML.appendEscaped(text, to: &output)
                #expect(output == [7] + Array(Self.reference(text).utf8))
            }
        }
        let long = String(repeating: "plain text with nothing to escape ", count: 20)
        #expect(HTML.escape(long + "<b>") == long + "&lt;b&gt;")
    }
}
