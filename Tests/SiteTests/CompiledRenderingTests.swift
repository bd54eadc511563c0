import Foundation
@testable import SiteKit
import Testing

/// The compiled templates render every page of the real book and of the fixture sites exactly as swift-mustache does.
@Suite struct CompiledRenderingTests {
    static let book = RealBookTests.root

    static func generate(content: URL, templates: URL, throughLibrary: Bool) throws -> [String: OutputFile.Contents] {
        var options = BuildOptions(content: content.path, contentDisplay: "Content", templates: templates.path,
                                   templatesDisplay: "Templates", output: nil)
        options.renderThroughLibrary = throughLibrary
        let generated = try SiteBuilder.generate(options)
        #expect(generated.result.succeeded)
        return Dictionary(uniqueKeysWithValues: generated.files.map { ($0.path, $0.contents) })
    }

    @Test(arguments: ["real book", "basic", "illustrated"])
    func everyPageIsTheSameAsSwiftMustacheRendersIt(site: String) throws {
        let content = site == "real book" ? Self.book.appendingPathComponent("Content") : FixtureSite(name: site).content
        let templates = Self.book.appendingPathComponent("Templates")
        var log = DiagnosticLog()
        #expect(try TemplateSet.load(root: templates.path, displayRoot: "Templates", log: &log).compiled != nil,
                "the project's templates fall back to swift-mustache")
        let compiled = try Self.generate(content: content, templates: templates, throughLibrary: false)
        let library = try Self.generate(content: content, templates: templates, throughLibrary: true)
        #expect(compiled.keys.sorted() == library.keys.sorted())
        #expect(compiled.count > 20)
        for (path, contents) in compiled.sorted(by: { $0.key < $1.key }) {
            #expect(contents == library[path], "\(path) differs")
        }
    }

    /// SPEC: front-matter keys beyond the known ones are reachable from templates, as `meta.<key>`.
    @Test func otherFrontMatterKeysReachTemplatesAsMeta() throws {
        let templates = FileManager.default.temporaryDirectory.appendingPathComponent("meta-templates-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Self.book.appendingPathComponent("Templates"), to: templates)
        defer { try? FileManager.default.removeItem(at: templates) }
        let chapter = templates.appendingPathComponent("chapter.mustache")
        let text = try String(contentsOf: chapter, encoding: .utf8)
            .replacingOccurrences(of: "<h1>{{title}}</h1>", with: "<h1>{{title}}</h1>{{#meta.custom_key}}<p class=\"custom\">{{meta.custom_key}}</p>{{/meta.custom_key}}")
        try text.write(to: chapter, atomically: true, encoding: .utf8)
        for throughLibrary in [false, true] {
            let files = try Self.generate(content: FixtureSite(name: "basic").content, templates: templates,
                                          throughLibrary: throughLibrary)
            guard let campaign = files["chapters/campaign.html"]?.text, let reforms = files["chapters/reforms.html"]?.text else {
                Issue.record("chapters missing")
                continue
            }
            #expect(campaign.contains("<p class=\"custom\">kept for templates</p>"), "through library: \(throughLibrary)")
            #expect(!reforms.contains("class=\"custom\""))
        }
    }
}
