/// One file of the output: its path relative to the output folder and where its bytes come from.
public struct OutputFile: Sendable, Equatable {
    /// The bytes of a file.
    public enum Contents: Sendable, Equatable {
        /// Generated content: UTF-8 text, as bytes (pages are rendered straight into bytes).
        case bytes([UInt8])
        /// A file copied as it is from this absolute path.
        case copy(from: String)
        /// The file the previous build wrote at this path (this absolute path, in the current output), whose inputs
        /// have not changed since (its render key is the one recorded beside it): linked, not rendered again.
        case previous(at: String)

        /// Generated text.
        public static func text(_ text: String) -> Contents { .bytes(Array(text.utf8)) }

        /// The generated text (nil for a copied or previous file).
        public var text: String? {
            guard case .bytes(let bytes) = self else { return nil }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Path relative to the output folder, with `/`: `chapters/five-armies.html`.
    public var path: String
    /// What to write.
    public var contents: Contents
    /// For a rendered page: the hash of everything it was rendered from (`BuildSession`'s render key). The manifest
    /// records it, so that the next build run can keep the page without rendering it when the key is the same.
    public var renderKey: StableHash?

    /// Creates an output file.
    public init(path: String, contents: Contents, renderKey: StableHash? = nil) {
        self.path = path
        self.contents = contents
        self.renderKey = renderKey
    }

    /// Two files are the same when they have the same path and bytes (however their keys were computed).
    public static func == (lhs: OutputFile, rhs: OutputFile) -> Bool {
        lhs.path == rhs.path && lhs.contents == rhs.contents
    }
}
