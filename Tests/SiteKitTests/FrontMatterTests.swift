import Testing
@testable import SiteKit

@Suite struct FrontMatterTests {
    private func parse(_ text: String) -> (FrontMatterParser.Parsed?, [String]) {
        var log = DiagnosticLog()
        let parsed = FrontMatterParser.parse(source(text), log: &log)
        return (parsed, log.sorted.flatMap(\.lines))
    }

    @Test func splitsFrontMatterAndBodyAndKeepsKeyLines() throws {
        let (parsed, problems) = parse("---\ntitle: One\nperiod: \"1081\"\n---\nBody line\n")
        let front = try #require(parsed)
        #expect(problems.isEmpty)
        #expect(front.fields.map(\.key) == ["title", "period"])
        #expect(front.fields[1].keyLocation == SourceLocation(path: "Content/chapters/01-test.md", line: 3, column: 1))
        #expect(front.fields[1].value.location.column == 9)
        #expect(front.body == "Body line\n")
        #expect(front.bodyStartLine == 5)
    }

    @Test func unclosedFrontMatterIsAnErrorOnLineOne() {
        let (_, problems) = parse("---\ntitle: x\nbody\n")
        #expect(problems == ["Content/chapters/01-test.md:1:1: error: unclosed front-matter: no closing '---' line after the opening one on line 1"])
    }

    @Test func missingFrontMatterAndEmptyFile() {
        #expect(parse("# Title\n").1 == ["Content/chapters/01-test.md:1:1: error: missing front-matter: expected '---' on the first line, found '# Title'"])
        #expect(parse("").1 == ["Content/chapters/01-test.md:1:1: error: empty file: expected front-matter between '---' lines"])
        #expect(parse("---\n").1 == ["Content/chapters/01-test.md:1:1: error: unclosed front-matter: no closing '---' line after the opening one on line 1"])
    }

    @Test func invalidYAMLPointsIntoTheFile() {
        let (_, problems) = parse("---\ntitle: a\n  bad: indentation: here\n---\n")
        #expect(problems.count == 1)
        #expect(problems[0].hasPrefix("Content/chapters/01-test.md:3:"))
        #expect(problems[0].contains("error: invalid YAML in front-matter: mapping values are not allowed in this context"))
    }

    @Test func columnsAreUTF8BytesAfterHanCharacters() {
        let (parsed, _) = parse("---\nchinese: 王安石\nname: [a, b]\n---\n")
        let fields = parsed?.fields ?? []
        #expect(fields.last?.value.location.column == 7)
        let (_, problems) = parse("---\ntitle: 王安石: x\n---\n")
        #expect(problems.first?.hasPrefix("Content/chapters/01-test.md:2:") == true)
    }

    @Test func nonMappingFrontMatterIsRefused() {
        #expect(parse("---\n- a\n---\n").1 == ["Content/chapters/01-test.md:2:1: error: front-matter must be a mapping of keys to values, found a list"])
        #expect(parse("---\njust text\n---\n").1 == ["Content/chapters/01-test.md:2:1: error: front-matter must be a mapping of keys to values, found a string"])
    }

    @Test func duplicateKeyIsReportedAtTheRepeat() {
        #expect(parse("---\ntitle: a\nsummary: s\ntitle: b\n---\n").1 == ["Content/chapters/01-test.md:4:1: error: duplicate key 'title' in front-matter"])
    }

