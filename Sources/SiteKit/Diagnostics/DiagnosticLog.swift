/// The problems of one build, collected from every stage; thread-confined values merged after each stage.
public struct DiagnosticLog: Sendable {
    /// Every diagnostic recorded so far, in the order recorded.
    public private(set) var all: [Diagnostic] = []

    /// An empty log.
    public init() {}

    /// Records one diagnostic.
    public mutating func add(_ diagnostic: Diagnostic) { all.append(diagnostic) }

    /// Records an error.
    public mutating func error(_ message: String, at location: SourceLocation?, notes: [String] = []) {
        add(.error(message, at: location, notes: notes))
    }

    /// Records a warning.
    public mutating func warning(_ message: String, at location: SourceLocation?, notes: [String] = []) {
        add(.warning(message, at: location, notes: notes))
    }

    /// Appends every diagnostic of another log.
    public mutating func merge(_ other: DiagnosticLog) { all.append(contentsOf: other.all) }

    /// True when at least one error was recorded.
    public var hasErrors: Bool { all.contains { $0.severity == .error } }

    /// Number of errors.
    public var errorCount: Int { all.filter { $0.severity == .error }.count }

    /// Number of warnings.
    public var warningCount: Int { all.filter { $0.severity == .warning }.count }

    /// Diagnostics sorted by path, line, column, then severity and text; duplicates removed.
    public var sorted: [Diagnostic] {
        var seen = Set<Diagnostic>()
        let unique = all.filter { seen.insert($0).inserted }
        return unique.sorted { a, b in
            switch (a.location, b.location) {
            case (nil, nil): break
            case (nil, _): return true
            case (_, nil): return false
            case let (x?, y?): if x != y { return x < y }
            }
            if a.severity != b.severity { return a.severity < b.severity }
            return a.message < b.message
        }
    }

    /// The text printed to standard error: one line per diagnostic and note.
    public var formatted: String {
        sorted.flatMap(\.lines).map { $0 + "\n" }.joined()
    }
}
