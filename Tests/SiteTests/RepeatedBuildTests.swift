import Foundation
@testable import SiteKit
import Testing

/// Repeated runs of a build into the same output folder (as `build-site` run again after an edit) render only the
/// pages whose inputs changed, keep the others from the folder, and leave the folder byte for byte as a clean build
/// into an empty folder would.
@Suite struct RepeatedBuildTests {
    /// A scratch folder holding a copy of the `illustrated` fixture's content and of the real templates.
    struct Scratch {
        let root: URL
        var content: URL { root.appendingPathComponent("Content") }
        var templates: URL { root.appendingPathComponent("Templates") }
        var output: URL { root.appendingPathComponent("Public") }

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("repeated-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: FixtureSite(name: "illustrated").content, to: content)
            try FileManager.default.copyItem(at: RealTemplateTests.templates, to: templates)
        }

        func remove() { try? FileManager.default.removeItem(at: root) }

        func options(output: URL) -> BuildOptions {
            BuildOptions(content: content.path, contentDisplay: "Content", templates: templates.path,
                         templatesDisplay: "Templates", output: output.path)
        }

        /// Builds into the output folder again, then builds into an empty folder, and checks that the two trees
        /// (their manifests included) are the same.
        func rebuildMatchesClean(_ step: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> BuildResult {
            let result = try SiteBuilder.build(options(output: output))
            let clean = root.appendingPathComponent("clean-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: clean) }
            let cleanResult = try SiteBuilder.build(options(output: clean))
            #expect(result.succeeded == cleanResult.succeeded, "\(step)", sourceLocation: sourceLocation)
            #expect(result.diagnostics.formatted == cleanResult.diagnostics.formatted, "\(step)", sourceLocation: sourceLocation)
            #expect(cleanResult.reused == 0, sourceLocation: sourceLocation)
            let (repeated, fresh) = (FixtureSite.readTree(output), FixtureSite.readTree(clean))
            #expect(Set(repeated.keys) == Set(fresh.keys), "\(step): the same files", sourceLocation: sourceLocation)
            for (path, data) in fresh.sorted(by: { $0.key < $1.key }) where repeated[path] != data {
                Issue.record("\(step): \(path) differs from a clean build", sourceLocation: sourceLocation)
            }
            #expect(manifest(output) == manifest(clean), "\(step): the same manifest", sourceLocation: sourceLocation)
            let linkCache = { (folder: URL) in try? Data(contentsOf: folder.appendingPathComponent(".build-site-link-cache")) }
            #expect(linkCache(output) != nil && linkCache(output) == linkCache(clean), "\(step): the same link cache",
                    sourceLocation: sourceLocation)
            return result
        }

        func manifest(_ folder: URL) -> String? {
            try? String(contentsOf: folder.appendingPathComponent(OutputWriter.manifestName), encoding: .utf8)
        }

        func read(_ path: String) throws -> String {
            try String(contentsOf: content.appendingPathComponent(path), encoding: .utf8)
        }

        func write(_ text: String, _ path: String) throws {
            try text.write(to: content.appendingPathComponent(path), atomically: true, encoding: .utf8)
        }

        /// The inode of an output file: the same one when the page was kept, a new one when it was written.
        func inode(_ path: String) throws -> UInt64 {
            let attributes = try FileManager.default.attributesOfItem(atPath: output.appendingPathComponent(path).path)
            return (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
        }
    }

    @Test func aSecondRunWithNoChangeRendersNothing() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let first = try SiteBuilder.build(scratch.options(output: scratch.output))
        #expect(first.succeeded)
        #expect(first.reused == 0)
        #expect(first.rendered > 20)
        let cachePath = scratch.output.appendingPathComponent(".build-site-link-cache").path
        let cacheFile = try FileManager.default.attributesOfItem(atPath: cachePath)[.systemFileNumber] as? NSNumber
        let second = try scratch.rebuildMatchesClean("no change")
        #expect(try FileManager.default.attributesOfItem(atPath: cachePath)[.systemFileNumber] as? NSNumber == cacheFile,
                "the link cache is not written again when nothing in it changed: the old file is linked")
        #expect(second.linked == 0, "every page is taken from what the first run linked")
        #expect(second.searchDocumentsMade == 0, "the search index is kept: no chapter's search documents are made")
        #expect(second.rendered == 0)
        #expect(second.reused == first.rendered)
        #expect(second.written == 0)
    }

