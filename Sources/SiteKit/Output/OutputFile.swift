/// One file of the output: its path relative to the output folder and where its bytes come from.
public struct OutputFile: Sendable, Equatable {
    /// The bytes of a file.
    public enum Contents: Sendable, Equatable {
        /// Generated text, written as UTF-8.
        case text(String)
        /// A file copied as it is from this absolute path.
        case copy(from: String)
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
