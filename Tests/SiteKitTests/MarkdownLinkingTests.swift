import Testing
@testable import SiteKit

@Suite struct MarkdownLinkingTests {
    /// Links `body` with a resolver that knows one entity, `wang-anshi`, and the chapter `02-b.md`.
    private func link(_ body: String, unsafe: Bool = false) -> (html: String, occurrences: [ReferenceOccurrence], requests: [String]) {
        let document = MarkdownDocument(body: body, bodyStartLine: 4, file: source(body))
        var requests: [String] = []
        let occurrences = document.link { request, location in
            requests.append("\(location.line!):\(location.column!) \(request)")
            switch request {
            case .reference(let target, let label) where target.lowercased().contains("wang"):
                return .entity(href: "../people/wang-anshi.html", text: label ?? "Wang Anshi", cssClass: "ref ref-person",
                               key: "people/wang-anshi")
            case .link(let url) where url.contains(".md"):
                return .url("b.html")
            case .rawHTML:
                return unsafe ? .keep : .drop
            default:
                return .keep
            }
        }
        return (document.renderHTML(unsafe: unsafe).html, occurrences, requests)
    }

    @Test func referencesBecomeEntityLinks() {
        let result = link("The chancellor [[Wang Anshi]] and [[wang-anshi|he]] met.\n")
        #expect(result.html == "<p>The chancellor <a class=\"ref ref-person\" href=\"../people/wang-anshi.html\" data-ref=\"people/wang-anshi\">Wang Anshi</a> and <a class=\"ref ref-person\" href=\"../people/wang-anshi.html\" data-ref=\"people/wang-anshi\">he</a> met.</p>\n")
        #expect(result.occurrences.map(\.location.column) == [16, 35])
        #expect(result.occurrences.allSatisfy { $0.location.line == 4 })
    }

    @Test func unresolvedReferencesStayAsText() {
        let result = link("Who is [[nobody]]?\n")
        #expect(result.html == "<p>Who is [[nobody]]?</p>\n")
        #expect(result.requests == ["4:8 reference(target: \"nobody\", label: nil)"])
    }

    @Test func codeSpansAndBlocksAreLeftAlone() {
        let result = link("`[[wang-anshi]]`\n\n    [[wang-anshi]]\n\n```\n[[wang-anshi]]\n```\n")
        #expect(result.requests.isEmpty)
        #expect(result.html.contains("<code>[[wang-anshi]]</code>"))
        #expect(!result.html.contains("ref-person"))
    }

    @Test func referencePositionsCountFrontMatterLinesAndBytes() {
        let result = link("Line one.\n\n王安石 said [[wang]].\n")
        #expect(result.occurrences.first?.location == SourceLocation(path: "Content/chapters/01-test.md", line: 6, column: 16))
    }

    @Test func headingsGetStableUniqueIds() {
        let result = link("## The Reforms of [[wang-anshi]]\n\n## Notes\n\n## Notes\n")
        #expect(result.html.contains("<h2 id=\"the-reforms-of-wang-anshi\">The Reforms of <a class=\"ref ref-person\""))
        #expect(result.html.contains("<h2 id=\"notes\">Notes</h2>"))
        #expect(result.html.contains("<h2 id=\"notes-2\">Notes</h2>"))
    }

