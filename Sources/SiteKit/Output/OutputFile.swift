/// One file of the output: its path relative to the output folder and where its bytes come from.
public struct OutputFile: Sendable, Equatable {
    /// The bytes of a file.
    public enum Contents: Sendable, Equatable {
        /// Generated content: UTF-8 text, as bytes (pages are rendered straight into bytes).
        case bytes([UInt8])
        /// A file copied as it is from this absolute path.
        case copy(from: String)

        /// Generated text.
        public static func text(_ text: String) -> Contents { .bytes(Array(text.utf8)) }

        /// The generated text (nil for a copied file).
        public var text: String? {
            guard case .bytes(let bytes) = self else { return nil }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Path relative to the output folder, with `/`: `chapters/five-armies.html`.
    public var path: String
    /// What to write.
    public var contents: Contents

    /// Creates an output file.
    public init(path: String, contents: Contents) {
        self.path = path
        self.contents = contents
    }
}
