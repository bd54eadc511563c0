import CCmark
import CMarkArena
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Owns one cmark tree (freed exactly once, in `deinit`) together with the positions needed to report on it.
///
/// A document is parsed once (when made, or later by `parseBody` on the task that links it), then edited by one task
/// at a time (linking), then rendered; it is handed between stages, never shared by two tasks at once, hence
/// `@unchecked Sendable`.
public final class MarkdownDocument: @unchecked Sendable {
    private(set) var root: OpaquePointer
    /// The memory of the parsed tree: every node and string of it, and cmark's scratch memory for parsing and
    /// rendering it, given back at once by `releaseTree` or `deinit` (a free for each node and string was 4% of a
    /// large build). Nil before the body is parsed, after the tree is released, and for a body larger than
    /// `largestInArena`: the tree is then on the C heap. Every call that can make memory for the tree runs inside
    /// `inArena`.
    private var arena: OpaquePointer?
    /// The largest body (in bytes of Markdown) parsed into an arena. An arena does not reuse what cmark frees while
    /// parsing (its scratch memory comes to about twelve times the Markdown); a larger body is parsed on the heap, so
    /// that its memory stays in proportion to the tree (a 20 MB chapter took 140 MB more in an arena).
    static let largestInArena = 1 << 20
    /// The Markdown source, for positions of references inside text nodes (emptied with the tree): the body's part
    /// of the file's text, in its storage (contiguous UTF-8), which cmark parses in place (a copy of each body was
    /// a hundred megabytes copied in a large build).
    private(set) var source: Substring
    /// Byte offset in `source` of the start of each line (index 0 is line 1 of the body).
    private(set) var lineStarts: [Int]
    /// Line of the file on which the body starts (front-matter lines counted).
    public let bodyStartLine: Int
    /// The file, for locations (and its text for parsing again, until `dropSourceText`).
    public private(set) var file: SourceFile
    /// Headings in document order, with stable unique ids; titles are updated by linking (read them only from the
    /// task that owns the document).
    public private(set) var headings: [Heading]
    /// The heading ids, fixed at parse time: safe to read from any task once parsed (other pages check anchors
    /// against them; a first build checks them after every page is parsed).
    public private(set) var headingIDs: [String] = []
    /// The number of figures (titled images alone in a paragraph), fixed at parse time.
    public private(set) var figureCount = 0
    /// The opening text of each section after linking: index 0 is the text before the first heading, index i the
    /// text under heading i-1; each at least `introLength` bytes when the section has that much.
    public internal(set) var sectionIntros: [String] = []
    /// How much opening text of a section is kept, in bytes.
    static let introLength = 240

    /// Prefix of every heading id (used when several pages share one HTML page, as in the whole-book page).
    public let idPrefix: String
    /// Whether the body has been parsed (false only for a document made with `parsingLater` before `parseBody`).
    public private(set) var isParsed: Bool

    /// Parses `body` (which starts on `bodyStartLine` of `file`) with source positions and smart punctuation.
    public convenience init(body: String, bodyStartLine: Int, file: SourceFile, idPrefix: String = "") {
        self.init(bodyStartLine: bodyStartLine, file: file, idPrefix: idPrefix)
        parse(body[...])
    }

    /// A document whose body is parsed later, by `parseBody()` on the task that links it: a build that links every
    /// page parses and links each in one go, and never holds every tree at once. Until then it has no headings or
    /// figures, and other tasks must not read it.
    public convenience init(parsingLater bodyStartLine: Int, file: SourceFile) {
        self.init(bodyStartLine: bodyStartLine, file: file, idPrefix: "")
    }

    /// A document with an empty tree.
    private init(bodyStartLine: Int, file: SourceFile, idPrefix: String) {
        self.idPrefix = idPrefix
        self.source = ""
        self.lineStarts = []
        self.bodyStartLine = bodyStartLine
        self.file = file
        self.headings = []
        root = Self.heapNode(CMARK_NODE_DOCUMENT)
        isParsed = false
    }

    /// Parses the body of a document made with `parsingLater`, from the file's text; does nothing the second time.
    public func parseBody() {
        guard !isParsed else { return }
        parse(file.text.utf8Lines(from: bodyStartLine))
    }

    /// Parses `text` (Markdown), which becomes the document's `source`; cmark is given its length, so it needs no
    /// terminating zero (and is not copied to get one).
    private func parse(_ text: Substring) {
        var text = text
        if text.utf8.withContiguousStorageIfAvailable({ _ in true }) == nil {
            var copy = String(text)
            copy.makeContiguousUTF8()
            text = copy[...]
        }
        source = text
        let count = text.utf8.count
        var starts = [0]
        // Line feeds found with memchr: a book's chapters are a hundred megabytes.
        withSource { buffer in
            guard let base = buffer.baseAddress else { return }
            var at = 0
            while at < buffer.count, let found = memchr(base + at, 10, buffer.count - at) {
                at = UnsafeRawPointer(found) - UnsafeRawPointer(base) + 1
                starts.append(at)
            }
        }
        lineStarts = starts
        let options = CMARK_OPT_SOURCEPOS | CMARK_OPT_SMART
        let previousArena = arena
        arena = count <= Self.largestInArena ? site_arena_create() : nil
        let parsed = inArena {
            let parser = cmark_parser_new_with_mem(options, Self.allocator)
            withSource { buffer in
                buffer.withMemoryRebound(to: CChar.self) { cmark_parser_feed(parser, $0.baseAddress, $0.count) }
            }
            let document = cmark_parser_finish(parser)!
            cmark_parser_free(parser)
            cmark_consolidate_text_nodes(document)
            return document
        }
        if previousArena == nil { cmark_node_free(root) }
        site_arena_destroy(previousArena)
        root = parsed
        isParsed = true
        headings = []
        headings = collectHeadings()
        headingIDs = headings.map(\.id)
        figureCount = figureParagraphs().count
    }