    /// Ids are put in as the page is rendered, after a mark at the start of each heading: headings anywhere in the tree
    /// get theirs, and an author's own text that looks like a mark comes out as written.
    @Test func headingIdsReachNestedHeadingsAndMarkLikeTextIsKept() {
        func scalar(_ value: UInt32) -> String { String(Character(Unicode.Scalar(value)!)) }
        let (open, close, other) = (scalar(0xFDD2), scalar(0xFDD3), scalar(0xFDD0))
        let body = "# One\n\n> ## In a quote\n\n- item\n\n  ### In a list\n\n" +
            "## \(open)0\(close) typed \(open)1\(close)\n\nText \(open)3\(close) and \(open)x and \(other).\n\n" +
            "## Last <b>x</b>\n"
        let html = link(body, unsafe: true).html
        #expect(html == """
            <h1 id="one">One</h1>
            <blockquote>
            <h2 id="in-a-quote">In a quote</h2>
            </blockquote>
            <ul>
            <li>
            <p>item</p>
            <h3 id="in-a-list">In a list</h3>
            </li>
            </ul>
            <h2 id="0-typed-1">\(open)0\(close) typed \(open)1\(close)</h2>
            <p>Text \(open)3\(close) and \(open)x and \(other).</p>
            <h2 id="last-x">Last <b>x</b></h2>

            """)
    }

    /// Fullwidth punctuation starts with the mark's first byte: headings and text holding it come out as written.
    @Test func headingIdsAreSetBesideFullwidthPunctuation() {
        let html = link("## 王安石，變法\n\n新法（青苗法）。\n\n## 熙河，開邊\n").html
        #expect(html == "<h2 id=\"王安石-變法\">王安石，變法</h2>\n<p>新法（青苗法）。</p>\n<h2 id=\"熙河-開邊\">熙河，開邊</h2>\n")
    }

    @Test func markdownLinksAreRewritten() {
        let result = link("See [the next chapter](02-b.md#x).\n")
        #expect(result.html == "<p>See <a href=\"b.html\">the next chapter</a>.</p>\n")
    }

    @Test func rawHTMLIsDroppedUnlessAllowed() {
        let dropped = link("<script>alert(1)</script>\n\nText <b>bold</b>.\n")
        #expect(!dropped.html.contains("script"))
        #expect(!dropped.html.contains("<b>"))
        #expect(dropped.html.contains("<p>Text bold.</p>"))
        let kept = link("Text <b>bold</b>.\n", unsafe: true)
        #expect(kept.html.contains("<b>bold</b>"))
    }

    @Test func snippetsAreTheSentenceAroundTheReference() {
        let result = link("First sentence here. Then [[wang-anshi]] acted boldly. Last one.\n")
        #expect(result.occurrences.map(\.snippet) == ["Then Wang Anshi acted boldly."])
    }

    @Test func referencesInOneSentenceShareItsSnippetAndLongSentencesAreCut() {
        let result = link("[[wang]] met [[wang-anshi|the chancellor]]. Alone [[wang|he]] stayed.\n\n"
                          + String(repeating: "word ", count: 80) + "[[wang]] " + String(repeating: "more ", count: 80) + "end.\n")
        let snippets = result.occurrences.map(\.snippet)
        #expect(snippets.count == 4)
        #expect(snippets[0] == snippets[1])
        #expect(snippets[0] == "Wang Anshi met the chancellor.")
        #expect(snippets[2] == "Alone he stayed.")
        #expect(snippets[3].hasPrefix("…") && snippets[3].hasSuffix("…") && snippets[3].contains("Wang"))
        #expect(snippets[3].utf8.count <= Snippets.maximumLength + 6)
    }

    @Test func snippetsRememberTheirSection() {
        let result = link("Intro [[wang]].\n\n## Part\n\nIn part [[wang]].\n")
        #expect(result.occurrences.map(\.headingIndex) == [nil, 0])
    }

    @Test func deepNestingDoesNotOverflowTheStack() {
        let body = String(repeating: "> ", count: 3000) + "deep [[wang]]\n"
        let result = link(body)
        #expect(result.occurrences.count == 1)
    }

    /// Sentences are found eight bytes at a time: the same spans as the byte-by-byte walk, for every offset.
    @Test func snippetSpansAreTheSentencesAroundEachOffset() {
        func reference(_ bytes: [UInt8], _ offset: Int) -> (Int, Int) {
            func isEnd(_ i: Int) -> Bool {
                guard i < bytes.count, bytes[i] == 46 || bytes[i] == 33 || bytes[i] == 63 else { return false }
                return i + 1 >= bytes.count || bytes[i + 1] == 32
            }
            var start = offset
            while start > 0 {
                if start >= 2, bytes[start - 1] == 32, isEnd(start - 2) { break }
                start -= 1
            }
            var end = offset
            while end < bytes.count, !isEnd(end) { end += 1 }
            return (start, min(bytes.count, end + 1))
        }
        let pieces = ["a", "word", " ", ". ", "! ", "? ", ".", "?", "!", "é", "王", ".a", "  "]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let bytes = Array((0..<Int.random(in: 0...60, using: &generator))
                .map { _ in pieces.randomElement(using: &generator)! }.joined().utf8)
            for offset in 0...bytes.count {
                let span = Snippets.span(in: bytes, around: offset)
                let (start, end) = reference(bytes, offset)
                // Long sentences are cut further; the sentence found must be the same.
                if !span.cutBefore { #expect(span.start == start, "\(bytes) \(offset)") }
                if !span.cutAfter { #expect(span.end == end, "\(bytes) \(offset)") }
            }
        }
    }
}
