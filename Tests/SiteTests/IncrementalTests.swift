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
    static func rebuildMatchesClean(_ session: BuildSession, _ content: URL, step: String = "",
                                    changes: [String]? = nil, quick: Bool? = nil,
                                    sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> BuildSession.Outcome {
        var lines: [String] = []
        let outcome = try session.generate(progress: { lines.append($0) },
                                           changes: changes?.map { content.appendingPathComponent($0).path })
        if let quick {
            // The quick rebuild reads only the files it was told about; a full one loads the whole folder.
            #expect(lines.first?.hasPrefix("[1/7] Reading") == quick, "\(step): \(lines.first ?? "")",
                    sourceLocation: sourceLocation)
        }
        let clean = try SiteBuilder.generate(options(content))
        #expect(outcome.generated.result.diagnostics.formatted == clean.result.diagnostics.formatted)
        let (a, b) = (files(outcome.generated), files(clean))
        #expect(Set(a.keys) == Set(b.keys))
        for (path, contents) in b where a[path] != contents {
            Issue.record("\(path) differs from a clean build \(step)", sourceLocation: sourceLocation)
            if let x = a[path]?.text, let y = contents.text {
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
        defer { try? FileManager.default.removeItem(at: content) }
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

    @Test func aChapterLeftOutForADuplicateSlugJoinsWhenTheClashIsResolved() throws {
        // A first build parses each body only when it links the page: a page the book left out was never parsed, and
        // is parsed once the clash is resolved elsewhere, its own file unchanged.
        let content = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: content) }
        let session = BuildSession(options: Self.options(content))
        try Self.write("---\ntitle: Again\nslug: east\n---\n## Aftermath\n\nLater, [[Lanzhou]] again.\n",
                       "chapters/09-again.md", in: content)
        let first = try session.generate()
        #expect(!first.generated.result.succeeded)
        #expect(first.generated.result.diagnostics.formatted.contains("duplicate slug 'east'"))
        let east = try String(contentsOf: content.appendingPathComponent("chapters/02-east.md"), encoding: .utf8)
        try Self.write("---\nslug: east-first\n" + east.dropFirst(4), "chapters/02-east.md", in: content)
        let second = try Self.rebuildMatchesClean(session, content)
        #expect(second.generated.result.succeeded)
        guard let html = Self.files(second.generated)["chapters/east.html"]?.text else {
            Issue.record("no page for the chapter")
            return
        }
        #expect(html.contains("id=\"aftermath\""))
    }

    @Test func addingRenamingAndDeletingChaptersMatchesACleanBuild() throws {
        let content = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: content) }
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
        defer { try? FileManager.default.removeItem(at: content) }
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
        defer { try? FileManager.default.removeItem(at: content) }
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

    /// Told which files changed (as `serve` is), a rebuild after edits to chapter bodies touches only those chapters
    /// and the pages showing them; any other change builds in full. Either way the result is a clean build's.
    @Test func toldWhichFilesChangedItMatchesACleanBuild() throws {
        let content = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: content) }
        let session = BuildSession(options: Self.options(content))
        _ = try session.generate()
        let (east, west) = ("chapters/02-east.md", "chapters/01-west.md")
        let eastText = try String(contentsOf: content.appendingPathComponent(east), encoding: .utf8)
        let westText = try String(contentsOf: content.appendingPathComponent(west), encoding: .utf8)

        // A new sentence around a reference: the chapter, Kaifeng's backlinks, the search index, the whole book.
        try Self.write(eastText.replacingOccurrences(of: "The court fled [[Kaifeng]].", with: "In haste the court fled [[Kaifeng]]."),
                       east, in: content)
        let snippet = try Self.rebuildMatchesClean(session, content, step: "snippet", changes: [east], quick: true)
        #expect(snippet.relinked == 1)
        #expect(snippet.changed.contains("chapters/east.html"))
        #expect(snippet.changed.contains("places/kaifeng.html"))
        #expect(!snippet.changed.contains("places/lanzhou.html"))
        #expect(!snippet.changed.contains("chapters/west.html"))

        // A figure caption: the list of illustrations too. Two chapters at once.
        try Self.write(westText.replacingOccurrences(of: "a sketch\"", with: "a rough sketch\""), west, in: content)
        try Self.write(eastText + "\nA closing line.\n", east, in: content)
        let captions = try Self.rebuildMatchesClean(session, content, step: "caption", changes: [west, east], quick: true)
        #expect(captions.changed.contains("illustrations.html"))
        #expect(captions.relinked == 2)

        // Told of a file that did not change: nothing to do.
        let same = try Self.rebuildMatchesClean(session, content, step: "unchanged", changes: [east], quick: true)
        #expect(same.changed.isEmpty)

        // Edits the quick rebuild leaves to a full build: a reference to another entity, a heading, front-matter,
        // an error and its fix, a template, a deleted chapter.
        let fullBuilds: [(step: String, path: String, text: String)] = [
            ("new entity", east, eastText + "\nLater [[Lanzhou]] too.\n"),
            ("heading", east, eastText + "\n## A new part\n\nText.\n"),
            ("front-matter", east, eastText.replacingOccurrences(of: "title: East", with: "title: The East")),
            ("error", east, eastText + "\n[[Nobody Known]]\n"),
            ("fixed", east, eastText),
        ]
        for edit in fullBuilds {
            try Self.write(edit.text, edit.path, in: content)
            if edit.step == "error" {
                let broken = try session.generate(changes: [content.appendingPathComponent(edit.path).path])
                #expect(!broken.generated.result.succeeded)
                #expect(broken.generated.result.diagnostics.formatted.contains("unknown entity 'Nobody Known'"))
                continue
            }
            _ = try Self.rebuildMatchesClean(session, content, step: edit.step, changes: [edit.path], quick: false)
        }
        _ = try Self.rebuildMatchesClean(session, content, step: "template", changes: ["../Templates/chapter.mustache"], quick: false)
        try FileManager.default.removeItem(at: content.appendingPathComponent(west))
        let deleted = try Self.rebuildMatchesClean(session, content, step: "deleted", changes: [west], quick: false)
        #expect(deleted.removed.contains("chapters/west.html"))
    }

    /// A template's text is in every render key but no link key: editing it renders every page again, links none,
    /// and gives what a clean build gives.
    @Test func editingATemplateRendersEveryPageAndLinksNone() throws {
        let content = try Self.scratch()
        let templates = content.deletingLastPathComponent().appendingPathComponent("templates-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(at: content)
            try? FileManager.default.removeItem(at: templates)
        }
        try FileManager.default.copyItem(at: RealTemplateTests.templates, to: templates)
        let options = BuildOptions(content: content.path, contentDisplay: "Content", templates: templates.path,
                                   templatesDisplay: "Templates", output: nil)
        let session = BuildSession(options: options)
        let first = try session.generate()
        let footer = templates.appendingPathComponent("partials/footer.mustache")
        try (try String(contentsOf: footer, encoding: .utf8) + "<!-- a footnote to every page -->\n")
            .write(to: footer, atomically: true, encoding: .utf8)
        let second = try session.generate(changes: [footer.path])
        #expect(second.relinked == 0)
        #expect(second.rerendered == first.rerendered)
        let clean = try SiteBuilder.generate(options)
        #expect(Self.files(second.generated) == Self.files(clean))
        #expect(Self.files(second.generated)["index.html"]?.text?.contains("a footnote to every page") == true)
    }

    /// A build that streams its pages out (as `build-site build` does) lets the source texts go after parsing: its
    /// pages are those of a build kept in memory, and its session still builds again correctly.
    @Test func aStreamedBuildMatchesAnInMemoryOneAndItsSessionBuildsAgain() throws {
        let content = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: content) }
        let site = content.appendingPathComponent("site.yaml")
        try (String(contentsOf: site, encoding: .utf8) + "book_page: false\n").write(to: site, atomically: true, encoding: .utf8)
        let session = BuildSession(options: Self.options(content))
        // First a build kept in memory, then a change every page shows, then the streamed build.
        _ = try session.generate()
        let lanzhou = try String(contentsOf: content.appendingPathComponent("places/lanzhou.md"), encoding: .utf8)
        try Self.write(lanzhou.replacingOccurrences(of: "name: Lanzhou", with: "name: Lanzhou Fort\naliases: [Lanzhou]"),
                       "places/lanzhou.md", in: content)
        let sink = CollectingSink()
        let outcome = try session.generate(sink: sink)
        #expect(outcome.generated.result.succeeded)
        let clean = try SiteBuilder.generate(Self.options(content))
        #expect(!sink.files.isEmpty && sink.files == Self.files(clean))
        #expect(sink.prepared > 0 && sink.recorded == sink.files.count)
        let west = "chapters/01-west.md"
        let text = try String(contentsOf: content.appendingPathComponent(west), encoding: .utf8)
        try Self.write(text + "\nA later line about [[Lanzhou]].\n", west, in: content)
        _ = try Self.rebuildMatchesClean(session, content, step: "after streaming")
    }

    /// A streamed build lets each chapter's unnumbered body go once numbered: when figures later move, its session
    /// links those chapters again rather than keep their old numbers.
    @Test func figuresOfAStreamedBuildAreNumberedAgainWhenTheyMove() throws {
        let content = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: content) }
        let site = content.appendingPathComponent("site.yaml")
        try (String(contentsOf: site, encoding: .utf8) + "book_page: false\n").write(to: site, atomically: true, encoding: .utf8)
        try Self.write("---\ntitle: After\n---\nBack at [[Lanzhou]].\n\n![Walls](../images/walls.svg \"The walls again\")\n",
                       "chapters/03-after.md", in: content)
        let session = BuildSession(options: Self.options(content))
        #expect(try session.generate(sink: CollectingSink()).generated.result.succeeded)
        let east = try String(contentsOf: content.appendingPathComponent("chapters/02-east.md"), encoding: .utf8)
        try Self.write(east.replacingOccurrences(of: "[[Kaifeng]]", with: "Kaifeng"), "chapters/02-east.md", in: content)
        let moved = try Self.rebuildMatchesClean(session, content, step: "figures moved after streaming")
        #expect(moved.relinked >= 2, "the chapter whose figures moved was linked again")
    }

    /// A chapter that loses (and regains) its map renumbers the figures after it; a failed build in between does not
    /// leave a stale map behind.
    @Test func chaptersGainingAndLosingMapsRenumberLaterFigures() throws {
        let content = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: content) }
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

/// A sink that keeps what it is given (written from several threads at once, as the build does).
private final class CollectingSink: PageSink, @unchecked Sendable {
    private let lock = NSLock()
    private(set) var files: [String: OutputFile.Contents] = [:]
    private(set) var prepared = 0
    private(set) var recorded = 0

    func prepare() throws { prepared += 1 }

    func write(_ file: OutputFile) -> OutputWriter.WriteOutcome {
        lock.lock()
        defer { lock.unlock() }
        files[file.path] = file.contents
        return OutputWriter.WriteOutcome(path: file.path)
    }

    func record(_ outcomes: [OutputWriter.WriteOutcome]) throws { recorded += outcomes.count }
}
