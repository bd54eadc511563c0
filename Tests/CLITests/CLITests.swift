import Foundation
import Testing

/// Runs the real `build-site` executable.
@Suite struct CLITests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = packageRoot.appendingPathComponent("Tests/SiteTests/Fixtures")

    /// The executable built next to the test bundle.
    static var executable: URL {
        let bundle = Bundle.main.bundleURL
        let candidates = [bundle.appendingPathComponent("build-site"),
                          bundle.deletingLastPathComponent().appendingPathComponent("build-site")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[1]
    }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], in folder: URL, via program: String? = nil) throws -> Run {
        let process = Process()
        process.executableURL = program.map { URL(fileURLWithPath: $0) } ?? executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                   stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A scratch copy of a fixture with the fixture templates beside it as `Templates/`.
    static func scratchSite(_ fixture: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent("\(fixture)/Content"),
                                         to: folder.appendingPathComponent("Content"))
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent("_templates"),
                                         to: folder.appendingPathComponent("Templates"))
        return folder
    }

    @Test func helpListsEveryOption() throws {
        let run = try Self.run(["--help"], in: Self.packageRoot)
        #expect(run.status == 0)
        for option in ["--content", "--templates", "--output", "--quiet", "--warnings-as-errors", "check"] {
            #expect((run.stdout + run.stderr).contains(option), "\(option)")
        }
    }

    @Test func buildsWithDefaultFoldersAndExitsZero() throws {
        let site = try Self.scratchSite("basic")
        defer { try? FileManager.default.removeItem(at: site) }
        let run = try Self.run(["--quiet"], in: site)
        #expect(run.status == 0)
        #expect(run.stderr == "")
        #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("Public/index.html").path))
        #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("Public/chapters/reforms.html").path))
    }

    /// A second run of the program keeps what the first made: it links, renders and writes nothing when nothing
    /// changed, and only the edited chapter (and the pages that show it) after an edit.
    @Test func aSecondRunKeepsWhatTheFirstMade() throws {
        let site = try Self.scratchSite("basic")
        defer { try? FileManager.default.removeItem(at: site) }
        let first = try Self.run([], in: site)
        #expect(first.status == 0)
        #expect(first.stderr.contains("0 kept from the last build"), "\(first.stderr)")
        let second = try Self.run([], in: site)
        #expect(second.stderr.contains("(0 linked, 0 files rendered, "), "\(second.stderr)")
        #expect(second.stderr.contains("; 0 written, "), "\(second.stderr)")
        let chapter = site.appendingPathComponent("Content/chapters")
        guard let name = try FileManager.default.contentsOfDirectory(atPath: chapter.path).sorted().first else {
            Issue.record("no chapter")
            return
        }
        let file = chapter.appendingPathComponent(name)
        try (try String(contentsOf: file, encoding: .utf8) + "\nA sentence added.\n").write(to: file, atomically: true, encoding: .utf8)
        let third = try Self.run([], in: site)
        #expect(third.status == 0)
        #expect(third.stderr.contains("(1 linked, "), "\(third.stderr)")
    }

    @Test func errorsPrintCompilerStyleLinesAndExitOne() throws {
        let site = try Self.scratchSite("broken-links")
        defer { try? FileManager.default.removeItem(at: site) }
        let run = try Self.run(["--quiet"], in: site)
        #expect(run.status == 1)
        let lines = run.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first == "Content/chapters/01-one.md:6:1: error: unknown entity 'liu-chanzuo'")
        #expect(lines.dropFirst().first == "Content/chapters/01-one.md:6:1: note: did you mean 'liu-changzuo'?")
        #expect(!FileManager.default.fileExists(atPath: site.appendingPathComponent("Public").path))
    }

    @Test func checkWritesNothing() throws {
        let site = try Self.scratchSite("basic")
        defer { try? FileManager.default.removeItem(at: site) }
        let run = try Self.run(["check"], in: site)
        #expect(run.status == 0)
        #expect(run.stderr.contains("Checked"))
        #expect(!FileManager.default.fileExists(atPath: site.appendingPathComponent("Public").path))
    }

    @Test func warningsAsErrorsFailsOnWarnings() throws {
        let site = try Self.scratchSite("basic")
        defer { try? FileManager.default.removeItem(at: site) }
        try "---\nname: Nobody\n---\nUnused.\n".write(to: site.appendingPathComponent("Content/people/nobody.md"),
                                                     atomically: true, encoding: .utf8)
        let relaxed = try Self.run(["check", "--quiet"], in: site)
        #expect(relaxed.status == 0)
        #expect(relaxed.stderr == "Content/people/nobody.md:1:1: warning: person 'nobody' is not referred to by any chapter\n")
        let strict = try Self.run(["check", "--quiet", "--warnings-as-errors"], in: site)
        #expect(strict.status == 1)
    }

    @Test func progressShowsOnATerminalAndQuietSilencesIt() throws {
        let site = try Self.scratchSite("basic")
        defer { try? FileManager.default.removeItem(at: site) }
        // `script` gives the build a terminal, as an author's shell would.
        let shown = try Self.run(["-qec", "\(Self.executable.path) --output Out1", "/dev/null"], in: site, via: "/usr/bin/script")
        #expect(shown.status == 0)
        #expect(shown.stdout.contains("[1/7] Loading content and templates"))
        #expect(shown.stdout.contains("Built "))
        let quiet = try Self.run(["-qec", "\(Self.executable.path) --quiet --output Out2", "/dev/null"], in: site, via: "/usr/bin/script")
        #expect(quiet.status == 0)
        #expect(!quiet.stdout.contains("[1/7]"))
        #expect(!quiet.stdout.contains("Built "))
    }

    @Test func badUsageExits64() throws {
        let run = try Self.run(["--no-such-option"], in: Self.packageRoot)
        #expect(run.status == 64)
    }

    @Test func refusesDangerousOutputFolders() throws {
        let site = try Self.scratchSite("basic")
        defer { try? FileManager.default.removeItem(at: site) }
        for output in ["/", ".", "Content", "Templates", "Content/chapters"] {
            let run = try Self.run(["--quiet", "--output", output], in: site)
            #expect(run.status == 1, "\(output)")
            #expect(run.stderr.hasPrefix("build-site: error: refusing to use '\(output)' as the output folder"), "\(output)")
        }
        #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("Content/site.yaml").path))
    }
}

