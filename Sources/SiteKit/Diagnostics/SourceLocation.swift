/// A position in an author's file: path relative to the current folder, 1-based line and UTF-8 byte column.
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Path as printed, relative to the current folder, with `/` separators.
    public var path: String
    /// 1-based line, or nil when the problem concerns the whole file.
    public var line: Int?
    /// 1-based column in UTF-8 bytes, or nil when only the line is known.
    public var column: Int?

    /// Creates a location; `line` and `column` are optional.
    public init(path: String, line: Int? = nil, column: Int? = nil) {
        self.path = path
        self.line = line
        self.column = line == nil ? nil : column
    }

    /// `path:line:col`, `path:line` or `path`.
    public var description: String {
        var text = path
        if let line { text += ":\(line)" }
        if let column { text += ":\(column)" }
        return text
    }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        if a.path != b.path { return a.path < b.path }
        if (a.line ?? 0) != (b.line ?? 0) { return (a.line ?? 0) < (b.line ?? 0) }
        return (a.column ?? 0) < (b.column ?? 0)
    }
}