    @Test func valuesKeepTheirYAMLTypesAndKeysAreComparedAsText() throws {
        // Keys are looked up by their text, so `1` and `"1"` are the same key; values get the default YAML types.
        let (parsed, problems) = parse("---\ntitle: T\nyear: 1081\nshare: 0.5\nfinal: yes\nnone: ~\nname: \"1082\"\n1: a\n\"1\": b\n---\n")
        #expect(problems == ["Content/chapters/01-test.md:9:1: error: duplicate key '1' in front-matter"])
        #expect(parsed == nil)
        let (typed, none) = parse("---\ntitle: T\nyear: 1081\nshare: 0.5\nfinal: yes\nnone: ~\nname: \"1082\"\n---\n")
        #expect(none.isEmpty)
        let types = try #require(typed).fields.map { entry -> String in
            guard case .scalar(_, let type) = entry.value.kind else { return "other" }
            return "\(entry.key)=\(type)"
        }
        #expect(types == ["title=string", "year=int", "share=float", "final=bool", "none=null", "name=string"])
    }

    /// Plain scalars get YAML's default types, whatever their first character (most are told apart by it alone).
    @Test func plainScalarsGetTheDefaultTypes() throws {
        let cases: [(String, String)] = [
            ("Ostrich", "string"), ("yesterday", "string"), ("onion", "string"), ("Title", "string"), ("王安石", "string"),
            ("<<", "string"), ("=", "string"), ("2024-01-01", "string"), ("x1", "string"), ("-x", "string"),
            ("yes", "bool"), ("No", "bool"), ("On", "bool"), ("OFF", "bool"), ("true", "bool"), ("False", "bool"),
            ("0x1F", "int"), ("0o17", "int"), ("-12", "int"), ("+3", "int"), ("1_000", "int"), ("1:30", "int"),
            (".5", "float"), ("1e3", "float"), ("-.inf", "float"), (".NaN", "float"), ("2.5", "float"),
            ("~", "null"), ("null", "null"), ("Null", "null"), ("", "null"),
            ("1081", "int"), ("0", "int"), ("017", "int"), ("089", "float"), ("-0", "int"), ("22.74", "float"),
            ("-109.4", "float"), ("1.", "float"), ("1.2.3", "string"), ("12a", "string"), ("+", "string"), ("!!str 1081", "string"), ("!!int \"12\"", "int"),
            ("\"1081\"", "string"), ("'yes'", "string"),
        ]
        let yaml = cases.enumerated().map { "k\($0.offset): \($0.element.0)" }.joined(separator: "\n")
        let (parsed, problems) = parse("---\ntitle: T\n\(yaml)\n---\n")
        #expect(problems.isEmpty)
        let types = try #require(parsed).fields.dropFirst().map { entry -> String in
            guard case .scalar(_, let type) = entry.value.kind else { return "other" }
            return "\(type)"
        }
        #expect(types == cases.map(\.1))
    }

    /// Composed as Yams composes: an alias stands for its anchor's node, a second document or an undefined alias is
    /// refused, and a repeated key is found in nested and flow mappings too, at the repeat.
    @Test func aliasesDocumentsAndNestedDuplicates() throws {
        let (parsed, problems) = parse("---\ntitle: &t The title\nsummary: *t\nfacts: &f [a, b]\nmore: *f\n---\n")
        #expect(problems.isEmpty)
        let fields = try #require(parsed).fields
        #expect(fields[1].value.text == "The title")
        #expect(fields[1].value.location == fields[0].value.location)
        #expect(fields[3].value.sequence?.compactMap(\.text) == ["a", "b"])
        #expect(parse("---\ntitle: *nowhere\n---\n").1
            == ["Content/chapters/01-test.md:2:8: error: invalid YAML in front-matter: found undefined alias"])
        #expect(parse("---\ntitle: {a: 1, b: 2, a: 3}\n---\n").1
            == ["Content/chapters/01-test.md:2:21: error: duplicate key 'a' in front-matter"])
        #expect(parse("---\nreign:\n  from: 1\n  to: 2\n  from: 3\n---\n").1
            == ["Content/chapters/01-test.md:5:3: error: duplicate key 'from' in front-matter"])
        // Of two repeated keys the first in text order is named.
        #expect(parse("---\nz: 1\nb: 1\nz: 2\nb: 2\n---\n").1
            == ["Content/chapters/01-test.md:5:1: error: duplicate key 'b' in front-matter"])
        #expect(parse("---\n!!str 7: a\n7: b\n---\n").1 == ["Content/chapters/01-test.md:3:1: error: duplicate key '7' in front-matter"])
        #expect(parse("---\n!!int 7: a\n7: b\n---\n").1.isEmpty)
        #expect(parse("---\n---\nbody\n").0?.fields.isEmpty == true)
    }

    @Test func aYAMLFileHoldsOneDocument() {
        var log = DiagnosticLog()
        let file = SourceFile(relativePath: "site.yaml", displayPath: "Content/site.yaml", text: "title: A\n---\ntitle: B\n")
        #expect(YAMLFile.parse(file, log: &log) == nil)
        #expect(log.sorted.flatMap(\.lines)
            == ["Content/site.yaml:2:1: error: invalid YAML in front-matter: but found another document (expected a single document in the stream)"])
        var empty = DiagnosticLog()
        let blank = SourceFile(relativePath: "site.yaml", displayPath: "Content/site.yaml", text: "")
        guard case .empty? = YAMLFile.parse(blank, log: &empty) else {
            Issue.record("an empty file is an empty document")
            return
        }
    }
}