/// A build killed with SIGKILL at any moment leaves either the complete previous output or the complete new one,
/// and the next build removes whatever temporary folder was left.
@Suite struct InterruptionTests {
    static func writeSite(_ root: URL, version: Int, chapters: Int = 150) throws {
        let content = root.appendingPathComponent("Content")
        try? FileManager.default.removeItem(at: content)
        for folder in ["chapters", "people"] {
            try FileManager.default.createDirectory(at: content.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try "title: Interrupted v\(version)\n".write(to: content.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
        try "---\nname: Wang Anshi\n---\nChancellor.\n".write(to: content.appendingPathComponent("people/wang-anshi.md"),
                                                             atomically: true, encoding: .utf8)
        let paragraph = String(repeating: "Version \(version) of a long paragraph about [[Wang Anshi]] and the court. ", count: 40)
        for index in 1...chapters {
            let text = "---\ntitle: Chapter \(index)\n---\n" + String(repeating: "## Part\n\n" + paragraph + "\n\n", count: 12)
            try text.write(to: content.appendingPathComponent(String(format: "chapters/%03d-c%d.md", index, index)), atomically: true, encoding: .utf8)
        }
        let templates = root.appendingPathComponent("Templates")
        if !FileManager.default.fileExists(atPath: templates.path) {
            try FileManager.default.copyItem(at: CLITests.fixtures.appendingPathComponent("_templates"), to: templates)
        }
    }

    static func tree(_ root: URL) -> [String: Data] {
        var files: [String: Data] = [:]
        guard let enumerator = FileManager.default.enumerator(atPath: root.path) else { return files }
        while let path = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let full = root.appendingPathComponent(path).path
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue,
               !path.hasSuffix(".build-site-manifest") {
                files[path] = FileManager.default.contents(atPath: full)
            }
        }
        return files
    }

    @Test func killedBuildsLeaveACompleteOutput() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kill-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        // The new output, built on its own.
        try Self.writeSite(root, version: 2)
        let expectedRun = try CLITests.run(["--quiet", "--output", "Expected"], in: root)
        #expect(expectedRun.status == 0, "\(expectedRun.stderr)")
        let newTree = Self.tree(root.appendingPathComponent("Expected"))
        // The previous output.
        try Self.writeSite(root, version: 1)
        let started = Date()
        #expect(try CLITests.run(["--quiet"], in: root).status == 0)
        let buildTime = Date().timeIntervalSince(started)
        let oldTree = Self.tree(root.appendingPathComponent("Public"))
        #expect(oldTree.count == newTree.count)
        #expect(oldTree != newTree)
        try Self.writeSite(root, version: 2)
        var outcomes = Set<String>()
        for fraction in [0.02, 0.1, 0.25, 0.4, 0.55, 0.7, 0.85, 1.0, 1.2] {
            let process = Process()
            process.executableURL = CLITests.executable
            process.arguments = ["--quiet"]
            process.currentDirectoryURL = root
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: buildTime * fraction)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let now = Self.tree(root.appendingPathComponent("Public"))
            let state = now == oldTree ? "old" : now == newTree ? "new" : "broken"
            #expect(state != "broken", "after a kill at \(fraction) of a build the output is neither the old nor the new site")
            outcomes.insert(state)
            if state == "new" {
                // Start again from the old site so that later kills can land mid-build.
                try Self.writeSite(root, version: 1)
                #expect(try CLITests.run(["--quiet"], in: root).status == 0)
                try Self.writeSite(root, version: 2)
            }
        }
        #expect(try CLITests.run(["--quiet"], in: root).status == 0)
        #expect(Self.tree(root.appendingPathComponent("Public")) == newTree)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasPrefix(".Public.") }
        #expect(leftovers.isEmpty, "\(leftovers)")
        #expect(outcomes.contains("old"))
    }
}
