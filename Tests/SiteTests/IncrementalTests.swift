import Foundation
@testable import SiteKit
import Testing

/// A build session rebuilds only what changed, and its result is byte for byte the result of a clean build,
/// through edits, additions, renames and deletions of chapters and entities.
@Suite struct IncrementalTests {
    /// A scratch copy of the `illustrated` fixture.
    static func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("incremental-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: FixtureSite(name: "illustrated").content, to: folder)
        return folder
    }

    static func options(_ content: URL) -> BuildOptions {
        BuildOptions(content: content.path, contentDisplay: "Content", templates: RealTemplateTests.templates.path,
                     templatesDisplay: "Templates", output: nil)
    }

    static func files(_ generated: SiteBuilder.Generated) -> [String: OutputFile.Contents] {
        Dictionary(uniqueKeysWithValues: generated.files.map { ($0.path, $0.contents) })
    }

    /// Rebuilds with the session and checks the result against a clean build.
    static func rebuildMatchesClean(_ session: BuildSession, _ content: URL, step: String = "") throws -> BuildSession.Outcome {
        let outcome = try session.generate()
        let clean = try SiteBuilder.generate(options(content))
        #expect(outcome.generated.result.diagnostics.formatted == clean.result.diagnostics.formatted)
        let (a, b) = (files(outcome.generated), files(clean))
        #expect(Set(a.keys) == Set(b.keys))
        for (path, contents) in b where a[path] != contents {
            Issue.record("\(path) differs from a clean build \(step)")
            if case .text(let x)? = a[path], case .text(let y) = contents {
                let (l1, l2) = (x.split(separator: "\n"), y.split(separator: "\n"))
                for (u, v) in zip(l1, l2) where u != v { Issue.record("incremental: \(u.prefix(300))\nclean:       \(v.prefix(300))"); break }
            }
        }
        return outcome
    }

    static func write(_ text: String, _ path: String, in content: URL) throws {
        // A new modification time even within the same clock tick: the size changes or the text does.
        try text.write(to: content.appendingPathComponent(path), atomically: true, encoding: .utf8)
    }

    @Test func editingAChapterBodyRelinksOnlyThatChapter() throws {
        let content = try Self.scratch()
        let session = BuildSession(options: Self.options(content))
        let first = try session.generate()
        #expect(first.generated.result.succeeded)
        #expect(first.changed.count == first.generated.files.count)
        let path = "chapters/02-east.md"
        let text = try String(contentsOf: content.appendingPathComponent(path), encoding: .utf8)
        try Self.write(text.replacingOccurrences(of: "The court fled [[Kaifeng]].", with: "The court fled [[Kaifeng]] in haste, and [[Li Xian]] was long dead."), path, in: content)
        let second = try Self.rebuildMatchesClean(session, content)
        #expect(second.relinked == 1)
        #expect(second.changed.contains("chapters/east.html"))
        #expect(second.changed.contains("people/li-xian.html"), "Li Xian's backlinks changed")
        #expect(!second.changed.contains("chapters/west.html"))
        #expect(!second.changed.contains("places/lanzhou.html"))
        #expect(second.rerendered < second.generated.files.count / 2)
        let third = try session.generate()
        #expect(third.changed.isEmpty)
        #expect(third.relinked == 0)
    }

    @Test func addingRenamingAndDeletingChaptersMatchesACleanBuild() throws {
        let content = try Self.scratch()
        let session = BuildSession(options: Self.options(content))
        _ = try session.generate()
        try Self.write("---\ntitle: Middle\nperiod: \"1100\"\n---\n## Between\n\n[[Lanzhou]] again, see [the west](01-west.md).\n",
                       "chapters/01a-middle.md", in: content)
        let added = try Self.rebuildMatchesClean(session, content)
        #expect(added.changed.contains("chapters/01a-middle.html"))
        try FileManager.default.moveItem(at: content.appendingPathComponent("chapters/01a-middle.md"),
                                         to: content.appendingPathComponent("chapters/03-later.md"))
        let renamed = try Self.rebuildMatchesClean(session, content)
        #expect(renamed.removed == ["chapters/01a-middle.html"])
        try FileManager.default.removeItem(at: content.appendingPathComponent("chapters/03-later.md"))
        let deleted = try Self.rebuildMatchesClean(session, content)
        #expect(deleted.removed == ["chapters/later.html"])
    }

