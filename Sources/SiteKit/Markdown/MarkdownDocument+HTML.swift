import CCmark
import CMarkArena
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension MarkdownDocument {
    /// How the figures of a rendering are numbered.
    public enum FigureNumbering: Sendable, Equatable {
        /// Not numbered (ids `figure-1`, `figure-2`, … within the page).
        case none
        /// Numbered from this number.
        case from(Int)
        /// Numbered later, by `FigureNumbering.fill`: the HTML holds placeholders. A chapter's body can then be
        /// rendered (and its tree freed) as soon as it is linked, before the figures of the chapters before it are
        /// counted.
        case deferred
    }

    /// Renders the (linked) tree to HTML: headings get their ids, titled images become figures (numbered as
    /// `numbering` says), raw HTML is kept only when `unsafe` is true. Call once, after `link`.
    public func renderHTML(unsafe: Bool, numbering: FigureNumbering) -> (html: String, figures: [Figure]) {
        let rendered = renderHTMLBytes(unsafe: unsafe, numbering: numbering)
        return (String(decoding: rendered.html, as: UTF8.self), rendered.figures)
    }

    /// `renderHTML` as UTF-8 bytes, as cmark writes them: a page body is not made into a string (checked as UTF-8
    /// again) on its way to the page.
    public func renderHTMLBytes(unsafe: Bool, numbering: FigureNumbering) -> (html: [UInt8], figures: [Figure]) {
        inArena { renderInArena(unsafe: unsafe, numbering: numbering) }
    }

    private func renderInArena(unsafe: Bool, numbering: FigureNumbering) -> (html: [UInt8], figures: [Figure]) {
        let options = unsafe ? CMARK_OPT_UNSAFE : CMARK_OPT_DEFAULT
        let figures = makeFigures(options: options, numbering: numbering)
        // Each heading starts with a mark holding its index; the page is rendered once and each `<hN>` followed by
        // its mark gets the heading's id as it is copied out. (Each heading was rendered on its own before, to put
        // the id in: a hundred thousand more renderings in a large book.)
        let headingNodes = blocks(ofTypes: [CMARK_NODE_HEADING.rawValue])
        var mark: [UInt8] = []
        for (index, node) in headingNodes.enumerated() where index < headings.count {
            mark.removeAll(keepingCapacity: true)
            Self.appendHeadingMark(index, to: &mark)
            mark.append(0)
            let markNode = newNode(CMARK_NODE_CUSTOM_INLINE)
            mark.withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) { _ = cmark_node_set_on_enter(markNode, $0.baseAddress) }
            }
            cmark_node_set_on_exit(markNode, "")
            cmark_node_prepend_child(node, markNode)
        }
        return (renderMarkingHeadings(options: options), figures)
    }

    /// The mark put at the start of heading `index`: U+FDD2, the index in digits, U+FDD3 (noncharacters an author
    /// does not type; one who does gets them back as written, as the mark must follow a heading's opening tag and
    /// carry the next heading's index).
    private static func appendHeadingMark(_ index: Int, to bytes: inout [UInt8]) {
        bytes += headingMarkOpen
        bytes += String(index).utf8
        bytes += headingMarkClose
    }
    private static let headingMarkOpen: [UInt8] = [0xEF, 0xB7, 0x92]
    private static let headingMarkClose: [UInt8] = [0xEF, 0xB7, 0x93]

    /// cmark's HTML for the whole tree, with each heading's mark taken out and its id put in its opening tag.
    private func renderMarkingHeadings(options: Int32) -> [UInt8] {
        Self.withRendered(root, options: options) { rendered in
            guard let html = rendered.baseAddress else { return [] }
            return marksReplaced(in: html, count: rendered.count)
        }
    }

    /// `count` bytes of HTML from `html` with each heading's mark taken out and its id put in its opening tag.
    private func marksReplaced(in html: UnsafePointer<UInt8>, count: Int) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(count + headings.count * 24)
        var copied = 0
        var searchFrom = 0
        var next = 0
        let (open, close) = (Self.headingMarkOpen, Self.headingMarkClose)
        func mark(_ bytes: [UInt8], at offset: Int) -> Bool {
            offset + bytes.count <= count && bytes.indices.allSatisfy { html[offset + $0] == bytes[$0] }
        }
        // Found by their first byte (which leads only characters from U+F000 on: fullwidth punctuation, in Chinese
        // text, and few others).
        while next < headings.count, searchFrom < count,
              let found = memchr(html + searchFrom, Int32(open[0]), count - searchFrom) {
            let at = html.distance(to: found.assumingMemoryBound(to: UInt8.self))
            searchFrom = at + 1
            guard mark(open, at: at) else { continue }
            // The index, then the closing noncharacter.
            var end = at + open.count
            var index = 0
            while end < count, html[end] >= 48, html[end] <= 57, index < 1 << 40 {
                index = index * 10 + Int(html[end] - 48)
                end += 1
            }
            guard end > at + open.count, index == next, mark(close, at: end), at >= 4, html[at - 4] == 60,
                  html[at - 3] == 104, (49...54).contains(html[at - 2]), html[at - 1] == 62 else { continue }
            // `<hN` as written, the id, `>`; the mark is left out.
            output.append(contentsOf: UnsafeBufferPointer(start: html + copied, count: at - 1 - copied))
            output += " id=\"".utf8
            HTML.appendEscaped(headings[next].id, to: &output)
            output += "\">".utf8
            copied = end + close.count
            searchFrom = copied
            next += 1
        }
        output.append(contentsOf: UnsafeBufferPointer(start: html + copied, count: count - copied))
        return output
    }

    /// `renderHTML` with figures numbered from `firstFigure`, or not numbered when it is nil.
    public func renderHTML(unsafe: Bool, firstFigure: Int? = nil) -> (html: String, figures: [Figure]) {
        renderHTML(unsafe: unsafe, numbering: firstFigure.map(FigureNumbering.from) ?? .none)
    }

    /// The placeholder of the figure at `offset` in a deferred rendering (noncharacters an author does not type).
    static func figurePlaceholder(_ offset: Int) -> String { placeholderOpen + String(offset) + placeholderClose }
    private static let placeholderOpen = String(Character(Unicode.Scalar(0xFDD0)!))
    private static let placeholderClose = String(Character(Unicode.Scalar(0xFDD1)!))

    /// A deferred rendering with its figures numbered from `first`.
    public static func numberFigures(_ html: String, _ figures: [Figure],
                                     from first: Int) -> (html: String, figures: [Figure]) {
        let numbered = numberFigures(Array(html.utf8), figures, from: first)
        return (String(decoding: numbered.html, as: UTF8.self), numbered.figures)
    }

    /// `numberFigures` on UTF-8 bytes.
    public static func numberFigures(_ html: [UInt8], _ figures: [Figure],
                                     from first: Int) -> (html: [UInt8], figures: [Figure]) {
        // The bytes between placeholders (open mark, offset digits, close mark) are copied whole.
        let open = Array(placeholderOpen.utf8), close = Array(placeholderClose.utf8)
        var cuts: [(start: Int, end: Int, offset: Int)] = []
        html.withUnsafeBufferPointer { source in
            guard let base = source.baseAddress else { return }
            var i = 0
            while i < source.count {
                guard let found = memchr(base + i, Int32(open[0]), source.count - i) else { break }
                i = UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - base
                if i + open.count <= source.count, source[i..<(i + open.count)].elementsEqual(open) {
                    var j = i + open.count
                    var offset = 0
                    while j < source.count, source[j] >= 48, source[j] <= 57, offset < 1 << 40 {
                        offset = offset * 10 + Int(source[j] - 48)
                        j += 1
                    }
                    if j > i + open.count, j + close.count <= source.count, source[j..<(j + close.count)].elementsEqual(close) {
                        cuts.append((i, j + close.count, offset))
                        i = j + close.count
                        continue
                    }
                }
                i += 1
            }
        }
        var numberedHTML: [UInt8]
        if cuts.isEmpty {
            numberedHTML = html
        } else {
            numberedHTML = []
            numberedHTML.reserveCapacity(html.count)
            var copied = 0
            for cut in cuts {
                numberedHTML += html[copied..<cut.start]
                numberedHTML += String(first + cut.offset).utf8
                copied = cut.end
            }
            numberedHTML += html[copied...]
        }
        let numbered = figures.enumerated().map { offset, figure in
            Figure(number: first + offset, caption: figure.caption, id: Figure.id(first + offset))
        }
        return (numberedHTML, numbered)
    }

    /// Paragraphs holding only an image with a title: the figures of the page.
    func figureParagraphs() -> [OpaquePointer] {
        blocks(ofTypes: [CMARK_NODE_PARAGRAPH.rawValue]).filter { paragraph in
            guard let image = cmark_node_first_child(paragraph), cmark_node_next(image) == nil,
                  Inline.type(image) == CMARK_NODE_IMAGE, let title = cmark_node_get_title(image) else { return false }
            return title.pointee != 0
        }
    }


    private func makeFigures(options: Int32, numbering: FigureNumbering) -> [Figure] {
        var figures: [Figure] = []
        for (offset, paragraph) in figureParagraphs().enumerated() {
            guard let image = cmark_node_first_child(paragraph) else { continue }
            let caption = String(cString: cmark_node_get_title(image))
            cmark_node_set_title(image, "")
            var img = Self.render(paragraph, options: options).trimmingSpaces
            if img.hasPrefix("<p>") && img.hasSuffix("</p>") { img = String(img.dropFirst(3).dropLast(4)) }
            img = img.replacingOccurrences(of: " title=\"\"", with: "")
            let number: Int?
            let shown: String?
            switch numbering {
            case .none: (number, shown) = (nil, nil)
            case .from(let first): (number, shown) = (first + offset, String(first + offset))
            case .deferred: (number, shown) = (nil, Self.figurePlaceholder(offset))
            }
            let id = shown.map { "figure-\($0)" } ?? "figure-\(offset + 1)"
            let label = shown.map { "<span class=\"figure-number\">Figure \($0).</span> " } ?? ""
            let html = "<figure class=\"figure\" id=\"\(id)\">\n\(img)\n<figcaption>\(label)\(HTML.escape(caption))</figcaption>\n</figure>\n"
            let block = newNode(CMARK_NODE_CUSTOM_BLOCK)
            cmark_node_set_on_enter(block, html)
            cmark_node_set_on_exit(block, "")
            cmark_node_replace(paragraph, block)
            cmark_node_free(paragraph)
            figures.append(Figure(number: number, caption: caption, id: id))
        }
        return figures
    }

    static func render(_ node: OpaquePointer, options: Int32) -> String {
        String(decoding: renderBytes(node, options: options), as: UTF8.self)
    }

    /// cmark's HTML for `node`, as the bytes it wrote (in the memory of the node's allocator, freed by it).
    static func renderBytes(_ node: OpaquePointer, options: Int32) -> [UInt8] {
        withRendered(node, options: options) { Array($0) }
    }

    /// Hands cmark's HTML for `node` to `body` where cmark wrote it, then frees it (with the node's allocator).
    static func withRendered<R>(_ node: OpaquePointer, options: Int32, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        guard let pointer = cmark_render_html(node, options) else {
            return body(UnsafeBufferPointer(start: nil, count: 0))
        }
        defer { site_arena_free(pointer) }
        return body(UnsafeBufferPointer(start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self),
                                        count: strlen(pointer)))
    }
}

/// A numbered (or unnumbered) figure of a page.
public struct Figure: Sendable, Equatable {
    /// Its number across the book, if numbered.
    public var number: Int?
    /// The caption, from the image title.
    public var caption: String
    /// The element id, for links: `figure-3`.
    public var id: String

    /// The element id of figure `number`.
    public static func id(_ number: Int) -> String { "figure-\(number)" }
}
