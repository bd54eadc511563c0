import Foundation
import Testing
@testable import SiteKit

@Suite struct OutputWriterTests {
    /// Runs `body` with a new temporary folder (`parent`) and the output folder `Public` in it (not made), and
    /// removes the temporary folder afterwards.
    private func inOutputFolder(_ body: (_ parent: URL, _ output: URL) throws -> Void) throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("writer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: parent) }
        try body(parent, parent.appendingPathComponent("Public"))
    }

    @Test func replacesTheWholeFolderAndLeavesNoTemporaries() throws {
        try inOutputFolder { parent, output in
            let writer = OutputWriter(output: output.path)
            try writer.write([OutputFile(path: "old.html", contents: .text("old")),
                              OutputFile(path: "a/b.html", contents: .text("b"))])
            try writer.write([OutputFile(path: "new.html", contents: .text("new"))])
            #expect(try FileManager.default.contentsOfDirectory(atPath: output.path).sorted() == [".build-site-manifest", "new.html"])
            #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["Public"])
        }
    }

    @Test func unchangedFilesAreLinkedNotRewritten() throws {
        try inOutputFolder { parent, output in
            let writer = OutputWriter(output: output.path)
            let first = try writer.write([OutputFile(path: "same.html", contents: .text("same")),
                                          OutputFile(path: "a/changes.html", contents: .text("one"))])
            #expect(first == OutputWriter.Report(written: 2, kept: 0, oldTree: nil))
            let inode = { (path: String) -> Int in
                let attributes = try? FileManager.default.attributesOfItem(atPath: output.appendingPathComponent(path).path)
                return (attributes?[.systemFileNumber] as? Int) ?? -1
            }
            let before = inode("same.html")
            let second = try writer.write([OutputFile(path: "same.html", contents: .text("same")),
                                           OutputFile(path: "a/changes.html", contents: .text("two"))])
            #expect(second == OutputWriter.Report(written: 1, kept: 1, oldTree: nil))
            #expect(inode("same.html") == before)
            #expect(try String(contentsOf: output.appendingPathComponent("a/changes.html"), encoding: .utf8) == "two")
        }
    }

    @Test func removesLeftoversOfAnInterruptedBuild() throws {
        try inOutputFolder { parent, output in
            let leftover = parent.appendingPathComponent(".Public.build-123-456")
            try FileManager.default.createDirectory(at: leftover, withIntermediateDirectories: true)
            try OutputWriter(output: output.path).write([OutputFile(path: "i.html", contents: .text("i"))])
            #expect(!FileManager.default.fileExists(atPath: leftover.path))
        }
    }

