import Foundation
import Testing
@testable import SiteKit

/// The search index writes its documents by hand; the text is the one JSONEncoder gives.
@Suite struct ClientDataTests {
    /// What the data scripts are written as: JSONEncoder's JSON with sorted keys and no escaped slashes, with `</`
    /// escaped so that a script cannot end early.
    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("null".utf8)
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "</", with: "<\\/")
    }

    static func written(_ document: ClientData.Document) -> String {
        var out: [UInt8] = []
        document.append(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func searchDocumentsAreTheJSONThatJSONEncoderWrites() {
        var tricky = (0..<128).map { String(UnicodeScalar(UInt8($0))) }.joined()
        tricky += " </script> <\\/ \"quoted\" back\\slash 王安石 \u{2028}\u{2029} é 𝄞"
        let documents = [
            ClientData.Document(t: tricky, k: "chapter", u: "chapters/a.html", c: nil, h: nil, a: nil, f: "wang anshi", s: ""),
            ClientData.Document(t: "Lanzhou", k: "place", u: "places/lanzhou.html#x", c: "1. Backdrop", h: "蘭州",
                                a: ["Lan-chou", tricky, ""], f: tricky, s: "</p>"),
        ]
        for document in documents {
            #expect(Self.written(document) == Self.json(document))
        }
    }

    /// The hover cards, written by hand, are the script JSONEncoder's text made.
    @Test func cardsAreTheJSONThatJSONEncoderWrites() {
        var tricky = (0..<128).map { String(UnicodeScalar(UInt8($0))) }.joined()
        tricky += " </script> <\\/ \"quoted\" back\\slash 王安石 \u{2028}\u{2029} é 𝄞"
        let cards: [String: ClientData.Card] = [
            "people/xu-xi": ClientData.Card(n: "Xu Xi", h: "徐禧", l: "zh-Hant", k: "person", d: "1043–1082",
                                            s: "Commander at Yongle.", u: "people/xu-xi.html"),
            "places/yongle": ClientData.Card(n: tricky, h: nil, l: nil, k: "place", d: "", s: tricky, u: "places/yongle.html"),
            "people/Wang-10": ClientData.Card(n: "", h: tricky, l: "zh", k: "", d: tricky, s: "", u: ""),
            "people/wang-9": ClientData.Card(n: "a", h: nil, l: "zh", k: "b", d: "c", s: "d", u: "e"),
            "people/é</": ClientData.Card(n: "a", h: "b", l: nil, k: "c", d: "d", s: "e", u: "f"),
        ]
        #expect(String(decoding: ClientData.cardsScript(cards), as: UTF8.self)
                == "window.BOOK_CARDS = \(Self.json(cards));\n")
        #expect(String(decoding: ClientData.cardsScript([:]), as: UTF8.self) == "window.BOOK_CARDS = {};\n")
    }

    /// A chapter's search documents are kept as bytes; their hash is the one of the same text as a string (the link
    /// cache holds it from one build to the next).
    @Test func theHashOfBytesIsTheHashOfTheirString() {
        for text in ["", "a", "王安石 </script>", String(repeating: "Yongle 永樂 ", count: 40)] {
            #expect(StableHash.of(utf8: Array(text.utf8)) == StableHash.of(text), "\(text)")
        }
    }

    /// Strings of every length, with the bytes to escape at every offset, are the JSON that JSONEncoder writes.
    @Test func jsonStringsAreTheOnesJSONEncoderWrites() {
        let pieces = ["a", "é", "王", "𝄞", "\"", "\\", "/", "</", "<", "\n", "\t", "\u{1}", "\u{1F}", "\u{7F}", " ",
                      "\u{2028}"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            let text = (0..<Int.random(in: 0...40, using: &generator))
                .map { _ in pieces.randomElement(using: &generator)! }.joined()
            var out: [UInt8] = []
            ClientData.appendJSONString(text, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == Self.json(text), "\(text.debugDescription)")
        }
    }

    /// Search snippets are cut at a word boundary near 240 bytes, as the character-by-character cut did.
    @Test func clipCutsLongTextAtAWordBoundary() {
        func reference(_ text: String) -> String {
            guard text.utf8.count > 260 else { return text }
            var result = ""
            for word in text.split(separator: " ") {
                if result.utf8.count + word.utf8.count > 240 { break }
                result += (result.isEmpty ? "" : " ") + word
            }
            return result + "…"
        }
        let texts = [
            "short text",
            String(repeating: "word ", count: 80),
            String(repeating: "  Wang Anshi 王安石 reformed   the state. ", count: 12),
            String(repeating: "x", count: 300),
            " " + String(repeating: "é tête-à-tête ", count: 30) + " ",
        ]
        for text in texts { #expect(ClientData.clip(text) == reference(text)) }
        // Words of every length around the cut, single-spaced (cut as a prefix) or not.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            var words: [String] = []
            while words.joined(separator: " ").utf8.count < 300 {
                words.append(String(repeating: ["a", "é", "王"].randomElement(using: &generator)!,
                                    count: Int.random(in: 1...40, using: &generator)))
            }
            var text = words.joined(separator: Bool.random(using: &generator) ? " " : "  ")
            if Bool.random(using: &generator) { text += " " }
            #expect(ClientData.clip(text) == reference(text), "\(text)")
        }
        #expect(ClientData.clip(String(repeating: "word ", count: 80)).utf8.count <= 240 + "…".utf8.count)
    }

    /// A chapter's search documents, written straight into bytes, are the documents the index describes (the chapter,
    /// then each section with its opening text), as `Document` writes them.
    @Test func chapterDocumentsAreTheDocumentsOfTheChapterAndItsSections() throws {
        let long = String(repeating: "Wang Anshi's reforms </p> \"new laws\" ", count: 12)
        let texts = [
            "---\ntitle: \"The march </script>\"\nsummary: \"A \\\"quoted\\\" summary\"\n---\nOpening.\n\n## Lingzhou 靈州\n\n\(long)\n\n### </b> & more\n\nText.\n\n## Lingzhou 靈州\n",
            "---\ntitle: Plain\n---\n\(long)\n",
            "---\ntitle: Empty\n---\n",
        ]
        for text in texts {
            var log = DiagnosticLog()
            let page = try #require(PageParser.parse(source(text), kind: nil, log: &log))
            let config = SiteConfig.parse(source("title: T\n", path: "site.yaml"), log: &log)
            let book = Book(config: config, chapters: [page], entities: [], staticFiles: [], log: &log)
            let linked = Linker(book: book, index: EntityIndex(book: book)).link(page, log: &log)
            let data = ClientData(book: book, linked: [page.id: linked])
            let url = SitePaths.page(page.id)
            let label = "7. \(page.title)"
            var documents = [ClientData.Document(t: label, k: "chapter", u: url, c: nil, h: nil, a: nil,
                                                 f: ClientData.foldedKeys([page.title]),
                                                 s: ClientData.clip(page.summary ?? linked.sectionIntros.first ?? ""))]
            for (i, heading) in linked.headings.enumerated() {
                let intro = i + 1 < linked.sectionIntros.count ? linked.sectionIntros[i + 1] : ""
                documents.append(ClientData.Document(t: heading.title, k: "section", u: url + "#" + heading.id, c: label,
                                                     h: nil, a: nil, f: ClientData.foldedKeys([heading.title]),
                                                     s: ClientData.clip(intro)))
            }
            #expect(String(decoding: data.chapterFragment(page, number: 7), as: UTF8.self) == documents.map { Self.json($0) }.joined(separator: ","))
        }
    }
}
