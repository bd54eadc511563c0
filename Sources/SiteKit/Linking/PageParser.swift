/// The parse stage for one file: front-matter into typed fields, body into a cmark tree. Pure; runs in parallel.
public enum PageParser {
    /// Parses a chapter (`kind == nil`) or an entity file; nil when it cannot become a page. With `bodyLater`, only
    /// the front-matter is read now: the body is parsed by `MarkdownDocument.parseBody()` when the page is linked.
    /// Without `pageKeepsText`, the page's `file` has no text: the document alone holds it (and may let it go once the
    /// page is linked: `MarkdownDocument.dropSourceText`).
    public static func parse(_ file: SourceFile, kind: EntityKind?, bodyLater: Bool = false, pageKeepsText: Bool = true,
                             log: inout DiagnosticLog) -> Page? {
        guard let parsed = FrontMatterParser.parse(file, log: &log) else { return nil }
        var reader = FieldReader(fields: parsed.fields, file: file)
        defer { log.merge(reader.log) }
        // The file name without its folder and `.md`, cut among the bytes (split into characters, the paths of a
        // large book were a few tens of milliseconds).
        let path = file.relativePath.utf8
        let nameStart = path.lastIndex(of: UInt8(ascii: "/")).map(path.index(after:)) ?? path.startIndex
        let nameEnd = path.index(path.endIndex, offsetBy: -3, limitedBy: nameStart) ?? nameStart
        let stem = String(file.relativePath[nameStart..<nameEnd])
        let prefix = kind == nil ? Self.orderPrefix(of: stem) : nil
        var slug = prefix.map { String(stem.dropFirst($0.length)) } ?? stem
        if let custom = reader.string("slug") {
            slug = custom
        }
        if !Self.isValidSlug(slug) {
            let at = reader.value("slug")?.location ?? file.start
            let reason = reservedNames.contains(slug.uppercased())
                ? "'\(slug)' is a reserved file name on Windows"
                : "use letters, digits, '-' and '_' only, starting with a letter or digit"
            reader.log.error("invalid slug '\(slug.replacingOccurrences(of: "\0", with: "\\0"))': \(reason)", at: at)
            return nil
        }
        let titleKey = kind == nil ? "title" : "name"
        let title = reader.string(titleKey, required: true, missingAt: parsed.location)
        let summary = reader.string("summary")
        // The body is taken from the file's text in one copy, now or when the page is linked.
        let document = MarkdownDocument(parsingLater: parsed.bodyStartLine, file: file)
        if !bodyLater { document.parseBody() }
        var page = Page(id: PageID(folder: kind?.folder ?? "chapters", slug: slug), kind: kind,
                        file: pageKeepsText ? file : file.withoutText,
                        fields: parsed.fields, title: title ?? slug, summary: summary, order: nil, period: nil,
                        aliases: [], chinese: nil, facts: [], coordinates: nil, document: document)
        page.textHash = StableHash.of(file.displayPath)
        page.textHash.add(file.text)
        page.frontMatterHash = StableHash.of(String(Self.frontMatterText(file.text, bodyStartLine: parsed.bodyStartLine)))
        if kind == nil {
            page.order = reader.int("order") ?? prefix?.number
            page.period = reader.string("period")
        } else {
            page.aliases = reader.strings("aliases")
            page.chinese = reader.string("chinese")
            page.coordinates = reader.coordinates("coordinates")
            page.facts = Self.facts(&reader, coordinates: page.coordinates)
        }
        return page
    }

    /// The text of the lines before the body.
    static func frontMatterText(_ text: String, bodyStartLine: Int) -> Substring {
        text[..<text.utf8Lines(from: bodyStartLine).startIndex]
    }

    /// `01-` in `01-backdrop`: the number and the length of the prefix.
    static func orderPrefix(of stem: String) -> (number: Int, length: Int)? {
        let bytes = stem.utf8
        let digits = bytes.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }.count
        let rest = bytes.dropFirst(digits)
        guard digits > 0, rest.first == UInt8(ascii: "-"), rest.count > 1,
              let number = Int(stem[..<bytes.index(bytes.startIndex, offsetBy: digits)]) else { return nil }
        return (number, digits + 1)
    }

    /// Slugs become file names: ASCII letters, digits, `-` and `_`, starting with a letter or digit.
    static func isValidSlug(_ slug: String) -> Bool {
        guard let first = slug.unicodeScalars.first, first.isASCIIAlphanumeric else { return false }
        guard !reservedNames.contains(slug.uppercased()) else { return false }
        return slug.count <= 120 && slug.unicodeScalars.allSatisfy { $0.isASCIIAlphanumeric || $0 == "-" || $0 == "_" }
    }

    /// Names Windows cannot use for files, whatever the extension.
    static let reservedNames: Set<String> = Set(["CON", "PRN", "AUX", "NUL"] + (1...9).flatMap { ["COM\($0)", "LPT\($0)"] })

    private static func facts(_ reader: inout FieldReader, coordinates: Coordinates?) -> [Fact] {
        var facts: [Fact] = []
        func year(_ value: Int) -> String { value < 0 ? "\(-value) BCE" : "\(value)" }
        let born = reader.int("born"), died = reader.int("died")
        if let born { facts.append(Fact(label: "Born", value: year(born))) }
        if let died { facts.append(Fact(label: "Died", value: year(died))) }
        if let role = reader.string("role") { facts.append(Fact(label: "Role", value: role)) }
        if let office = reader.string("office") { facts.append(Fact(label: "Office", value: office)) }
        if let reign = reader.value("reign") {
            if let years = reign.sequence, years.count == 2, let from = years[0].int, let to = years[1].int {
                facts.append(Fact(label: "Reigned", value: "\(year(from))–\(year(to))"))
            } else {
                reader.log.error("'reign' must be [first year, last year], found \(reign.shapeDescription)",
                                 at: reign.location)
            }
        }
        if let founded = reader.int("founded") { facts.append(Fact(label: "Founded", value: year(founded))) }
        if let ended = reader.int("ended") { facts.append(Fact(label: "Ended", value: year(ended))) }
        if let date = reader.string("date") {
            let end = reader.string("end")
            facts.append(Fact(label: "Date", value: end.map { "\(date)–\($0)" } ?? date))
        }
        if let coordinates { facts.append(Fact(label: "Coordinates", value: coordinates.formatted)) }
        if let modern = reader.string("modern") { facts.append(Fact(label: "Today", value: modern)) }
        return facts
    }
}

extension Unicode.Scalar {
    var isASCIIAlphanumeric: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self) || ("0"..."9").contains(self)
    }
}