    @Test func aOneShotBuildWritesWhatAnyOtherBuildWrites() throws {
        // `build-site` leaves its memory to the exit, has memory made ready ahead, and removes the old tree itself.
        let scratch = try Scratch()
        defer { scratch.remove() }
        var oneShot = scratch.options(output: scratch.output)
        oneShot.releaseMemory = false
        oneShot.prefaultMemory = true
        oneShot.deferCleanup = true
        for step in ["first run", "second run"] {
            let result = try SiteBuilder.build(oneShot)
            #expect(result.succeeded, "\(step)")
            if let old = result.oldTree { try FileManager.default.removeItem(atPath: old) }
            let clean = scratch.root.appendingPathComponent("clean-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: clean) }
            #expect(try SiteBuilder.build(scratch.options(output: clean)).succeeded)
            #expect(FixtureSite.readTree(scratch.output) == FixtureSite.readTree(clean), "\(step): the same files")
            #expect(scratch.manifest(scratch.output) == scratch.manifest(clean), "\(step): the same manifest")
        }
    }

    @Test func editingOneChapterRendersThatChapterAndThePagesThatShowIt() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let first = try SiteBuilder.build(scratch.options(output: scratch.output))
        let west = try scratch.inode("chapters/west.html")
        let lanzhou = try scratch.inode("places/lanzhou.html")
        let text = try scratch.read("chapters/02-east.md")
        try scratch.write(text.replacingOccurrences(of: "The court fled [[Kaifeng]].",
                                                    with: "The court fled [[Kaifeng]] in haste, and [[Li Xian]] was long dead."),
                          "chapters/02-east.md")
        let second = try scratch.rebuildMatchesClean("a chapter edited")
        #expect(second.rendered > 0)
        #expect(second.rendered <= 6, "the chapter, Li Xian's page and a few pages gathered from every chapter")
        #expect(second.reused == first.rendered - second.rendered)
        #expect(second.searchDocumentsMade == 2, "the edited chapter's opening changed: the search index is made again, whole")
        #expect(try scratch.inode("chapters/west.html") == west, "an unrelated chapter is kept, not written")
        #expect(try scratch.inode("places/lanzhou.html") == lanzhou)
        let page = try String(contentsOf: scratch.output.appendingPathComponent("people/li-xian.html"), encoding: .utf8)
        #expect(page.contains("east.html"), "Li Xian's page lists the edited chapter")
    }

