/// Eight bytes of text read as one word, to look for a few byte values eight at a time (HTML and JSON escaping,
/// sentence ends): most words hold none of them and are skipped whole.
enum ByteWord {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// The word of the eight bytes at `offset` from `base`.
    @inline(__always)
    static func load(_ base: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
    }

    /// Nonzero when a byte of `word` is `byte` (a byte equal to it is a zero byte after an exclusive or with it
    /// repeated; zero bytes are found with the usual carry trick).
    @inline(__always)
    static func matches(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let v = word ^ (ones &* UInt64(byte))
        return (v &- ones) & ~v & highs
    }

    /// Nonzero when a byte of `word` is below `limit` (at most 128: exact for "some byte is").
    @inline(__always)
    static func below(_ word: UInt64, _ limit: UInt8) -> UInt64 {
        (word &- ones &* UInt64(limit)) & ~word & highs
    }
}

/// Numbers written as decimal digits straight into bytes (map coordinates, chapter numbers): into a small buffer from
/// the last digit, then appended at once, with no string made for them.
enum DecimalDigits {
    /// Appends `-` when `negative`, the digits of `whole`, and `.` with the digit `tenths` unless it is nil or 0.
    static func append(_ whole: UInt, negative: Bool = false, tenths: UInt? = nil, to bytes: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { digits in
            var start = 24
            if let tenths, tenths != 0 {
                start -= 2
                digits[start] = 46
                digits[start + 1] = UInt8(48 + tenths)
            }
            var rest = whole
            repeat {
                start -= 1
                digits[start] = UInt8(48 + rest % 10)
                rest /= 10
            } while rest > 0
            if negative {
                start -= 1
                digits[start] = 45
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start..<24]))
        }
    }

    /// Appends `value` in decimal.
    static func append(_ value: Int, to bytes: inout [UInt8]) {
        append(value.magnitude, negative: value < 0, to: &bytes)
    }
}
