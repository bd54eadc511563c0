#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `[[target]]` / `[[target|text]]` syntax, found inside the literal of one cmark text node.
public enum ReferenceSyntax {
    /// One `[[…]]` found in a text literal.
    public struct Match: Equatable, Sendable {
        /// What the reference points at: a slug, a name or an alias, trimmed.
        public var target: String
        /// The text to show instead of the entity's name, if given after `|`.
        public var label: String?
        /// Byte range of the whole `[[…]]` in the literal (its bytes, as written, are found in the source by them).
        public var range: Range<Int>
    }

    /// Every well-formed `[[…]]` in `text`, left to right; `[[` without a closing `]]` is left alone.
    public static func scan(_ text: String) -> [Match] {
        scan(Array(text.utf8))
    }

    /// Every well-formed `[[…]]` in UTF-8 `bytes`; ranges are byte offsets into them.
    public static func scan(_ bytes: [UInt8]) -> [Match] {
        var matches: [Match] = []
        scan(bytes, into: &matches)
        return matches
    }

    /// `scan`, appending to `matches` (a list the caller keeps from text to text).
    static func scan(_ bytes: [UInt8], into matches: inout [Match]) {
        bytes.withUnsafeBufferPointer { scan($0, into: &matches) }
    }

    /// `scan` over bytes where they lie.
    static func scan(_ buffer: UnsafeBufferPointer<UInt8>, into matches: inout [Match]) {
        guard let base = buffer.baseAddress else { return }
        let count = buffer.count
        var i = 0
        while i + 1 < count {
            // The next `[` (most of a text is not a reference: it is skipped by memchr, not byte by byte).
            guard let found = memchr(base + i, 91, count - i) else { break }
            i = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
            guard i + 1 < count, buffer[i + 1] == 91 else { i += 1; continue }
            var j = i + 2
            while j < count, buffer[j] == 91 { i += 1; j += 1 }  // `[[[x]]` links `[[x]]`
            var close: Int?
            while j + 1 < count {
                if buffer[j] == 93, buffer[j + 1] == 93 { close = j; break }
                if buffer[j] == 91, buffer[j + 1] == 91 { break }
                j += 1
            }
            guard let close else { i += 2; continue }
            // Split at the first `|` and trimmed as bytes (spaces, tabs and newlines are single bytes in UTF-8).
            let bar = buffer[(i + 2)..<close].firstIndex(of: 124)
            let target = String(decoding: buffer[(i + 2)..<(bar ?? close)].trimmingSpaceBytes, as: UTF8.self)
            let label = bar.map { String(decoding: buffer[($0 + 1)..<close].trimmingSpaceBytes, as: UTF8.self) }
            if !target.isEmpty {
                matches.append(Match(target: target, label: label?.isEmpty == true ? nil : label,
                                     range: i..<(close + 2)))
            }
            i = close + 2
        }
    }

    /// `text` with each reference replaced by what it shows before linking: its label, else its target.
    public static func displayText(of text: String) -> String {
        // Scanned where the text lies: most texts (every heading is asked) hold no reference, and are not copied.
        text.withUTF8Bytes { bytes in
            var matches: [Match] = []
            scan(bytes, into: &matches)
            guard !matches.isEmpty else { return text }
            var result: [UInt8] = []
            var last = 0
            for match in matches {
                result += bytes[last..<match.range.lowerBound]
                result += (match.label ?? match.target).utf8
                last = match.range.upperBound
            }
            result += bytes[last...]
            return String(decoding: result, as: UTF8.self)
        }
    }
}

extension StringProtocol where UTF8View: BidirectionalCollection {
    /// The text without leading and trailing spaces, tabs and newlines.
    var trimmingSpaces: String { String(decoding: utf8.trimmingSpaceBytes, as: UTF8.self) }
}

extension BidirectionalCollection where Element == UInt8 {
    /// UTF-8 text without leading and trailing spaces, tabs and newlines (single bytes in UTF-8, so trimmed as
    /// bytes rather than walked as characters).
    var trimmingSpaceBytes: SubSequence {
        func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 10 }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return self[endIndex...]
        }
        return self[first...last]
    }
}
