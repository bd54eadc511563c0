import CCmark

/// Cuts the sentence around each entity reference of a block, for backlinks.
enum Snippets {
    /// An entity link inserted into a block, with the reference's key and location.
    struct EntityNode {
        var node: OpaquePointer
        var key: String
        var location: SourceLocation
    }

    /// Longest snippet kept, in bytes, before it is shortened with an ellipsis.
    static let maximumLength = 280

    /// Appends the references of `block` (its entity link nodes, in document order, each with its key and location)
    /// to `result` (appended in place: a list of the block's own, appended after, copied each one again).
    static func appendOccurrences(in block: OpaquePointer, entityNodes: [EntityNode], headingIndex: Int?,
                                  to result: inout [ReferenceOccurrence], _ scratch: inout Inline.Scratch) {
        scratch.text.removeAll(keepingCapacity: true)
        // Where each link node's text starts, by its position in `entityNodes` (numbers: copying each key and location
        // into a list of marks, then out of it, was four reference counts per reference of the book).
        // (Both lists are the scratch's, swapped out for the block and back after it, emptied: two lists made for
        // every block holding a reference were a tenth of the linking's allocations.)
        var offsets: [Int] = [], made: [(span: Span, text: String)] = []
        swap(&offsets, &scratch.offsets)
        swap(&made, &scratch.snippets)
        defer {
            offsets.removeAll(keepingCapacity: true)
            made.removeAll(keepingCapacity: true)
            swap(&offsets, &scratch.offsets)
            swap(&made, &scratch.snippets)
        }
        // The link nodes come in document order, as the walk meets them.
        var nextNode = 0
        Inline.forEachDescendant(of: block, stack: &scratch.stack) { node, _ in
            if nextNode < entityNodes.count, entityNodes[nextNode].node == node {
                offsets.append(scratch.text.count)
                nextNode += 1
            }
            switch Inline.type(node) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE: Inline.appendLiteral(node, to: &scratch.text)
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK: scratch.text.append(32)
            default: break
            }
        }
        let bytes = scratch.text
        // References in the same sentence share one string (`made`).
        entityNodes.withUnsafeBufferPointer { entityNodes in
            for (index, offset) in offsets.enumerated() {
                let span = span(in: bytes, around: offset)
                let snippet: String
                if let earlier = made.first(where: { $0.span == span }) {
                    snippet = earlier.text
                } else {
                    snippet = text(of: span, in: bytes)
                    made.append((span, snippet))
                }
                result.append(ReferenceOccurrence(key: entityNodes[index].key, headingIndex: headingIndex, snippet: snippet,
                                                  location: entityNodes[index].location))
            }
        }
    }

    /// Where a snippet lies in a block's text, and whether it was shortened before or after.
    struct Span: Equatable {
        var start: Int
        var end: Int
        var cutBefore: Bool
        var cutAfter: Bool
    }

    private static func text(of span: Span, in bytes: [UInt8]) -> String {
        // Trimmed as bytes, then made into one string with its ellipses (spaces, tabs and newlines are single bytes).
        let trimmed = bytes[span.start..<span.end].trimmingSpaceBytes
        guard span.cutBefore || span.cutAfter else { return String(decoding: trimmed, as: UTF8.self) }
        var result: [UInt8] = []
        result.reserveCapacity(trimmed.count + 6)
        let ellipsis: [UInt8] = [0xE2, 0x80, 0xA6]
        if span.cutBefore { result += ellipsis }
        result += trimmed
        if span.cutAfter { result += ellipsis }
        return String(decoding: result, as: UTF8.self)
    }

    /// The sentence of `bytes` containing `offset`, trimmed to `maximumLength` around it.
    static func span(in bytes: [UInt8], around offset: Int) -> Span {
        bytes.withUnsafeBufferPointer { span(in: $0, around: offset) }
    }

    /// Whether a byte of `word` is `.`, `!` or `?`.
    @inline(__always)
    private static func hasSentenceEnd(_ word: UInt64) -> Bool {
        ByteWord.matches(word, 46) | ByteWord.matches(word, 33) | ByteWord.matches(word, 63) != 0
    }

    private static func span(in bytes: UnsafeBufferPointer<UInt8>, around offset: Int) -> Span {
        guard let base = UnsafeRawPointer(bytes.baseAddress) else {
            return Span(start: 0, end: 0, cutBefore: false, cutAfter: false)
        }
        func isPunctuation(_ i: Int) -> Bool { bytes[i] == 46 || bytes[i] == 33 || bytes[i] == 63 }
        // A sentence ends at `.`, `!` or `?` followed by a space or the end of the text. The text is searched eight
        // bytes at a time, words without any of the three skipped (byte by byte, this was a hundredth of a build).
        // Back: the last end before `offset` that a space follows; the sentence starts after that space.
        var end = min(offset, bytes.count) - 2
        while end >= 0 {
            if end >= 7, !hasSentenceEnd(ByteWord.load(base, end - 7)) {
                end -= 8
                continue
            }
            if isPunctuation(end), bytes[end + 1] == 32 { break }
            end -= 1
        }
        var start = end >= 0 ? end + 2 : 0
        // Forward: the first end from `offset` on.
        end = offset
        while end < bytes.count {
            if end + 8 <= bytes.count, !hasSentenceEnd(ByteWord.load(base, end)) {
                end += 8
                continue
            }
            if isPunctuation(end), end + 1 >= bytes.count || bytes[end + 1] == 32 { break }
            end += 1
        }
        end = min(bytes.count, end + 1)
        var cutBefore = false, cutAfter = false
        if offset - start > maximumLength / 2 {
            start = boundary(bytes, offset - maximumLength / 2)
            cutBefore = true
        }
        if end - start > maximumLength {
            end = boundary(bytes, start + maximumLength)
            cutAfter = true
        }
        return Span(start: start, end: end, cutBefore: cutBefore, cutAfter: cutAfter)
    }

    /// Moves an offset back to the start of a UTF-8 character.
    private static func boundary(_ bytes: UnsafeBufferPointer<UInt8>, _ offset: Int) -> Int {
        var i = max(0, min(offset, bytes.count))
        while i > 0, i < bytes.count, bytes[i] & 0xC0 == 0x80 { i -= 1 }
        return i
    }
}
