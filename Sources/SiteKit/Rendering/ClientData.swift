import Foundation

/// The data scripts the browser reads: hover cards and the search index, as `window.X = {…};` so that they load
/// from `file://` and under any path (no fetch).
struct ClientData {
    let book: Book
    let linked: [PageID: LinkedPage]

    /// One hover card.
    struct Card: Encodable {
        var n: String
        var h: String?
        var l: String?
        var k: String
        var d: String
        var s: String
        var u: String
    }

    /// One search document.
    struct Document: Encodable {
        var t: String
        var k: String
        var u: String
        var c: String?
        var h: String?
        var a: [String]?
        var f: String
        var s: String
    }

    /// `data/cards.js`: every entity's card, keyed by `folder/slug`.
    func cards() -> OutputFile {
        var cards: [String: Card] = [:]
        for page in book.allEntities {
            cards[page.id.description] = Card(n: page.title, h: page.chinese,
                                              l: page.chinese == nil ? nil : book.config.chineseLanguage,
                                              k: page.kind?.singular ?? "", d: Self.cardLine(page), s: page.summary ?? "",
                                              u: SitePaths.page(page.id))
        }
        return OutputFile(path: SitePaths.data + "/cards.js", contents: .text("window.BOOK_CARDS = \(Self.json(cards));\n"))
    }

    /// `data/search.js`: entities, chapters and chapter sections; `fragments` holds chapters encoded earlier.
    func searchIndex(fragments: [PageID: String] = [:]) -> OutputFile {
        var parts: [String] = []
        for page in book.allEntities {
            let aliases = page.aliases.map(\.text)
            let keys = [page.title] + aliases + [page.chinese].compactMap { $0 }
            parts.append(Self.json(Document(t: page.title, k: page.kind?.singular ?? "entity", u: SitePaths.page(page.id), c: nil,
                                            h: page.chinese, a: aliases.isEmpty ? nil : aliases,
                                            f: Self.foldedKeys(keys), s: page.summary ?? "")))
        }
        for (index, chapter) in book.chapters.enumerated() {
            parts.append(fragments[chapter.id] ?? chapterFragment(chapter, number: index + 1))
        }
        let index = "window.BOOK_SEARCH = {\"v\":1,\"docs\":[\(parts.joined(separator: ","))]};\n"
        return OutputFile(path: SitePaths.data + "/search.js", contents: .text(index))
    }

    /// The search documents of one chapter (the chapter and its sections), encoded.
    func chapterFragment(_ chapter: Page, number: Int) -> String {
        let url = SitePaths.page(chapter.id)
        let label = "\(number). \(chapter.title)"
        let intros = linked[chapter.id]?.sectionIntros ?? []
        var docs = [Document(t: label, k: "chapter", u: url, c: nil, h: nil, a: nil, f: Self.foldedKeys([chapter.title]),
                             s: Self.clip(chapter.summary ?? intros.first ?? ""))]
        for (i, heading) in (linked[chapter.id]?.headings ?? []).enumerated() {
            let intro = i + 1 < intros.count ? intros[i + 1] : ""
            docs.append(Document(t: heading.title, k: "section", u: url + "#" + heading.id, c: label, h: nil, a: nil,
                                 f: Self.foldedKeys([heading.title]), s: Self.clip(intro)))
        }
        return docs.map { Self.json($0) }.joined(separator: ",")
    }

    /// Dates for people, today's location for places, the date for events.
    static func cardLine(_ page: Page) -> String {
        func fact(_ label: String) -> String? { page.facts.first { $0.label == label }?.value }
        if let born = fact("Born"), let died = fact("Died") { return "\(born)–\(died)" }
        if let died = fact("Died") { return "died \(died)" }
        if let reign = fact("Reigned") { return "reigned \(reign)" }
        if let today = fact("Today") { return today }
        if let date = fact("Date") { return date }
        if let founded = fact("Founded") { return "\(founded)–\(fact("Ended") ?? "")" }
        return ""
    }

    static func foldedKeys(_ keys: [String]) -> String {
        var seen = Set<String>()
        return keys.map(SearchFolding.fold).filter { !$0.isEmpty && seen.insert($0).inserted }.joined(separator: " ")
    }

    /// Cuts text to about 240 bytes on a word boundary.
    static func clip(_ text: String) -> String {
        guard text.utf8.count > 260 else { return text }
        var result = ""
        for word in text.split(separator: " ") {
            if result.utf8.count + word.utf8.count > 240 { break }
            result += (result.isEmpty ? "" : " ") + word
        }
        return result + "…"
    }

    /// Deterministic JSON: sorted keys, no escaped slashes; `</` escaped so the script cannot end early.
    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("null".utf8)
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "</", with: "<\\/")
    }
}