    /// Sets the heading ids and figure count a parse of this body gave in an earlier build run (the link cache holds
    /// them by the file's text hash), without parsing it: other pages' links are checked against them and the book's
    /// key is made from them. The body is still parsed by `parseBody` if the page must be linked.
    func restore(headingIDs: [String], figureCount: Int) {
        guard !isParsed else { return }
        self.headingIDs = headingIDs
        self.figureCount = figureCount
    }

    /// A fresh parse of the same Markdown with another heading-id prefix (for the whole-book page).
    public func reparsed(idPrefix: String) -> MarkdownDocument {
        let document = MarkdownDocument(bodyStartLine: bodyStartLine, file: file, idPrefix: idPrefix)
        document.parseBody()
        return document
    }

    /// Frees the tree's nodes once the body is rendered (the root stays, empty, and is freed in `deinit`), and the
    /// copy of the source: a later parse takes the body from the file again. Cuts peak memory: trees are the
    /// largest thing a build holds.
    public func releaseTree() {
        if let arena {
            // Every node of the tree is in the arena: it goes whole, without a walk over the nodes.
            root = Self.heapNode(CMARK_NODE_DOCUMENT)
            self.arena = nil
            site_arena_destroy(arena)
        } else {
            while let child = cmark_node_first_child(root) {
                cmark_node_unlink(child)
                cmark_node_free(child)
            }
        }
        source = ""
        lineStarts = []
    }

    /// Runs `body` on the source's UTF-8 bytes, where they lie (`parse` made them contiguous; a copy otherwise).
    private func withSource<T>(_ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        source.utf8.withContiguousStorageIfAvailable(body) ?? Array(source.utf8).withUnsafeBufferPointer(body)
    }

    /// Lets the file's text go: the document can then no longer be parsed again (`reparsed`).
    public func dropSourceText() {
        file = file.withoutText
    }

    deinit {
        if let arena {
            site_arena_destroy(arena)
        } else {
            cmark_node_free(root)
        }
    }

    /// The allocator every node of every document is made with (cmark frees a whole subtree with the allocator of
    /// its top node, so the nodes of one tree must share one).
    static var allocator: UnsafeMutablePointer<cmark_mem> {
        site_arena_allocator()!.assumingMemoryBound(to: cmark_mem.self)
    }

    /// A new node in the document's arena (call inside `inArena`).
    func newNode(_ type: cmark_node_type) -> OpaquePointer {
        cmark_node_new_with_mem(type, Self.allocator)!
    }

    /// A node of the C heap, made outside any arena.
    private static func heapNode(_ type: cmark_node_type) -> OpaquePointer {
        let previous = site_arena_enter(nil)
        defer { site_arena_enter(previous) }
        return cmark_node_new_with_mem(type, allocator)!
    }

    /// Runs `body` with the document's arena as the thread's current one: what cmark allocates meanwhile (nodes,
    /// strings, rendered HTML) is the document's.
    func inArena<T>(_ body: () throws -> T) rethrows -> T {
        let previous = site_arena_enter(arena)
        defer { site_arena_enter(previous) }
        return try body()
    }

    /// The version of the libcmark the program runs with.
    static var cmarkVersion: String { String(cString: cmark_version_string()) }

    /// The file location of a cmark position (line relative to the body, byte column).
    func location(line: Int32, column: Int32) -> SourceLocation {
        file.location(line: Int(line) + bodyStartLine - 1, column: max(1, Int(column)))
    }

    /// The location where `node` starts.
    func location(of node: OpaquePointer) -> SourceLocation {
        location(line: cmark_node_get_start_line(node), column: cmark_node_get_start_column(node))
    }

