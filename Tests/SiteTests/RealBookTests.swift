import Foundation
import SiteKit
import Testing

/// The real book in Content/: it builds with no error and no warning, every entity is referred to by a chapter,
/// and every chapter links to another chapter.
@Suite struct RealBookTests {
    static let root = FixtureSite.fixtures.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func build() throws -> (BuildResult, [String: Data]) {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("real-book-\(UUID().uuidString)/Public")
        defer { try? FileManager.default.removeItem(at: output.deletingLastPathComponent()) }
        let options = BuildOptions(content: root.appendingPathComponent("Content").path, contentDisplay: "Content",
                                   templates: root.appendingPathComponent("Templates").path, templatesDisplay: "Templates",
                                   output: output.path)
        let result = try SiteBuilder.build(options)
        return (result, FixtureSite.readTree(output))
    }

    @Test func buildsWithoutErrorsOrWarnings() throws {
        let (result, files) = try Self.build()
        #expect(result.succeeded)
        #expect(result.diagnostics.formatted == "")
        #expect(files["index.html"] != nil)
    }

    @Test func everyEntityIsReferredToByAChapter() throws {
        let (_, files) = try Self.build()
        let entityPages = files.keys.filter { !$0.hasPrefix("chapters/") && !$0.hasPrefix("assets/") && $0.hasSuffix(".html")
            && $0.contains("/") && !$0.hasSuffix("/index.html") }
        #expect(entityPages.count > 60)
        for path in entityPages.sorted() {
            let html = String(decoding: files[path]!, as: UTF8.self)
            #expect(html.contains("class=\"backlink-chapter\""), "\(path) has no backlinks")
        }
    }

    @Test func everyChapterLinksToAnotherChapter() throws {
        let chapters = Self.root.appendingPathComponent("Content/chapters")
        let names = try FileManager.default.contentsOfDirectory(atPath: chapters.path).filter { $0.hasSuffix(".md") }
        #expect(names.count >= 6)
        for name in names {
            let text = try String(contentsOf: chapters.appendingPathComponent(name), encoding: .utf8)
            let others = names.filter { $0 != name }
            #expect(others.contains { text.contains("](\($0)") }, "\(name) links to no other chapter")
        }
    }
}
