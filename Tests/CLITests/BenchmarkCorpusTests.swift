import Foundation
import Testing

/// The benchmark's synthetic histories, written by the real `site-bench`: the build-site corpus builds without a
/// diagnostic, and the Hugo site it is compared with holds the same history, each reference as the link build-site
/// makes of it.
@Suite struct BenchmarkCorpusTests {
    static var siteBench: URL { CLITests.executable.deletingLastPathComponent().appendingPathComponent("site-bench") }

    static func generate(_ folder: URL, hugo: Bool) throws {
        let run = try CLITests.run(["generate", "--chapters", "30", "--entities", "60", folder.path] + (hugo ? ["--hugo"] : []),
                                   in: CLITests.packageRoot, via: siteBench.path)
        #expect(run.status == 0, "\(run.stderr)")
    }

    static func chapters(_ folder: URL) throws -> [String: String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".md") && $0 != "_index.md" }
        return try Dictionary(uniqueKeysWithValues: names.map {
            ($0, try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8))
        })
    }

    /// The body after the front-matter, each reference or link to an entity replaced by `REF`, and the links to other
    /// chapters and images written one way.
    static func normalized(_ text: String, hugo: Bool) -> String {
        // The `[[…]]` in code stays as it is, in both.
        let body = text.components(separatedBy: "\n---\n").dropFirst().joined(separator: "\n---\n")
            .replacing("[[not-a-reference]]", with: "CODE").replacing("[[code-block]]", with: "CODE")
        if hugo {
            return body.replacing(/\[[^\]\[]*\]\(\/(people|places|polities|events)\/[^)]*\/\)/, with: "REF")
                .replacing(/\]\(\/chapters\/([0-9a-z-]+)\/#/) { "](\($0.1).md#" }
                .replacing("](/images/", with: "](../images/")
        }
        return body.replacing(/\[\[[^\]]*\]\]/, with: "REF")
    }

    @Test func theHugoSiteHoldsTheSameHistory() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("corpus-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let ours = root.appendingPathComponent("site"), hugo = root.appendingPathComponent("hugo")
        try Self.generate(ours, hugo: false)
        try Self.generate(hugo, hugo: true)

        // Every reference of the build-site corpus resolves: no errors, no warnings.
        let check = try CLITests.run(["--content", ours.path, "--templates", CLITests.packageRoot.appendingPathComponent("Templates").path,
                                      "check", "--warnings-as-errors"], in: root)
        #expect(check.status == 0, "\(check.stderr)")

        let ourChapters = try Self.chapters(ours.appendingPathComponent("chapters"))
        let hugoChapters = try Self.chapters(hugo.appendingPathComponent("content/chapters"))
        #expect(ourChapters.count == 30)
        #expect(Set(ourChapters.keys) == Set(hugoChapters.keys))
        var links = 0
        for (name, text) in ourChapters {
            let theirs = try #require(hugoChapters[name])
            #expect(Self.normalized(text, hugo: false) == Self.normalized(theirs, hugo: true), "\(name)")
            #expect(text.split(separator: "\n").first { $0.hasPrefix("title:") } == theirs.split(separator: "\n").first { $0.hasPrefix("title:") })
            // Each link goes to an entity page Hugo has, and the chapter lists that entity as a term, for its backlinks.
            for match in theirs.matches(of: /\]\(\/(people|places|polities|events)\/([^)\/]*)\/\)/) {
                links += 1
                let folder = String(match.1), slug = String(match.2)
                #expect(FileManager.default.fileExists(atPath: hugo.appendingPathComponent("content/\(folder)/\(slug)/_index.md").path))
                #expect(FileManager.default.fileExists(atPath: ours.appendingPathComponent("\(folder)/\(slug).md").path))
                #expect(theirs.contains("\"\(slug)\""), "\(name) does not list \(slug)")
            }
        }
        #expect(links > 0)
        for file in ["config.toml", "layouts/_default/single.html", "layouts/_default/term.html", "static/images/plate.svg"] {
            #expect(FileManager.default.fileExists(atPath: hugo.appendingPathComponent(file).path), "\(file)")
        }
    }
}
