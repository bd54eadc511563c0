import Foundation

/// One author file read from disk: its text (BOM removed, CRLF made LF) and how to turn offsets into positions.
public struct SourceFile: Sendable {
    /// Path relative to the content folder, with `/`: `chapters/01-backdrop.md`.
    public let relativePath: String
    /// Path as printed in diagnostics (relative to the current folder where possible).
    public let displayPath: String
    /// The file's text, without a UTF-8 byte order mark and with `\n` line endings.
    public let text: String
    /// Bytes removed from the start of line 1 (3 when the file had a byte order mark), added back to columns.
    public let firstLineShift: Int

    /// Creates a source file from already decoded text.
    public init(relativePath: String, displayPath: String, text: String, firstLineShift: Int = 0) {
        self.relativePath = relativePath
        self.displayPath = displayPath
        self.text = text
        self.firstLineShift = firstLineShift
    }

    /// The same file without its text: enough for locations, once the text has been parsed.
    public var withoutText: SourceFile {
        SourceFile(relativePath: relativePath, displayPath: displayPath, text: "", firstLineShift: firstLineShift)
    }

    /// The text from 1-based line `line` on as UTF-8 bytes, ending with a newline when not empty: the body after the
    /// front-matter, copied (pages are parsed from `utf8Lines(from:)` in place; this copy is for callers that keep
    /// the body apart from the file).
    public func body(from line: Int) -> [UInt8] {
        var bytes = Array(text.utf8Lines(from: line).utf8)
        if let last = bytes.last, last != 10 { bytes.append(10) }
        return bytes
    }

    /// The location of a 1-based line and byte column of `text`, adjusted back to the file on disk.
    public func location(line: Int, column: Int? = nil) -> SourceLocation {
        SourceLocation(path: displayPath, line: line, column: column.map { line == 1 ? $0 + firstLineShift : $0 })
    }

    /// Line 1, column 1: where file-level problems (a missing key, an unused entity) are reported.
    public var start: SourceLocation { SourceLocation(path: displayPath, line: 1, column: 1) }

    /// Decodes raw bytes: strips a BOM, converts CRLF and lone CR to LF; returns the byte offset of the first invalid UTF-8 sequence on failure.
    public static func decode(_ bytes: [UInt8]) -> Result<(text: String, shift: Int), InvalidUTF8> {
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        let body = bytes[start...]
        // The standard library validates quickly; the byte-by-byte walk runs only to find where a bad file goes wrong.
        guard var text = String(validating: body, as: UTF8.self) else {
            return .failure(InvalidUTF8(byteOffset: firstInvalidUTF8Offset(body) ?? start))
        }
        // (memchr: `contains` went byte by byte, a hundredth of a large build.)
        let hasCR = body.withUnsafeBufferPointer { $0.baseAddress.map { memchr($0, 13, body.count) != nil } ?? false }
        if hasCR {
            text = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        }
        return .success((text, start))
    }

    /// The offset (from the start of `bytes`, counted in the original file) of the first invalid UTF-8 sequence.
    static func firstInvalidUTF8Offset(_ bytes: ArraySlice<UInt8>) -> Int? {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = bytes.startIndex
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                offset += UTF8.width(scalar)
            case .emptyInput:
                return nil
            case .error:
                return offset
            }
        }
    }

    /// An invalid UTF-8 sequence at a byte offset of the original file.
    public struct InvalidUTF8: Error, Equatable {
        /// Offset of the first bad byte, counted from the start of the file on disk.
        public let byteOffset: Int

        /// 1-based line and byte column of the bad byte in `bytes`.
        public func position(in bytes: [UInt8]) -> (line: Int, column: Int) {
            var line = 1
            var lineStart = 0
            for i in 0..<min(byteOffset, bytes.count) where bytes[i] == 10 {
                line += 1
                lineStart = i + 1
            }
            return (line, byteOffset - lineStart + 1)
        }
    }
}

extension String {
    /// The text from 1-based line `line` on (empty when there are fewer lines), in the string's own storage.
    func utf8Lines(from line: Int) -> Substring {
        let bytes = utf8
        var start = bytes.startIndex
        var remaining = line - 1
        while remaining > 0, start < bytes.endIndex {
            guard let newline = bytes[start...].firstIndex(of: 10) else { return self[endIndex...] }
            start = bytes.index(after: newline)
            remaining -= 1
        }
        return self[start...]
    }
}
