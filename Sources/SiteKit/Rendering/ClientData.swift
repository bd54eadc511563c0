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

        /// Appends the card as JSONEncoder writes it (keys sorted, absent ones left out, no escaped slashes; `</`
        /// escaped so the script cannot end early), written directly: JSONEncoder took a fiftieth of a large build
        /// for the cards alone. (`ClientDataTests` compares the two.)
        func append(to out: inout [UInt8]) {
            func field(_ name: StaticString, _ value: String) {
                out.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
                ClientData.appendJSONString(value, to: &out)
            }
            field("{\"d\":", d)
            if let h { field(",\"h\":", h) }
            field(",\"k\":", k)
            if let l { field(",\"l\":", l) }
            field(",\"n\":", n)
            field(",\"s\":", s)
            field(",\"u\":", u)
            out.append(UInt8(ascii: "}"))
        }
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

        /// Appends the document as JSONEncoder writes it (as `Card.append`), written directly: a 10,000-chapter
        /// index has a hundred thousand documents, and JSONEncoder was a sixth of the build.
        func append(to out: inout [UInt8]) {
            out.reserveCapacity(out.count + 64 + t.utf8.count + s.utf8.count + f.utf8.count + u.utf8.count)
            out.append(UInt8(ascii: "{"))
            var first = true
            func key(_ name: UInt8) {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                out.append(UInt8(ascii: "\""))
                out.append(name)
                out.append(UInt8(ascii: "\""))
                out.append(UInt8(ascii: ":"))
            }
            if let a {
                key(UInt8(ascii: "a"))
                out.append(UInt8(ascii: "["))
                for (index, alias) in a.enumerated() {
                    if index > 0 { out.append(UInt8(ascii: ",")) }
                    ClientData.appendJSONString(alias, to: &out)
                }
                out.append(UInt8(ascii: "]"))
            }
            if let c { key(UInt8(ascii: "c")); ClientData.appendJSONString(c, to: &out) }
            key(UInt8(ascii: "f")); ClientData.appendJSONString(f, to: &out)
            if let h { key(UInt8(ascii: "h")); ClientData.appendJSONString(h, to: &out) }
            key(UInt8(ascii: "k")); ClientData.appendJSONString(k, to: &out)
            key(UInt8(ascii: "s")); ClientData.appendJSONString(s, to: &out)
            key(UInt8(ascii: "t")); ClientData.appendJSONString(t, to: &out)
            key(UInt8(ascii: "u")); ClientData.appendJSONString(u, to: &out)
            out.append(UInt8(ascii: "}"))
        }
    }

    /// A JSON string literal as JSONEncoder writes it without escaping slashes, with `</` written `<\/` so that the
    /// script cannot end early.
    static func appendJSONString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        appendJSONStringContent(text, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// What `appendJSONString` writes between the quotes.
    static func appendJSONStringContent(_ text: String, to out: inout [UInt8]) {
        // Runs of bytes that need no escape are copied whole, and are found eight bytes at a time (byte by byte, this
        // was 1% of a large build).
        text.withUTF8Bytes { bytes in
            guard let base = bytes.baseAddress else { return }
            let count = bytes.count
            var from = 0
            var index = 0
            while index < count {
                while index + 8 <= count, !mayNeedJSONEscape(ByteWord.load(base, index)) {
                    index += 8
                }
                guard index < count else { break }
                let byte = base[index]
                let escape: StaticString
                var hexDigits = false
                switch byte {
                case UInt8(ascii: "\""): escape = "\\\""
                case UInt8(ascii: "\\"): escape = "\\\\"
                case UInt8(ascii: "/") where index > 0 && base[index - 1] == UInt8(ascii: "<"): escape = "\\/"
                case 0x08: escape = "\\b"
                case 0x0C: escape = "\\f"
                case 0x0A: escape = "\\n"
                case 0x0D: escape = "\\r"
                case 0x09: escape = "\\t"
                case 0..<0x20: escape = "\\u00"; hexDigits = true
                default:
                    index += 1
                    continue
                }
                out.append(contentsOf: UnsafeBufferPointer(start: base + from, count: index - from))
                out.append(contentsOf: UnsafeBufferPointer(start: escape.utf8Start, count: escape.utf8CodeUnitCount))
                if hexDigits {
                    let hex: StaticString = "0123456789abcdef"
                    out.append(hex.utf8Start[Int(byte >> 4)])
                    out.append(hex.utf8Start[Int(byte & 0xF)])
                }
                index += 1
                from = index
            }
            out.append(contentsOf: UnsafeBufferPointer(start: base + from, count: count - from))
        }
    }

    /// Whether a byte of `word` may need escaping in a JSON string: a quote, a backslash, a slash (escaped after `<`)
    /// or a control character.
    @inline(__always)
    private static func mayNeedJSONEscape(_ word: UInt64) -> Bool {
        ByteWord.below(word, 0x20) | ByteWord.matches(word, 34) | ByteWord.matches(word, 92)
            | ByteWord.matches(word, 47) != 0
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
        return OutputFile(path: SitePaths.data + "/cards.js", contents: .bytes(Self.cardsScript(cards)))
    }

    /// `window.BOOK_CARDS = {…};`, the cards keyed by page (keys in `String` order, as JSONEncoder sorts them).
    static func cardsScript(_ cards: [String: Card]) -> [UInt8] {
        var out = Array("window.BOOK_CARDS = {".utf8)
        out.reserveCapacity(256 * cards.count)
        for (index, key) in cards.keys.sorted().enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            appendJSONString(key, to: &out)
            out.append(UInt8(ascii: ":"))
            cards[key]!.append(to: &out)
        }
        out += "};\n".utf8
        return out
    }

    /// `data/search.js`: entities, chapters and chapter sections; `fragments` holds chapters encoded earlier.
    func searchIndex(fragments: [PageID: [UInt8]] = [:]) -> OutputFile {
        // Each document follows a comma but the first.
        var entities: [UInt8] = []
        for page in book.allEntities {
            let aliases = page.aliases.map(\.text)
            let keys = [page.title] + aliases + [page.chinese].compactMap { $0 }
            if !entities.isEmpty { entities.append(UInt8(ascii: ",")) }
            Document(t: page.title, k: page.kind?.singular ?? "entity", u: SitePaths.page(page.id), c: nil,
                     h: page.chinese, a: aliases.isEmpty ? nil : aliases,
                     f: Self.foldedKeys(keys), s: page.summary ?? "").append(to: &entities)
        }
        var chapters: [[UInt8]] = []
        chapters.reserveCapacity(book.chapters.count)
        for (index, chapter) in book.chapters.enumerated() {
            chapters.append(fragments[chapter.id] ?? chapterFragment(chapter, number: index + 1))
        }
        // Written as bytes into storage of its final size (tens of megabytes for a large book).
        let head = Array("window.BOOK_SEARCH = {\"v\":1,\"docs\":[".utf8), tail = Array("]};\n".utf8)
        var index: [UInt8] = []
        index.reserveCapacity(chapters.reduce(head.count + tail.count + entities.count) { $0 + $1.count + 1 })
        index += head
        index += entities
        var first = entities.isEmpty
        for fragment in chapters {
            if !first { index.append(UInt8(ascii: ",")) }
            first = false
            index += fragment
        }
        index += tail
        return OutputFile(path: SitePaths.data + "/search.js", contents: .bytes(index))
    }

    /// The search documents of one chapter (the chapter and its sections), encoded.
    func chapterFragment(_ chapter: Page, number: Int) -> [UInt8] {
        // Written straight into bytes, as `Document.append` writes a document (keys sorted, absent ones left out):
        // no document, joined href or set of folded keys is made for each of a large book's hundred thousand sections.
        let url = SitePaths.page(chapter.id)
        let label = "\(number). \(chapter.title)"
        let page = linked[chapter.id]
        let intros = page?.sectionIntros ?? []
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        func open(_ text: StaticString) {
            out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        }
        open("{\"f\":")
        Self.appendJSONString(SearchFolding.fold(chapter.title), to: &out)  // foldedKeys of one key
        open(",\"k\":\"chapter\",\"s\":")
        Self.appendJSONString(Self.clip(chapter.summary ?? intros.first ?? ""), to: &out)
        open(",\"t\":")
        Self.appendJSONString(label, to: &out)
        open(",\"u\":")
        Self.appendJSONString(url, to: &out)
        out.append(UInt8(ascii: "}"))
        page?.headings.withUnsafeBufferPointer { headings in
            for i in headings.indices {
                let intro = i + 1 < intros.count ? intros[i + 1] : ""
                open(",{\"c\":")
                Self.appendJSONString(label, to: &out)
                open(",\"f\":")
                Self.appendJSONString(SearchFolding.fold(headings[i].title), to: &out)
                open(",\"k\":\"section\",\"s\":")
                Self.appendJSONString(Self.clip(intro), to: &out)
                open(",\"t\":")
                Self.appendJSONString(headings[i].title, to: &out)
                open(",\"u\":\"")
                Self.appendJSONStringContent(url, to: &out)
                out.append(UInt8(ascii: "#"))
                Self.appendJSONStringContent(headings[i].id, to: &out)
                open("\"}")
            }
        }
        // Kept until the index is written (tens of megabytes in a large book): copied to its size, without the room
        // the writing left.
        return [UInt8](unsafeUninitializedCapacity: out.count) { buffer, count in
            count = out.withUnsafeBufferPointer { buffer.initialize(fromContentsOf: $0) }
        }
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

    /// Cuts text to about 240 bytes on a word boundary (words are runs between spaces, walked as bytes: walking them
    /// as characters was a twentieth of a large build).
    static func clip(_ text: String) -> String {
        guard text.utf8.count > 260 else { return text }
        // Text whose first words are single-spaced clips to a prefix of itself: cut once, without copying word by word.
        var text = text
        let prefix: Int? = text.withUTF8 { bytes in
            var end = 0
            var index = 0
            while index < bytes.count {
                if bytes[index] == 32 { return nil }
                var wordEnd = index
                while wordEnd < bytes.count, bytes[wordEnd] != 32 { wordEnd += 1 }
                // As below: the first word fits in 240 bytes, a later one with the space before it in 241.
                if wordEnd - (index == 0 ? 0 : 1) > 240 { return end }
                end = wordEnd
                // The word's space, then the next word (a second space is not single spacing).
                index = wordEnd + 1
                if wordEnd + 1 == bytes.count { return nil }
            }
            return nil
        }
        if let prefix, prefix > 0 {
            return String(text[..<text.utf8.index(text.utf8.startIndex, offsetBy: prefix)]) + "…"
        }
        var result: [UInt8] = []
        text.withUTF8 { bytes in
            var start = 0
            while start < bytes.count {
                if bytes[start] == 32 { start += 1; continue }
                var end = start
                while end < bytes.count, bytes[end] != 32 { end += 1 }
                if result.count + (end - start) > 240 { return }
                if !result.isEmpty { result.append(32) }
                result.append(contentsOf: bytes[start..<end])
                start = end
            }
        }
        return String(decoding: result, as: UTF8.self) + "…"
    }
}