    @Test func refusesPathsThatLeaveTheOutput() throws {
        for good in ["chapters/a.html", "a/...", "a/.../b", ".well-known/x", "a/.htaccess", "a..b/c..", "x", "é/ü.html"] {
            #expect(OutputWriter.isSafe(good), "\(good)")
        }
        for bad in ["../x", "/etc/passwd", "a/../../x", "a\\b", "a\0b", "", "a//b", "./a", "a/.", "a/..", "..", ".", "a/",
                    "/", "a/./b"] {
            #expect(!OutputWriter.isSafe(bad), "\(bad)")
        }
        try inOutputFolder { parent, output in
            #expect(throws: BuildError.self) {
                try OutputWriter(output: output.path).write([OutputFile(path: "../escape.html", contents: .text("x"))])
            }
            #expect(!FileManager.default.fileExists(atPath: parent.appendingPathComponent("escape.html").path))
            #expect(!FileManager.default.fileExists(atPath: output.path))
        }
    }

    /// A build writes its pages batch by batch: the new tree replaces the output only when committed, and a discarded
    /// one leaves the output (and the folder around it) as it was.
    @Test func batchesReplaceTheOutputOnlyWhenCommitted() throws {
        try inOutputFolder { parent, output in
            let writer = OutputWriter(output: output.path)
            try writer.write([OutputFile(path: "old.html", contents: .text("old"))])
            let abandoned = try writer.begin()
            try abandoned.add([OutputFile(path: "a/one.html", contents: .text("1"))])
            #expect(throws: BuildError.self) { try abandoned.add([OutputFile(path: "../escape.html", contents: .text("x"))]) }
            abandoned.discard()
            #expect(try FileManager.default.contentsOfDirectory(atPath: output.path).sorted() == [".build-site-manifest", "old.html"])
            #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["Public"])
            let staging = try writer.begin()
            try staging.add([OutputFile(path: "a/one.html", contents: .text("1"))])
            try staging.add([OutputFile(path: "a/b/two.html", contents: .text("2")), OutputFile(path: "old.html", contents: .text("old"))])
            #expect(try FileManager.default.contentsOfDirectory(atPath: output.path).sorted() == [".build-site-manifest", "old.html"])
            let report = try staging.commit()
            #expect(report == OutputWriter.Report(written: 2, kept: 1, oldTree: nil))
            #expect(try String(contentsOf: output.appendingPathComponent("a/b/two.html"), encoding: .utf8) == "2")
            let manifest = try String(contentsOf: output.appendingPathComponent(".build-site-manifest"), encoding: .utf8)
            let lines = manifest.split(separator: "\n")
            #expect(lines.first == "build-site-manifest 2")
            #expect(lines.dropFirst().map { $0.split(separator: " ").last.map(String.init) ?? "" }.sorted()
                    == ["a/b/two.html", "a/one.html", "old.html"])
        }
    }

    /// A file whose folder another thread is creating a file in is left with the folder, not waited for: the
    /// thread holding the folder creates it with its own, and `record` writes what is still left. Either way it is
    /// written once, counted once, and in the manifest.
    @Test func filesLeftWithABusyFolderAreWrittenAllTheSame() throws {
        try inOutputFolder { parent, output in
            let staging = try OutputWriter(output: output.path).begin()
            let first = staging.write(OutputFile(path: "a/first.html", contents: .text("first")))
            #expect(!first.left && first.error == nil)
            let folder = try #require(staging.openFolder("a"))
            let tree = URL(fileURLWithPath: staging.path).appendingPathComponent("a")

            // Another thread is creating a file in "a": these two are left, not written.
            folder.creating.lock()
            let left = [staging.write(OutputFile(path: "a/left-1.html", contents: .text("one"))),
                        staging.write(OutputFile(path: "a/left-2.html", contents: .text("two")))]
            folder.creating.unlock()
            #expect(left.allSatisfy { $0.left })
            #expect(!FileManager.default.fileExists(atPath: tree.appendingPathComponent("left-1.html").path))

            // The next file made in "a" takes them along.
            let next = staging.write(OutputFile(path: "a/next.html", contents: .text("next")))
            #expect(!next.left && next.error == nil)
            #expect(try String(contentsOf: tree.appendingPathComponent("left-2.html"), encoding: .utf8) == "two")

            // One more left, and nothing made in "a" after it: `record` writes it.
            folder.creating.lock()
            let last = staging.write(OutputFile(path: "a/left-3.html", contents: .text("three")))
            folder.creating.unlock()
            #expect(last.left)
            try staging.record([first] + left + [next, last])
            #expect(try String(contentsOf: tree.appendingPathComponent("left-3.html"), encoding: .utf8) == "three")

            let report = try staging.commit()
            #expect(report == OutputWriter.Report(written: 5, kept: 0, oldTree: nil))
            let names = try FileManager.default.contentsOfDirectory(atPath: output.appendingPathComponent("a").path).sorted()
            #expect(names == ["first.html", "left-1.html", "left-2.html", "left-3.html", "next.html"])
            let manifest = try String(contentsOf: output.appendingPathComponent(".build-site-manifest"), encoding: .utf8)
            #expect(manifest.split(separator: "\n").dropFirst().map { $0.split(separator: " ").last.map(String.init) ?? "" }.sorted()
                    == ["a/first.html", "a/left-1.html", "a/left-2.html", "a/left-3.html", "a/next.html"])
        }
    }

    /// What is left with a busy folder is bounded: a file that would put more than `leftLimit` bytes in waiting is
    /// not left, and its thread waits for the folder, then creates the files left before it as well as its own.
    @Test func aThreadWaitsForABusyFolderOnceTooMuchIsLeftWithIt() throws {
        try inOutputFolder { _, output in
            let staging = try OutputWriter(output: output.path).begin()
            let first = staging.write(OutputFile(path: "a/first.html", contents: .text("first")))
            let folder = try #require(staging.openFolder("a"))
            let tree = URL(fileURLWithPath: staging.path).appendingPathComponent("a")
            let half = [UInt8](repeating: 65, count: OutputWriter.Staging.OpenFolder.leftLimit / 2)

            folder.creating.lock()
            let left = (1...2).map { staging.write(OutputFile(path: "a/big-\($0).html", contents: .bytes(half))) }
            #expect(left.allSatisfy { $0.left })
            // A third would go past the limit: its thread waits while the folder is busy.
            let waiting = WaitingWrite()
            DispatchQueue.global().async {
                waiting.outcome = staging.write(OutputFile(path: "a/big-3.html", contents: .bytes(half)))
                waiting.done.signal()
            }
            let waited = waiting.done.wait(timeout: .now() + 0.3) == .timedOut
            #expect(waited)
            folder.creating.unlock()
            if waited { waiting.done.wait() }
            let third = try #require(waiting.outcome)
            #expect(!third.left && third.error == nil)
            for number in 1...3 {
                let size = try FileManager.default.attributesOfItem(atPath: tree.appendingPathComponent("big-\(number).html").path)[.size]
                #expect(size as? Int == half.count)
            }
            try staging.record([first] + left + [third])
            #expect(try staging.commit() == OutputWriter.Report(written: 4, kept: 0, oldTree: nil))
        }
    }

    /// A write run on another thread, and a signal when it is done.
    private final class WaitingWrite: @unchecked Sendable {
        var outcome: OutputWriter.WriteOutcome?
        let done = DispatchSemaphore(value: 0)
    }

    /// A file that cannot be made fails the batch with its path and the reason, whether its own thread made it or
    /// it was left with its folder; the tree is then discarded and the output is as it was.
    @Test func aFileThatCannotBeMadeFailsTheBatchEvenWhenLeftWithItsFolder() throws {
        try inOutputFolder { parent, output in
            let writer = OutputWriter(output: output.path)
            try writer.write([OutputFile(path: "old.html", contents: .text("old"))])
            for leftWithFolder in [false, true] {
                let staging = try writer.begin()
                let first = staging.write(OutputFile(path: "a/first.html", contents: .text("first")))
                // A folder where the file should go: it cannot be opened for writing.
                try FileManager.default.createDirectory(atPath: staging.path + "/a/clash.html", withIntermediateDirectories: false)
                let folder = try #require(staging.openFolder("a"))
                if leftWithFolder { folder.creating.lock() }
                let clash = staging.write(OutputFile(path: "a/clash.html", contents: .text("clash")))
                if leftWithFolder { folder.creating.unlock() }
                #expect(clash.left == leftWithFolder)
                do {
                    try staging.record([first, clash])
                    Issue.record("the batch did not fail")
                } catch BuildError.cannotWrite(let path, let reason) {
                    #expect(path == "a/clash.html")
                    #expect(reason == String(cString: strerror(EISDIR)))
                }
                staging.discard()
                #expect(try FileManager.default.contentsOfDirectory(atPath: output.path).sorted() == [".build-site-manifest", "old.html"])
                #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["Public"])
            }
        }
    }

    /// Many threads writing into one folder at once: every file is written, with its bytes, and counted once.
    @Test func concurrentWritesIntoOneFolderWriteEveryFileOnce() throws {
        try inOutputFolder { parent, output in
            let staging = try OutputWriter(output: output.path).begin()
            let files = (0..<2000).map { OutputFile(path: "pages/page-\($0).html", contents: .text(String(repeating: "\($0) ", count: 50))) }
            try staging.add(files)
            let report = try staging.commit()
            #expect(report == OutputWriter.Report(written: 2000, kept: 0, oldTree: nil))
            for index in [0, 999, 1999] {
                #expect(try String(contentsOf: output.appendingPathComponent("pages/page-\(index).html"), encoding: .utf8)
                        == String(repeating: "\(index) ", count: 50))
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: output.appendingPathComponent("pages").path).count == 2000)
        }
    }

    /// The manifest keeps each page's render key (paths with spaces included), and a `.previous` file is linked from
    /// the current output with the entry it had.
    @Test func renderKeysAreKeptAndPreviousFilesAreLinked() throws {
        try inOutputFolder { parent, output in
            let writer = OutputWriter(output: output.path)
            var key = StableHash()
            key.add("inputs")
            try writer.write([OutputFile(path: "a page.html", contents: .text("page"), renderKey: key),
                              OutputFile(path: "plain.html", contents: .text("plain"))])
            let previous = writer.previousOutput()
            #expect(previous.keyedCount == 1)
            #expect(previous.reusable("a page.html", key: key) == output.path + "/a page.html")
            #expect(previous.reusable("a page.html", key: StableHash()) == nil, "another key")
            #expect(previous.reusable("plain.html", key: StableHash()) == nil, "no key recorded")
            #expect(previous.reusable("missing.html", key: key) == nil)
            let before = try FileManager.default.attributesOfItem(atPath: output.path + "/a page.html")[.systemFileNumber] as? NSNumber
            let manifest = try String(contentsOf: output.appendingPathComponent(OutputWriter.manifestName), encoding: .utf8)
            let report = try writer.write([OutputFile(path: "a page.html", contents: .previous(at: output.path + "/a page.html"), renderKey: key),
                                           OutputFile(path: "plain.html", contents: .text("plain"))])
            #expect(report == OutputWriter.Report(written: 0, kept: 2, oldTree: nil))
            let after = try FileManager.default.attributesOfItem(atPath: output.path + "/a page.html")[.systemFileNumber] as? NSNumber
            #expect(before == after)
            #expect(try String(contentsOf: output.appendingPathComponent(OutputWriter.manifestName), encoding: .utf8) == manifest)
            // A page that lost its size since (edited by hand) is not offered for reuse.
            try "edited".write(to: output.appendingPathComponent("a page.html"), atomically: false, encoding: .utf8)
            #expect(writer.previousOutput().reusable("a page.html", key: key) == nil)
        }
    }

    /// A page rendered to the bytes the manifest records is linked only when the old file still has their size.
    @Test func aFileEditedInTheOutputIsWrittenAgain() throws {
        try inOutputFolder { parent, output in
            let writer = OutputWriter(output: output.path)
            try writer.write([OutputFile(path: "page.html", contents: .text("the page"))])
            try "edited by hand".write(to: output.appendingPathComponent("page.html"), atomically: false, encoding: .utf8)
            let report = try writer.write([OutputFile(path: "page.html", contents: .text("the page"))])
            #expect(report.written == 1)
            #expect(try String(contentsOf: output.appendingPathComponent("page.html"), encoding: .utf8) == "the page")
        }
    }
}
