import CCmark
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small read-only helpers over cmark inline nodes.
enum Inline {
    /// The node's type as a raw value, for switching.
    static func type(_ node: OpaquePointer) -> cmark_node_type { cmark_node_get_type(node) }

    /// Appends a node's literal, as UTF-8 bytes, to `bytes` (without making a string of it: the walks over every
    /// text node of a book want bytes).
    static func appendLiteral(_ node: OpaquePointer, to bytes: inout [UInt8]) {
        guard let pointer = cmark_node_get_literal(node) else { return }
        let count = strlen(pointer)
        pointer.withMemoryRebound(to: UInt8.self, capacity: count) {
            bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: count))
        }
    }

    /// The text a reader sees in a block: text and code literals, breaks as spaces (iterative, any depth).
    static func plainText(of block: OpaquePointer) -> String {
        var scratch = Scratch()
        return plainText(of: block, &scratch)
    }

    /// `plainText(of:)`, with buffers kept from one call to the next.
    static func plainText(of block: OpaquePointer, _ scratch: inout Scratch) -> String {
        scratch.text.removeAll(keepingCapacity: true)
        forEachDescendant(of: block, stack: &scratch.stack) { node, _ in
            switch type(node) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE:
                appendLiteral(node, to: &scratch.text)
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                scratch.text.append(32)
            default: break
            }
        }
        return String(decoding: scratch.text, as: UTF8.self)
    }

    /// Buffers for walking the blocks of a page, emptied and filled again block after block (rather than made for each
    /// block, node and reference: growing them was a tenth of linking).
    struct Scratch {
        /// The walk's stack.
        var stack: [(OpaquePointer, Bool)] = []
        /// A block's inline nodes.
        var inlines: [(OpaquePointer, Bool)] = []
        /// Text being gathered.
        var text: [UInt8] = []
        /// A text node's literal, the text between references, and a link tag.
        var literal: [UInt8] = []
        var pending: [UInt8] = []
        var tag: [UInt8] = []
        /// Where each reference's text starts in a block's text, and the snippets made for the block.
        var offsets: [Int] = []
        var snippets: [(span: Snippets.Span, text: String)] = []
        /// The references of a text node.
        var matches: [ReferenceSyntax.Match] = []
    }

    /// Visits every descendant of `node` in document order; `insideLink` tells whether a link or image encloses it.
    static func forEachDescendant(of node: OpaquePointer, _ visit: (OpaquePointer, _ insideLink: Bool) -> Void) {
        var stack: [(OpaquePointer, Bool)] = []
        forEachDescendant(of: node, stack: &stack, visit)
    }

    /// `forEachDescendant(of:_:)` with the walk's stack given (empty, left empty).
    static func forEachDescendant(of node: OpaquePointer, stack: inout [(OpaquePointer, Bool)],
                                  _ visit: (OpaquePointer, _ insideLink: Bool) -> Void) {
        var child = cmark_node_last_child(node)
        while let current = child {
            stack.append((current, false))
            child = cmark_node_previous(current)
        }
        while let (current, insideLink) = stack.popLast() {
            visit(current, insideLink)
            let nodeType = type(current)
            let childInside = insideLink || nodeType == CMARK_NODE_LINK || nodeType == CMARK_NODE_IMAGE
                || nodeType == CMARK_NODE_CUSTOM_INLINE
            var next = cmark_node_last_child(current)
            while let grandchild = next {
                stack.append((grandchild, childInside))
                next = cmark_node_previous(grandchild)
            }
        }
    }
}