    @Test func editingAddingAndDeletingEntitiesMatchesACleanBuild() throws {
        let content = try Self.scratch()
        let session = BuildSession(options: Self.options(content))
        _ = try session.generate()
        let lanzhou = try String(contentsOf: content.appendingPathComponent("places/lanzhou.md"), encoding: .utf8)
        try Self.write(lanzhou.replacingOccurrences(of: "name: Lanzhou", with: "name: Lanzhou Prefecture\naliases: [Lanzhou]"),
                       "places/lanzhou.md", in: content)
        let renamed = try Self.rebuildMatchesClean(session, content)
        #expect(renamed.changed.contains("chapters/west.html"), "the link text changed")
        try Self.write("---\nname: Jiayu Pass\ncoordinates: [39.8, 98.2]\n---\nA pass.\n", "places/jiayu-pass.md", in: content)
        let west = try String(contentsOf: content.appendingPathComponent("chapters/01-west.md"), encoding: .utf8)
        try Self.write(west + "\nFar west lies [[Jiayu Pass]].\n", "chapters/01-west.md", in: content)
        let added = try Self.rebuildMatchesClean(session, content)
        #expect(added.changed.contains("places/jiayu-pass.html"))
        try FileManager.default.removeItem(at: content.appendingPathComponent("places/jiayu-pass.md"))
        try Self.write(west, "chapters/01-west.md", in: content)
        let deleted = try Self.rebuildMatchesClean(session, content)
        #expect(deleted.removed.contains("places/jiayu-pass.html"))
    }

    @Test func aBrokenEditReportsErrorsAndTheNextFixRecovers() throws {
        let content = try Self.scratch()
        let session = BuildSession(options: Self.options(content))
        _ = try session.generate()
        let path = "chapters/02-east.md"
        let text = try String(contentsOf: content.appendingPathComponent(path), encoding: .utf8)
        try Self.write(text + "\n[[Nobody Known]]\n", path, in: content)
        let broken = try session.generate()
        #expect(!broken.generated.result.succeeded)
        #expect(broken.generated.result.diagnostics.formatted.contains("error: unknown entity 'Nobody Known'"))
        try Self.write(text, path, in: content)
        _ = try Self.rebuildMatchesClean(session, content)
    }

    /// A chapter that loses (and regains) its map renumbers the figures after it; a failed build in between does not
    /// leave a stale map behind.
    @Test func chaptersGainingAndLosingMapsRenumberLaterFigures() throws {
        let content = try Self.scratch()
        let session = BuildSession(options: Self.options(content))
        _ = try session.generate()
        try Self.write("---\ntitle: After\n---\nBack at [[Lanzhou]].\n\n![Walls](../images/walls.svg \"The walls again\")\n",
                       "chapters/03-after.md", in: content)
        _ = try Self.rebuildMatchesClean(session, content)
        let east = try String(contentsOf: content.appendingPathComponent("chapters/02-east.md"), encoding: .utf8)
        try Self.write(east.replacingOccurrences(of: "[[Kaifeng]]", with: "Kaifeng"), "chapters/02-east.md", in: content)
        let lost = try Self.rebuildMatchesClean(session, content, step: "lost")
        #expect(lost.changed.contains("chapters/after.html"), "the later chapter's figures were renumbered")
        let west = try String(contentsOf: content.appendingPathComponent("chapters/01-west.md"), encoding: .utf8)
        try Self.write(east, "chapters/02-east.md", in: content)
        try Self.write(west + "\n[[Nobody Known]]\n", "chapters/01-west.md", in: content)
        #expect(try !session.generate().generated.result.succeeded)
        try Self.write(west, "chapters/01-west.md", in: content)
        let regained = try Self.rebuildMatchesClean(session, content, step: "regained")
        #expect(regained.changed.contains("chapters/east.html"))
    }
}
