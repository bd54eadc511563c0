/// HTML escaping for text and attribute values.
public enum HTML {
    /// Escapes `&`, `<`, `>`, `"` and `'`, so the result is safe in text and in quoted attributes.
    public static func escape(_ text: String) -> String {
        let escaped: [UInt8]? = text.withUTF8Bytes { bytes in
            guard let base = bytes.baseAddress, nextSpecial(base, bytes.count, from: 0) < bytes.count else {
                return nil
            }
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
    /// whole.
    static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        guard let base = bytes.baseAddress else { return }
        let count = bytes.count
        var from = 0
        var index = nextSpecial(base, count, from: 0)
        while index < count, let entity = entity(for: base[index]) {
            output.append(contentsOf: UnsafeBufferPointer(start: base + from, count: index - from))
            output.append(contentsOf: UnsafeBufferPointer(start: entity.utf8Start, count: entity.utf8CodeUnitCount))
            from = index + 1
            index = nextSpecial(base, count, from: from)
        }
        output.append(contentsOf: UnsafeBufferPointer(start: base + from, count: count - from))
    }

    /// What escaping writes for `byte`, or nil when it is written as it is.
    @inline(__always)
    private static func entity(for byte: UInt8) -> StaticString? {
        switch byte {
        case 38: return "&amp;"
        case 60: return "&lt;"
        case 62: return "&gt;"
        case 34: return "&quot;"
        case 39: return "&#39;"
        default: return nil
        }
    }

    /// The offset of the first byte from `start` on that escaping changes, or `count`: words of eight bytes with none
    /// of the five are skipped whole (most text has none at all).
    @inline(__always)
    private static func nextSpecial(_ base: UnsafePointer<UInt8>, _ count: Int, from start: Int) -> Int {
        var index = start
        while index + 8 <= count, !hasSpecialByte(ByteWord.load(base, index)) { index += 8 }
        while index < count, entity(for: base[index]) == nil { index += 1 }
        return index
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
