/// Splits a file into YAML front-matter and Markdown body and reads the YAML (libyaml's events, Yams' resolver:
/// `YAMLReader`), keeping positions.
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
        let converter = MarkConverter(file: file, lines: yamlLines, firstLine: 2)
        // The YAML is read where it lies in the file: the lines between the delimiters, each with its newline.
        let yamlStart = closing > 1 ? utf8.distance(from: utf8.startIndex, to: lines[1].startIndex) : 0
        let yamlEnd = closing > 1 ? utf8.distance(from: utf8.startIndex, to: lines[closing].startIndex) : 0
        let root: YAMLValue?
        switch YAMLReader.read(text, bytes: yamlStart..<yamlEnd, converter: converter) {
        case .success(let value): root = value
        case .failure(let failure):
            log.add(converter.diagnostic(for: failure))
            return nil
        }
        let fields: [YAMLValue.Entry]
        if let value = root {
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

/// A whole file of YAML (site.yaml, map data) read into positioned values.
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
        switch YAMLReader.read(file.text, converter: converter) {
        case .success(let root?): return .document(root)
        case .success(nil): return .empty
        case .failure(let failure):
            log.add(converter.diagnostic(for: failure))
            return nil
        }
    }
}

/// Turns libyaml's marks (line within the YAML, column in Unicode scalars) into file positions in UTF-8 bytes.
struct MarkConverter {
    let file: SourceFile
    let lines: [Substring]
    let firstLine: Int

    func location(_ mark: YAMLReader.Mark) -> SourceLocation {
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

    func diagnostic(for failure: YAMLReader.Failure) -> Diagnostic {
        switch failure {
        case let .syntax(problem, mark, context, contextMark):
            let contextText = context.map { " (\($0))" } ?? ""
            // A problem found only at the end of the YAML is better shown where the unfinished construct began.
            let at = mark.line > lines.count ? (contextMark ?? mark) : mark
            return .error("invalid YAML in front-matter: \(problem)\(contextText)", at: location(at))
        case let .reader(problem):
            return .error("invalid YAML in front-matter: \(problem)", at: file.location(line: firstLine, column: 1))
        case let .duplicateKey(key, _, repeated):
            return .error("duplicate key '\(key)' in front-matter", at: location(repeated))
        case .memory:
            return .error("invalid YAML in front-matter: out of memory", at: file.location(line: firstLine, column: 1))
        }
    }
}
