import Yams

/// Splits a file into YAML front-matter and Markdown body and parses the YAML with Yams, keeping positions.
public enum FrontMatterParser {
    /// A file cut in two at its front-matter delimiters.
    public struct Parsed: Sendable {
        /// The top-level mapping of the front-matter.
        public var fields: [YAMLValue.Entry]
        /// Where the opening `---` is.
        public var location: SourceLocation
        /// The 1-based line of the file on which `body` starts.
        public var bodyStartLine: Int
        /// The file parsed.
        let file: SourceFile

        /// The Markdown after the closing delimiter, ending with a newline when not empty (copied when asked for: a
        /// build that parses bodies later does not need it now).
        public var body: String { String(decoding: file.body(from: bodyStartLine), as: UTF8.self) }
    }

    /// Yams' node tree of `yaml`. The encoding is given (Yams' default reads the whole environment on every parse), and
    /// the parser's resolver is the basic one: it resolves only mapping keys, when checking them for duplicates, where
    /// the default one ran regular expressions on each (2% of a large build). Value types are still resolved by
    /// `MarkConverter` with the default rules. Keys are compared as text: `1` and `"1"` are one key twice, as they are
    /// for every reader of front-matter, which looks keys up by their text.
    static func compose(_ yaml: String) throws -> Node? {
        try Yams.compose(yaml: yaml, .basic, constructor, .utf8)
    }

    /// Yams' default constructor, made once (`Constructor.default` builds its tables again on every call). Composing
    /// only keeps a reference to it in the nodes' tags; it is never changed, so every thread can share it.
    nonisolated(unsafe) private static let constructor = Constructor.default

    /// Splits and parses `file`; on failure records diagnostics and returns nil.
    public static func parse(_ file: SourceFile, log: inout DiagnosticLog) -> Parsed? {
        // Lines are found over UTF-8 bytes, and only up to the closing delimiter: splitting the whole file into
        // `Character`s was measured at 7% of a 10,000-chapter build.
        let text = file.text
        let utf8 = text.utf8
        var lines: [Substring] = []
        var start = utf8.startIndex
        var closing: Int?
        while start < utf8.endIndex {
            let end = utf8[start...].firstIndex(of: 10) ?? utf8.endIndex
            let line = text[start..<end]
            lines.append(line)
            start = end < utf8.endIndex ? utf8.index(after: end) : end
            if lines.count == 1 {
                guard isDelimiter(line, allowDots: false) else {
                    log.error("missing front-matter: expected '---' on the first line, found '\(line.prefix(40))'",
                              at: file.start)
                    return nil
                }
            } else if isDelimiter(line, allowDots: true) {
                closing = lines.count - 1
                break
            }
        }
        guard !lines.isEmpty else {
            log.error("empty file: expected front-matter between '---' lines", at: file.start)
            return nil
        }
        guard let closing else {
            log.error("unclosed front-matter: no closing '---' line after the opening one on line 1",
                      at: file.start)
            return nil
        }
        let yamlLines = Array(lines[1..<closing])
        let yaml = yamlLines.joined(separator: "\n") + "\n"
        let converter = MarkConverter(file: file, lines: yamlLines, firstLine: 2)
        let root: Node?
        do {
            root = try compose(yaml)
        } catch {
            log.add(converter.diagnostic(for: error))
            return nil
        }
        let fields: [YAMLValue.Entry]
        if let root {
            let value = converter.convert(root)
            guard let mapping = value.mapping else {
                log.error("front-matter must be a mapping of keys to values, found \(value.shapeDescription)",
                          at: value.location)
                return nil
            }
            fields = mapping
        } else {
            fields = []
        }
        return Parsed(fields: fields, location: file.start, bodyStartLine: closing + 2, file: file)
    }

    private static func isDelimiter(_ line: Substring, allowDots: Bool) -> Bool {
        var trimmed = line
        while let last = trimmed.last, last == " " || last == "\t" { trimmed.removeLast() }
        return trimmed == "---" || (allowDots && trimmed == "...")
    }
}

/// A whole file of YAML (site.yaml, map data) read with Yams into positioned values.
enum YAMLFile {
    /// What a file held.
    enum Contents {
        case empty
        case document(YAMLValue)
    }

    /// Parses `file`; nil (with a diagnostic) when the YAML is invalid.
    static func parse(_ file: SourceFile, log: inout DiagnosticLog) -> Contents? {
        var lines = file.text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        let converter = MarkConverter(file: file, lines: lines, firstLine: 1)
        do {
            guard let root = try FrontMatterParser.compose(file.text) else { return .empty }
            return .document(converter.convert(root))
        } catch {
            log.add(converter.diagnostic(for: error))
            return nil
        }
    }
}

