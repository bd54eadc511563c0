/// A 64-bit FNV-1a hash that is the same in every run (unlike `Hasher`), for build keys and the output manifest.
public struct StableHash: Sendable, Equatable, Hashable {
    /// The hash so far.
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    /// An empty hash.
    public init() {}

    /// A hash read back (from the output manifest).
    init(value: UInt64) {
        self.value = value
    }

    /// Mixes in bytes.
    public mutating func add<C: Collection>(bytes: C) where C.Element == UInt8 {
        for byte in bytes {
            value ^= UInt64(byte)
            value = value &* 0x100_0000_01b3
        }
    }

    /// Mixes in a buffer eight bytes at a time (each word xor-multiplied as FNV does with a byte, then its high half
    /// folded down), the tail byte by byte: pages and sources are hundreds of megabytes in a large book.
    /// Buffers of 32 bytes or more are mixed in four lanes, 32 bytes at a time, which are then folded together:
    /// one chain of multiplications waited on each other (hashing every page written was 2% of a large build).
    public mutating func add(bytes buffer: UnsafeRawBufferPointer) {
        var hash = value
        var offset = 0
        let count = buffer.count
        let prime: UInt64 = 0x100_0000_01b3
        if count >= 32 {
            var a = hash, b = hash ^ 0x9E37_79B9_7F4A_7C15, c = hash ^ 0xC2B2_AE3D_27D4_EB4F, d = hash ^ 0x1656_67B1_9E37_79F9
            while offset + 32 <= count {
                a = (a ^ buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* prime
                b = (b ^ buffer.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self)) &* prime
                c = (c ^ buffer.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self)) &* prime
                d = (d ^ buffer.loadUnaligned(fromByteOffset: offset + 24, as: UInt64.self)) &* prime
                a ^= a >> 32
                b ^= b >> 32
                c ^= c >> 32
                d ^= d >> 32
                offset += 32
            }
            hash = a
            for lane in [b, c, d] {
                hash = (hash ^ lane) &* prime
                hash ^= hash >> 32
            }
        }
        while offset + 8 <= count {
            hash = (hash ^ buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0x100_0000_01b3
            hash ^= hash >> 32
            offset += 8
        }
        while offset < count {
            hash = (hash ^ UInt64(buffer[offset])) &* 0x100_0000_01b3
            offset += 1
        }
        value = hash
    }

    /// Mixes in a string and a separator, so that ("ab", "c") and ("a", "bc") differ.
    public mutating func add(_ text: String) {
        text.withUTF8Bytes { add(text: UnsafeRawBufferPointer($0)) }
    }

    /// Mixes in a text's UTF-8 bytes and the separator.
    private mutating func add(text bytes: UnsafeRawBufferPointer) {
        add(bytes: bytes)
        add(bytes: CollectionOfOne(0xFF))
    }

    /// Mixes in a number.
    public mutating func add(_ number: Int) {
        withUnsafeBytes(of: Int64(number).littleEndian) { add(bytes: $0) }
        add(bytes: CollectionOfOne(0xFE))
    }

    /// Mixes in another hash.
    public mutating func add(_ other: StableHash) {
        withUnsafeBytes(of: other.value.littleEndian) { add(bytes: $0) }
        add(bytes: CollectionOfOne(0xFF))
    }

    /// The hash of one string's UTF-8 bytes, held as bytes: the same as `of` the string.
    public static func of(utf8 bytes: [UInt8]) -> StableHash {
        var hash = StableHash()
        bytes.withUnsafeBytes { hash.add(text: $0) }
        return hash
    }

    /// The hash of one string.
    public static func of(_ text: String) -> StableHash {
        var hash = StableHash()
        hash.add(text)
        return hash
    }
}