    /// The location of `needle` in the source, searching from a node's start; falls back to the node start.
    func location(of needle: ArraySlice<UInt8>, from node: OpaquePointer, occurrence: Int) -> SourceLocation {
        let line = Int(cmark_node_get_start_line(node))
        let column = Int(cmark_node_get_start_column(node))
        guard line >= 1, line <= lineStarts.count, !needle.isEmpty else { return location(of: node) }
        let lineStart = lineStarts[line - 1]
        let lineEnd = line < lineStarts.count ? lineStarts[line] : source.utf8.count
        let start = lineStart + max(0, column - 1)
        let match: Int? = withSource { source in
            needle.withUnsafeBufferPointer { needle in
                // Candidates are found with memchr (looking at every byte was a percent of a large build).
                var position = start
                var found = 0
                while position + needle.count <= lineEnd {
                    let window = lineEnd - needle.count + 1 - position
                    guard let hit = memchr(source.baseAddress! + position, Int32(needle[0]), window) else { return nil }
                    position = source.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    if memcmp(source.baseAddress! + position, needle.baseAddress!, needle.count) == 0 {
                        if found == occurrence { return position }
                        found += 1
                    }
                    position += 1
                }
                return nil
            }
        }
        guard let match else { return location(of: node) }
        return file.location(line: line + bodyStartLine - 1, column: match - lineStart + 1)
    }

    /// The block nodes of the tree of the given types, in document order. Only blocks are walked: paragraphs and
    /// headings hold inlines, never blocks (iterating over every inline node as well, four times a page, was a
    /// percent of a large build).
    func blocks(ofTypes types: [UInt32]) -> [OpaquePointer] {
        var wanted: UInt64 = 0
        for type in types where type < 64 { wanted |= 1 << UInt64(type) }
        var result: [OpaquePointer] = []
        // Room for a chapter's blocks from the start (grown from empty, the list was several allocations a walk).
        result.reserveCapacity(64)
        var next = cmark_node_first_child(root)
        while let node = next {
            let type = cmark_node_get_type(node)
            if type.rawValue < 64, wanted & (1 << UInt64(type.rawValue)) != 0 { result.append(node) }
            if type.rawValue <= CMARK_NODE_LAST_BLOCK.rawValue, type != CMARK_NODE_PARAGRAPH, type != CMARK_NODE_HEADING,
               let child = cmark_node_first_child(node) {
                next = child
                continue
            }
            // The next sibling, or the next sibling of the nearest ancestor that has one.
            var current: OpaquePointer? = node
            next = nil
            while let at = current, at != root {
                if let sibling = cmark_node_next(at) {
                    next = sibling
                    break
                }
                current = cmark_node_parent(at)
            }
        }
        return result
    }

    private func collectHeadings() -> [Heading] {
        var ids = HeadingIDs(prefix: idPrefix)
        var scratch = Inline.Scratch()
        return blocks(ofTypes: [CMARK_NODE_HEADING.rawValue]).map { node in
            let text = ReferenceSyntax.displayText(of: Inline.plainText(of: node, &scratch))
            return Heading(level: Int(cmark_node_get_heading_level(node)), title: text, id: ids.make(from: text),
                           location: location(of: node))
        }
    }

    /// Replaces the title of a heading after linking (references now show entity names).
    func setHeadingTitle(_ title: String, at index: Int) {
        headings[index].title = title
    }
}

/// A heading of a page: its level, text and anchor id.
public struct Heading: Sendable, Equatable {
    /// 1 to 6.
    public var level: Int
    /// Plain text as shown.
    public var title: String
    /// The anchor id, unique in the page.
    public var id: String
    /// Where the heading is in the source.
    public var location: SourceLocation
}

/// Makes heading ids: lowercase letters and digits, other runs become `-`; repeats get `-2`, `-3`.
public struct HeadingIDs {
    private var used: Set<String>
    private let prefix: String

    /// Ids used by the page templates, which headings must not take.
    public static let reserved: Set<String> = ["top", "main", "contents", "site-header", "site-footer",
                                               "references", "backlinks", "page-nav", "summary"]

    /// A fresh generator; every id starts with `prefix`.
    public init(prefix: String = "") {
        used = Self.reserved
        self.prefix = prefix
    }

    /// The slug of `text` without uniqueness: `"The Battle at Mizhi Fort"` → `the-battle-at-mizhi-fort`.
    public static func slug(_ text: String) -> String {
        // ASCII text (most headings) is slugged over bytes, without looking up Unicode properties.
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            // Written straight into the string's storage (no list of bytes made first): the slug is never longer.
            let slug = String(unsafeUninitializedCapacity: text.utf8.count) { bytes in
                var count = 0
                var pendingDash = false
                for byte in text.utf8 {
                    let lower = (65...90).contains(byte) ? byte + 32 : byte
                    if (97...122).contains(lower) || (48...57).contains(lower) {
                        if pendingDash && count > 0 {
                            bytes[count] = 45
                            count += 1
                        }
                        pendingDash = false
                        bytes[count] = lower
                        count += 1
                    } else {
                        pendingDash = true
                    }
                }
                return count
            }
            return slug.isEmpty ? "section" : slug
        }
        var result = ""
        var pendingDash = false
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                if pendingDash && !result.isEmpty { result.append("-") }
                pendingDash = false
                result.append(character)
            } else {
                pendingDash = true
            }
        }
        return result.isEmpty ? "section" : result
    }

    /// A unique id for a heading with this text.
    public mutating func make(from text: String) -> String {
        let base = prefix + Self.slug(text)
        var candidate = base
        var n = 2
        while used.contains(candidate) {
            candidate = "\(base)-\(n)"
            n += 1
        }
        used.insert(candidate)
        return candidate
    }
}
