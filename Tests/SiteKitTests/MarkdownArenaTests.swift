import CCmark
import CMarkArena
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import SiteKit

/// The per-document memory of cmark's trees (`CMarkArena`): what cmark asks of an allocator, and that a document's
/// tree is made in its arena and nothing of it is left on the C heap. The heap count is per thread, and each test runs
/// on one thread (no suspension points).
@Suite struct MarkdownArenaTests {
    private var allocator: UnsafeMutablePointer<cmark_mem> { MarkdownDocument.allocator }

    @Test func blocksAreZeroedAlignedAndKeepTheirBytesWhenTheyGrow() {
        let arena = site_arena_create()
        defer { site_arena_destroy(arena) }
        let previous = site_arena_enter(arena)
        defer { site_arena_enter(previous) }
        let heapBefore = site_arena_heap_blocks()
        var blocks: [UnsafeMutableRawPointer] = []
        // Fill and give back blocks so that later ones reuse dirty memory; every new block must still read as zeros.
        for round in 0..<200 {
            let size = 1 + (round * 37) % 300
            let block = allocator.pointee.calloc(1, size)!
            #expect(Int(bitPattern: block) % 16 == 0)
            #expect(UnsafeRawBufferPointer(start: block, count: size).allSatisfy { $0 == 0 })
            memset(block, 0xAB, size)
            if round % 3 == 0 { allocator.pointee.free(block) } else { blocks.append(block) }
        }
        // A block grown (in place when it is the newest, else moved) keeps what it held.
        var grown = allocator.pointee.realloc(nil, 10)!
        memset(grown, 7, 10)
        for size in [40, 100, 5_000, 70_000, 300_000] {
            _ = allocator.pointee.calloc(1, 24)  // sometimes not the newest any more
            grown = allocator.pointee.realloc(grown, size)!
            #expect(UnsafeRawBufferPointer(start: grown, count: 10).allSatisfy { $0 == 7 })
        }
        #expect(site_arena_bytes(arena) >= 300_000)
        #expect(site_arena_heap_blocks() == heapBefore)
    }

    @Test func withoutAnArenaBlocksComeFromTheHeapAndAreFreed() {
        let previous = site_arena_enter(nil)
        defer { site_arena_enter(previous) }
        let before = site_arena_heap_blocks()
        let block = allocator.pointee.calloc(3, 16)!
        #expect(UnsafeRawBufferPointer(start: block, count: 48).allSatisfy { $0 == 0 })
        let grown = allocator.pointee.realloc(block, 4_000)!
        #expect(site_arena_heap_blocks() == before + 1)
        site_arena_free(grown)
        site_arena_free(nil)
        #expect(site_arena_heap_blocks() == before)
    }

    @Test func aDocumentsTreeLivesInItsArenaAndGoesWithIt() {
        let before = site_arena_heap_blocks()
        do {
            let body = """
                ## The campaign of [[wang-anshi]]

                Text with [[wang-anshi|a reference]], a [link](02-b.md) and <b>raw HTML</b>.

                ![A map](map.png "The front in 1081")

                - a list with [[nobody]]
                """
            let document = MarkdownDocument(body: body, bodyStartLine: 1, file: source(body))
            // The empty root made before parsing is the only heap block, and parsing frees it.
            #expect(site_arena_heap_blocks() == before)
            _ = document.link { request, _ in
                switch request {
                case .reference(let target, let label) where target == "wang-anshi":
                    .entity(href: "../people/wang-anshi.html", text: label ?? "Wang Anshi", cssClass: "ref",
                            key: "people/wang-anshi")
                case .link: .url("b.html")
                case .rawHTML: .drop
                default: .keep
                }
            }
            let rendered = document.renderHTMLBytes(unsafe: false, numbering: .from(1))
            let html = String(decoding: rendered.html, as: UTF8.self)
            #expect(html.contains("<h2 id=\"the-campaign-of-wang-anshi\">The campaign of <a class=\"ref\""))
            #expect(html.contains("<figure class=\"figure\" id=\"figure-1\">"))
            #expect(html.contains("<a href=\"b.html\">link</a>"))
            #expect(site_arena_heap_blocks() == before)
            document.releaseTree()
            // The tree went with its arena; an empty root of the heap stands in for it until the document goes.
            #expect(site_arena_heap_blocks() == before + 1)
            #expect(cmark_node_first_child(document.root) == nil)
        }
        #expect(site_arena_heap_blocks() == before)
    }

    @Test func aLargeBodyIsParsedOnTheHeapAndFreedWithItsTree() {
        let before = site_arena_heap_blocks()
        do {
            let paragraph = "Text with a [[wang-anshi|reference]] and *emphasis* in a long paragraph.\n\n"
            let count = MarkdownDocument.largestInArena / 60
            let body = "## A large chapter\n\n" + String(repeating: paragraph, count: count)
            let document = MarkdownDocument(body: body, bodyStartLine: 1, file: source(body))
            #expect(site_arena_heap_blocks() > before + 1000)
            let occurrences = document.link { request, _ in
                if case .reference = request {
                    return .entity(href: "../people/wang-anshi.html", text: "Wang Anshi", cssClass: "ref",
                                   key: "people/wang-anshi")
                }
                return .keep
            }
            #expect(occurrences.count == count)
            let html = document.renderHTMLBytes(unsafe: false, numbering: .none).html
            let start = "<h2 id=\"a-large-chapter\">A large chapter</h2>\n<p>Text with a <a class=\"ref\""
            #expect(html.starts(with: Array(start.utf8)))
            document.releaseTree()
            #expect(site_arena_heap_blocks() == before + 1)
        }
        #expect(site_arena_heap_blocks() == before)
    }

    @Test func aDocumentNeverParsedHoldsOnlyItsRoot() {
        let before = site_arena_heap_blocks()
        do {
            let document = MarkdownDocument(parsingLater: 1, file: source("Text.\n"))
            #expect(site_arena_heap_blocks() == before + 1)
            document.releaseTree()
            #expect(site_arena_heap_blocks() == before + 1)
        }
        #expect(site_arena_heap_blocks() == before)
    }
}