/// Turns Yams marks (line within the YAML, column in Unicode scalars) into file positions in UTF-8 bytes.
struct MarkConverter {
    let file: SourceFile
    let lines: [Substring]
    let firstLine: Int

    func location(_ mark: Mark?) -> SourceLocation {
        guard let mark else { return file.location(line: firstLine) }
        let index = mark.line - 1
        guard index >= 0, index < lines.count else {
            return file.location(line: firstLine + max(0, min(index, lines.count)), column: 1)
        }
        let scalars = lines[index].unicodeScalars
        var bytes = 0
        var count = 0
        for scalar in scalars {
            if count >= mark.column - 1 { break }
            bytes += UTF8.width(scalar)
            count += 1
        }
        return file.location(line: firstLine + index, column: bytes + 1)
    }

    func convert(_ node: Node) -> YAMLValue {
        // Each node's payload is taken out once (a Yams node copied is a retain of each of its parts and a copy of
        // a weak reference: asking a node for its mark, text and type one after another copied it each time).
        switch node {
        case .scalar(let scalar):
            return YAMLValue(.scalar(scalar.string, scalarType(scalar, of: node)), at: location(scalar.mark))
        case .sequence(let sequence):
            return YAMLValue(.sequence(sequence.map(convert)), at: location(sequence.mark))
        case .mapping(let mapping):
            let entries = mapping.map { pair in
                let key: (text: String, mark: Mark?)
                if case .scalar(let scalar) = pair.key {
                    key = (scalar.string, scalar.mark)
                } else {
                    key = (pair.key.string ?? "", pair.key.mark)
                }
                return YAMLValue.Entry(key: key.text, keyLocation: self.location(key.mark), value: convert(pair.value))
            }
            return YAMLValue(.mapping(entries), at: location(mapping.mark))
        case .alias(let alias):
            return YAMLValue(.scalar("", .null), at: self.location(alias.mark))
        }
    }

    private func scalarType(_ scalar: Node.Scalar, of node: Node) -> YAMLValue.ScalarType {
        // A plain scalar that starts with none of the characters a boolean, number or null can start with is a
        // string: told without Yams' regular expressions (run on every title and summary, they were a few percent
        // of reading a large book).
        if scalar.tag.rawValue.isEmpty, let first = scalar.string.utf8.first, !Self.typedStarts.contains(first) {
            return .string
        }
        switch Resolver.default.resolveTag(of: node).rawValue {
        case Tag.Name.int.rawValue: return .int
        case Tag.Name.float.rawValue: return .float
        case Tag.Name.bool.rawValue: return .bool
        case Tag.Name.null.rawValue: return .null
        default: return .string
        }
    }

    /// The first bytes of every scalar Yams' default rules read as a boolean, integer, float or null.
    private static let typedStarts = Set("0123456789+-.~yYnNtTfFoO".utf8)

    func diagnostic(for error: Error) -> Diagnostic {
        guard let yamlError = error as? YamlError else {
            return .error("invalid YAML in front-matter: \(error)", at: file.location(line: firstLine, column: 1))
        }
        switch yamlError {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let contextText = context.map { " (\($0.text))" } ?? ""
            // A problem found only at the end of the YAML is better shown where the unfinished construct began.
            let at = mark.line > lines.count ? (context?.mark ?? mark) : mark
            return .error("invalid YAML in front-matter: \(problem)\(contextText)", at: location(at))
        case let .reader(problem, _, _, _):
            return .error("invalid YAML in front-matter: \(problem)", at: file.location(line: firstLine, column: 1))
        case let .duplicatedKeysInMapping(duplicates, context):
            let key = duplicates.first ?? ""
            return .error("duplicate key '\(key)' in front-matter", at: secondOccurrence(of: key, after: context.mark))
        default:
            return .error("invalid YAML in front-matter: \(yamlError)", at: file.location(line: firstLine, column: 1))
        }
    }

    /// Yams reports a duplicate at its first occurrence; authors need the repeated one.
    private func secondOccurrence(of key: String, after mark: Mark) -> SourceLocation {
        let indent = mark.column - 1
        for index in mark.line..<lines.count {
            let line = lines[index]
            let leading = line.prefix(while: { $0 == " " }).count
            guard leading == indent else { continue }
            let rest = line.dropFirst(indent)
            for candidate in [key, "\"\(key)\"", "'\(key)'"] where rest.hasPrefix(candidate + ":") {
                return file.location(line: firstLine + index, column: indent + 1)
            }
        }
        return location(mark)
    }
}
