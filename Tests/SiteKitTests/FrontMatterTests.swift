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
}
