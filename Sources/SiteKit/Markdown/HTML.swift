/// HTML escaping for text and attribute values.
public enum HTML {
    /// Escapes `&`, `<`, `>`, `"` and `'`, so the result is safe in text and in quoted attributes.
    public static func escape(_ text: String) -> String {
        func isSpecial(_ byte: UInt8) -> Bool { byte == 38 || byte == 60 || byte == 62 || byte == 34 || byte == 39 }
        let escaped: [UInt8]? = text.withUTF8Bytes { bytes in
            guard bytes.contains(where: isSpecial) else { return nil }
            var result: [UInt8] = []
            result.reserveCapacity(bytes.count + 32)
            appendEscaped(bytes, to: &result)
            return result
        }
        return escaped.map { String(decoding: $0, as: UTF8.self) } ?? text
    }

    /// Appends `text` to `output`, escaped as `escape` does, with no string made in between.
    static func appendEscaped(_ text: String, to output: inout [UInt8]) {
        text.withUTF8Bytes { appendEscaped($0, to: &output) }
    }

    /// Appends `bytes` (UTF-8) to `output`, escaped as `escape` does: runs without a special character are copied
    /// whole, and are found eight bytes at a time (most text has no special character at all).
    static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        guard let base = bytes.baseAddress else { return }
        let count = bytes.count
        var from = 0
        var index = 0
        while index < count {
            // Skip whole words with none of the five bytes.
            while index + 8 <= count {
                if hasSpecialByte(ByteWord.load(base, index)) { break }
                index += 8
            }
            guard index < count else { break }
            let entity: StaticString
            switch base[index] {
            case 38: entity = "&amp;"
            case 60: entity = "&lt;"
            case 62: entity = "&gt;"
            case 34: entity = "&quot;"
            case 39: entity = "&#39;"
            default:
                index += 1
                continue
            }
            output.append(contentsOf: UnsafeBufferPointer(start: base + from, count: index - from))
            output.append(contentsOf: UnsafeBufferPointer(start: entity.utf8Start, count: entity.utf8CodeUnitCount))
            index += 1
            from = index
        }
        output.append(contentsOf: UnsafeBufferPointer(start: base + from, count: count - from))
    }

    /// Whether any byte of `word` is `&`, `<`, `>`, `"` or `'`.
    @inline(__always)
    private static func hasSpecialByte(_ word: UInt64) -> Bool {
        ByteWord.matches(word, 38) | ByteWord.matches(word, 60) | ByteWord.matches(word, 62)
            | ByteWord.matches(word, 34) | ByteWord.matches(word, 39) != 0
    }
}

extension String {
    /// Calls `body` with the string's UTF-8 bytes, read in place when they are stored contiguously (as a native
    /// string's are): unlike `withUTF8`, it needs no mutable copy of the string, which costs a retain and a release
    /// (on the hot paths of a build, millions of them).
    @inline(__always)
    func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return try copy.withUTF8(body)
    }
}
