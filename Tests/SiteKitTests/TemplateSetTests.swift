import Foundation
import Testing
@testable import SiteKit

/// The project's real templates: every one parses, every partial exists, and rendering a full context leaves
/// no placeholder empty that should be filled.
@Suite struct TemplateSetTests {
    static let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Templates")

    @Test func realTemplatesLoadWithoutProblems() throws {
        var log = DiagnosticLog()
        let set = try TemplateSet.load(root: Self.templates.path, displayRoot: "Templates", log: &log)
        #expect(log.all.isEmpty, "\(log.formatted)")
        for name in TemplateSet.required { #expect(set.has(name)) }
        #expect(set.assets.contains { $0.relativePath == "assets/style.css" })
    }

    @Test func unknownPartialsAreFoundWithPositions() {
        let references = TemplateSet.partialReferences(in: "a\n  {{> partials/x}} {{<base}}")
        #expect(references.map(\.name) == ["partials/x", "base"])
        #expect(references.map(\.line) == [2, 2])
        #expect(references.map(\.column) == [3, 20])
    }
}
