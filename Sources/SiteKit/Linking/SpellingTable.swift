/// Texts (compared as UTF-8 bytes) to numbers, for the lookups made for every reference of a book: open addressing
/// over one array of slots, each text's hash kept beside it, and the texts' bytes in one buffer, so that a lookup
/// hashes the text once and compares bytes only with a text of the same hash. (A dictionary of strings hashed every
/// reference with SipHash and read each key it compared from memory of its own: a percent of a large build.)
struct SpellingTable: Sendable {
    /// One text: its hash, where its bytes lie in `bytes`, and its number (read together, from one place in memory).
    private struct Entry {
        var hash: UInt64
        var start: Int32
        var count: Int32
        var value: Int
    }

    /// Entry number plus one by slot, 0 for an empty slot; a power of two of them, at most half full.
    private let slots: [Int32]
    private let entries: [Entry]
    private let bytes: [UInt8]

    /// A table of `entries`; a text given twice keeps its first number.
    init(_ texts: [(text: String, value: Int)]) {
        var slots = [Int32](repeating: 0, count: Self.capacity(for: texts.count))
        var entries: [Entry] = [], bytes: [UInt8] = []
        let mask = slots.count - 1
        for (text, value) in texts {
            let utf8 = Array(text.utf8)
            let hash = utf8.withUnsafeBufferPointer(Self.hash)
            var slot = Int(truncatingIfNeeded: hash) & mask
            var known = false
            while slots[slot] != 0 {
                let entry = entries[Int(slots[slot]) - 1]
                if entry.hash == hash,
                   bytes[Int(entry.start)..<Int(entry.start + entry.count)].elementsEqual(utf8) {
                    known = true
                    break
                }
                slot = (slot + 1) & mask
            }
            guard !known else { continue }
            slots[slot] = Int32(entries.count + 1)
            entries.append(Entry(hash: hash, start: Int32(bytes.count), count: Int32(utf8.count), value: value))
            bytes += utf8
        }
        (self.slots, self.entries, self.bytes) = (slots, entries, bytes)
    }

    /// The number of `text`, or nil.
    func value(for text: String) -> Int? {
        text.withUTF8Bytes { value(for: $0) }
    }

    func value(for utf8: UnsafeBufferPointer<UInt8>) -> Int? {
        let hash = Self.hash(utf8)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        return slots.withUnsafeBufferPointer { slots in
            entries.withUnsafeBufferPointer { entries in
                bytes.withUnsafeBufferPointer { bytes in
                    while slots[slot] != 0 {
                        let entry = entries[Int(slots[slot]) - 1]
                        if entry.hash == hash, Int(entry.count) == utf8.count,
                           Self.equal(bytes.baseAddress.map { $0 + Int(entry.start) }, utf8.baseAddress, utf8.count) {
                            return entry.value
                        }
                        slot = (slot + 1) & mask
                    }
                    return nil
                }
            }
        }
    }

    /// Whether `count` bytes at `a` and `b` are the same (compared eight at a time: texts are short).
    @inline(__always)
    private static func equal(_ a: UnsafePointer<UInt8>?, _ b: UnsafePointer<UInt8>?, _ count: Int) -> Bool {
        guard count > 0 else { return true }
        guard let a, let b else { return false }
        var index = 0
        while index + 8 <= count {
            if UnsafeRawPointer(a + index).loadUnaligned(as: UInt64.self)
                != UnsafeRawPointer(b + index).loadUnaligned(as: UInt64.self) { return false }
            index += 8
        }
        while index < count {
            if a[index] != b[index] { return false }
            index += 1
        }
        return true
    }

    /// At least twice `count` slots, a power of two.
    private static func capacity(for count: Int) -> Int {
        var capacity = 8
        while capacity < 2 * count { capacity *= 2 }
        return capacity
    }

    /// A hash of the bytes, eight at a time: each word is mixed in by a multiply and a fold, and the length last.
    static func hash(_ utf8: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0x243F_6A88_85A3_08D3
        var index = 0
        let count = utf8.count
        if let base = utf8.baseAddress {
            while index + 8 <= count {
                hash = mix(hash ^ UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
                index += 8
            }
            if index < count {
                var tail: UInt64 = 0
                for offset in 0..<(count - index) { tail |= UInt64(base[index + offset]) << (8 * UInt64(offset)) }
                hash = mix(hash ^ tail)
            }
        }
        return mix(hash ^ UInt64(count))
    }

    @inline(__always)
    private static func mix(_ value: UInt64) -> UInt64 {
        var mixed = value &* 0x9E37_79B9_7F4A_7C15
        mixed ^= mixed >> 32
        mixed = mixed &* 0xBF58_476D_1CE4_E5B9
        return mixed ^ (mixed >> 29)
    }
}