    @Test func addingRenamingAndDeletingChaptersAndEntitiesMatchesACleanBuild() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        _ = try SiteBuilder.build(scratch.options(output: scratch.output))
        try scratch.write("---\ntitle: Middle\nperiod: \"1100\"\n---\n## Between\n\n[[Lanzhou]] again, see [the west](01-west.md).\n",
                          "chapters/01a-middle.md")
        let added = try scratch.rebuildMatchesClean("a chapter added")
        #expect(added.rendered > 0)
        try FileManager.default.moveItem(at: scratch.content.appendingPathComponent("chapters/01a-middle.md"),
                                         to: scratch.content.appendingPathComponent("chapters/03-later.md"))
        _ = try scratch.rebuildMatchesClean("a chapter renamed")
        try FileManager.default.removeItem(at: scratch.content.appendingPathComponent("chapters/03-later.md"))
        _ = try scratch.rebuildMatchesClean("a chapter deleted")
        let lanzhou = try scratch.read("places/lanzhou.md")
        try scratch.write(lanzhou.replacingOccurrences(of: "name: Lanzhou", with: "name: Lanzhou Prefecture\naliases: [Lanzhou]"),
                          "places/lanzhou.md")
        let renamed = try scratch.rebuildMatchesClean("an entity renamed")
        #expect(renamed.reused == 0, "every page may show the entity's name: all are rendered again")
        try scratch.write("---\nname: Jiayu Pass\ncoordinates: [39.8, 98.2]\n---\nA pass.\n", "places/jiayu-pass.md")
        let west = try scratch.read("chapters/01-west.md")
        try scratch.write(west + "\nFar west lies [[Jiayu Pass]].\n", "chapters/01-west.md")
        _ = try scratch.rebuildMatchesClean("an entity added")
        try FileManager.default.removeItem(at: scratch.content.appendingPathComponent("places/jiayu-pass.md"))
        try scratch.write(west, "chapters/01-west.md")
        _ = try scratch.rebuildMatchesClean("an entity deleted")
    }

    /// A chapter map that goes away moves the numbers of the figures after it, in chapters taken from the link cache
    /// too: their pages, the list of illustrations and every render key are those of a clean build.
    @Test func figureNumbersMovedByAChapterMapFollowInPagesFromTheLinkCache() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("---\ntitle: North\n---\nNo places here.\n\n![A drawing](../images/walls.svg \"A third figure\")\n",
                          "chapters/03-north.md")
        _ = try SiteBuilder.build(scratch.options(output: scratch.output))
        let before = try String(contentsOf: scratch.output.appendingPathComponent("chapters/north.html"), encoding: .utf8)
        let east = try scratch.read("chapters/02-east.md")
        #expect(east.contains("The court fled [[Kaifeng]]."))
        try scratch.write(east.replacingOccurrences(of: "The court fled [[Kaifeng]].", with: "The court fled."),
                          "chapters/02-east.md")
        let second = try scratch.rebuildMatchesClean("a chapter map gone")
        #expect(second.linked <= 2, "the edited chapter (and the next, linked again for its renumbered body)")
        let after = try String(contentsOf: scratch.output.appendingPathComponent("chapters/north.html"), encoding: .utf8)
        #expect(before != after, "the third chapter's figure has a new number")
    }

    @Test func warningsOfPagesTakenFromTheLinkCacheAreReportedAgain() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let west = try scratch.read("chapters/01-west.md")
        try scratch.write(west + "\nA sketch without words: ![](../images/walls.svg)\n", "chapters/01-west.md")
        let first = try SiteBuilder.build(scratch.options(output: scratch.output))
        #expect(first.diagnostics.formatted.contains("has no alt text"))
        let east = try scratch.read("chapters/02-east.md")
        try scratch.write(east + "\nLater, [[Lanzhou]] again.\n", "chapters/02-east.md")
        let second = try scratch.rebuildMatchesClean("another chapter edited")
        #expect(second.linked == 1, "only the edited chapter is linked")
        #expect(second.diagnostics.formatted == first.diagnostics.formatted, "the warning of the chapter not linked is still told")
    }

    @Test func aDamagedOrForeignLinkCacheIsIgnored() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let first = try SiteBuilder.build(scratch.options(output: scratch.output))
        let cache = scratch.output.appendingPathComponent(".build-site-link-cache")
        let bytes = try Data(contentsOf: cache)
        #expect(bytes.count > 100)
        try bytes.prefix(bytes.count / 2).write(to: cache)
        let damaged = try scratch.rebuildMatchesClean("a damaged link cache")
        #expect(damaged.linked == first.linked, "everything is linked again")
        // A cache written for another display path of the content (its diagnostics name files as that path does).
        var options = scratch.options(output: scratch.output)
        options.contentDisplay = "elsewhere/Content"
        let foreign = try SiteBuilder.build(options)
        #expect(foreign.linked == first.linked)
        let back = try scratch.rebuildMatchesClean("the cache of another display path")
        #expect(back.linked == first.linked)
        #expect(try scratch.rebuildMatchesClean("the cache written again").linked == 0)
    }

    @Test func aChangedTemplateRendersEveryPage() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let first = try SiteBuilder.build(scratch.options(output: scratch.output))
        let footer = scratch.templates.appendingPathComponent("partials/footer.mustache")
        let text = try String(contentsOf: footer, encoding: .utf8)
        try (text + "<!-- edited -->\n").write(to: footer, atomically: true, encoding: .utf8)
        let second = try scratch.rebuildMatchesClean("a template edited")
        #expect(second.reused == 0)
        #expect(second.rendered == first.rendered)
        #expect(second.linked == 0, "a template's text is not part of any link key")
    }

    @Test func aPageRemovedOrChangedInTheOutputByHandIsRenderedAgain() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        _ = try SiteBuilder.build(scratch.options(output: scratch.output))
        try FileManager.default.removeItem(at: scratch.output.appendingPathComponent("chapters/west.html"))
        try "shorter".write(to: scratch.output.appendingPathComponent("chapters/east.html"), atomically: false, encoding: .utf8)
        let second = try scratch.rebuildMatchesClean("pages removed and changed by hand")
        #expect(second.rendered == 2)
    }

    @Test func anOutputWithAManifestWithoutKeysIsRenderedWhole() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let first = try SiteBuilder.build(scratch.options(output: scratch.output))
        // The first manifest format: `hash size path`, no header, no keys.
        let manifest = scratch.output.appendingPathComponent(OutputWriter.manifestName)
        let lines = try String(contentsOf: manifest, encoding: .utf8).split(separator: "\n").dropFirst().map { line in
            let parts = line.split(separator: " ", maxSplits: 3)
            return "\(parts[0]) \(parts[1]) \(parts[3])"
        }
        try (lines.joined(separator: "\n") + "\n").write(to: manifest, atomically: true, encoding: .utf8)
        let second = try scratch.rebuildMatchesClean("an old manifest")
        #expect(second.reused == 0)
        #expect(second.rendered == first.rendered)
        #expect(second.written == 0, "every page has the bytes the manifest gives: all are linked, none written")
    }

    @Test func aFailedBuildKeepsTheFolderAndTheNextRunStillReuses() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let first = try SiteBuilder.build(scratch.options(output: scratch.output))
        let before = FixtureSite.readTree(scratch.output)
        let east = try scratch.read("chapters/02-east.md")
        try scratch.write(east + "\nSee [[Nobody At All]].\n", "chapters/02-east.md")
        let failed = try SiteBuilder.build(scratch.options(output: scratch.output))
        #expect(!failed.succeeded)
        #expect(FixtureSite.readTree(scratch.output) == before)
        try scratch.write(east, "chapters/02-east.md")
        let fixed = try scratch.rebuildMatchesClean("the error fixed")
        #expect(fixed.rendered == 0)
        #expect(fixed.reused == first.rendered)
    }
}
