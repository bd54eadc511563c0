/// One problem found in the author's input, with optional notes (hints such as "did you mean").
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    /// How bad a problem is.
    public enum Severity: String, Sendable, Comparable {
        case error, warning, note

        private var rank: Int {
            switch self {
            case .error: return 0
            case .warning: return 1
            case .note: return 2
            }
        }

        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    }

    /// Where the problem is; nil for problems that concern no file.
    public var location: SourceLocation?
    /// Error, warning or note.
    public var severity: Severity
    /// What was found and what was expected: lowercase, no trailing period.
    public var message: String
    /// Hints printed on their own `note:` lines after the message, at the same location.
    public var notes: [String]

    /// Creates a diagnostic.
    public init(_ severity: Severity, _ message: String, at location: SourceLocation?, notes: [String] = []) {
        self.severity = severity
        self.message = message
        self.location = location
        self.notes = notes
    }

    /// Shorthand for an error.
    public static func error(_ message: String, at location: SourceLocation?, notes: [String] = []) -> Diagnostic {
        Diagnostic(.error, message, at: location, notes: notes)
    }

    /// Shorthand for a warning.
    public static func warning(_ message: String, at location: SourceLocation?, notes: [String] = []) -> Diagnostic {
        Diagnostic(.warning, message, at: location, notes: notes)
    }

    /// The lines a compiler would print: the message, then one `note:` line per note.
    public var lines: [String] {
        let prefix = location.map { "\($0): " } ?? "build-site: "
        return ["\(prefix)\(severity.rawValue): \(message)"] + notes.map { "\(prefix)note: \($0)" }
    }

    public var description: String { lines.joined(separator: "\n") }
}
