import CCmark

/// Cuts the sentence around each entity reference of a block, for backlinks.
enum Snippets {
    /// Longest snippet kept, in bytes, before it is shortened with an ellipsis.
    static let maximumLength = 280

    static func occurrences(in block: OpaquePointer,
                            entityNodes: [OpaquePointer: (key: String, location: SourceLocation)],
                            headingIndex: Int?) -> [ReferenceOccurrence] {
        var bytes: [UInt8] = []
        var marks: [(key: String, location: SourceLocation, offset: Int)] = []
        Inline.forEachDescendant(of: block) { node, _ in
            if let entity = entityNodes[node] { marks.append((entity.key, entity.location, bytes.count)) }
            switch Inline.type(node) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE: bytes += Array(Inline.literal(node).utf8)
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK: bytes.append(32)
            default: break
            }
        }
        return marks.map { mark in
            ReferenceOccurrence(key: mark.key, headingIndex: headingIndex,
                                snippet: sentence(in: bytes, around: mark.offset), location: mark.location)
        }
    }

    /// The sentence of `bytes` containing `offset`, trimmed to `maximumLength` around it.
    static func sentence(in bytes: [UInt8], around offset: Int) -> String {
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
        end = min(bytes.count, end + 1)
        var prefix = "", suffix = ""
        if offset - start > maximumLength / 2 {
            start = boundary(bytes, offset - maximumLength / 2)
            prefix = "…"
        }
        if end - start > maximumLength {
            end = boundary(bytes, start + maximumLength)
            suffix = "…"
        }
        let text = String(decoding: bytes[start..<end], as: UTF8.self).trimmingSpaces
        return prefix + text + suffix
    }

    /// Moves an offset back to the start of a UTF-8 character.
    private static func boundary(_ bytes: [UInt8], _ offset: Int) -> Int {
        var i = max(0, min(offset, bytes.count))
        while i > 0, i < bytes.count, bytes[i] & 0xC0 == 0x80 { i -= 1 }
        return i
    }
}
