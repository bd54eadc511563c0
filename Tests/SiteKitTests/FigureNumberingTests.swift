import Testing
@testable import SiteKit

/// A chapter body is rendered before its figure numbers are known, then numbered; the result is the body rendered
/// with the numbers from the start. A released tree can be parsed again from the file.
@Suite struct FigureNumberingTests {
    static let text = "---\ntitle: T\n---\n# Walls\n\n![a](w.svg \"The walls\")\n\nText.\n\n![b](w.svg \"The gate\")\n\n![c](w.svg)"

    static func document() -> MarkdownDocument {
        let file = source(text)
        var log = DiagnosticLog()
        let parsed = FrontMatterParser.parse(file, log: &log)!
        return MarkdownDocument(body: parsed.body, bodyStartLine: parsed.bodyStartLine, file: file)
    }

    @Test func deferredNumbersFilledLaterMatchNumbersGivenAtOnce() {
        let deferred = Self.document().renderHTML(unsafe: false, numbering: .deferred)
        #expect(deferred.figures.count == 2)
        #expect(deferred.figures.allSatisfy { $0.number == nil })
        let filled = MarkdownDocument.numberFigures(deferred.html, deferred.figures, from: 7)
        let direct = Self.document().renderHTML(unsafe: false, firstFigure: 7)
        #expect(filled.html == direct.html)
        #expect(filled.figures == direct.figures)
        #expect(direct.html.contains("<figure class=\"figure\" id=\"figure-8\">"))
        #expect(direct.html.contains("<span class=\"figure-number\">Figure 8.</span> The gate"))
    }

    /// Text between placeholders is kept as it is, whatever it holds (marks an author typed, endless digits).
    @Test func numberingLeavesOtherTextAlone() {
        let open = String(Unicode.Scalar(0xFDD0)!), close = String(Unicode.Scalar(0xFDD1)!)
        let html = "a\(open)0\(close)é\(open)\(String(repeating: "9", count: 40))\(close)\(open)x\(close)\(open)1\(close)"
        let numbered = MarkdownDocument.numberFigures(html, [], from: 3)
        #expect(numbered.html == "a3é\(open)\(String(repeating: "9", count: 40))\(close)\(open)x\(close)4")
        #expect(MarkdownDocument.numberFigures("plain", [], from: 1).html == "plain")
    }

    @Test func aReleasedTreeIsParsedAgainFromTheFile() {
        let document = Self.document()
        let before = Self.document().renderHTML(unsafe: false).html
        document.releaseTree()
        #expect(document.reparsed(idPrefix: "").renderHTML(unsafe: false).html == before)
        #expect(String(decoding: source(Self.text).body(from: 4), as: UTF8.self).hasSuffix("![c](w.svg)\n"))
    }
}
