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

    static func run(_ arguments: [String], in folder: URL) throws -> Run {
        let process = Process()
        process.executableURL = executable
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
        let run = try Self.run(["--quiet"], in: site)
        #expect(run.status == 0)
        #expect(run.stderr == "")
        #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("Public/index.html").path))
        #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("Public/chapters/reforms.html").path))
    }

    @Test func errorsPrintCompilerStyleLinesAndExitOne() throws {
        let site = try Self.scratchSite("broken-links")
        let run = try Self.run(["--quiet"], in: site)
        #expect(run.status == 1)
        let lines = run.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first == "Content/chapters/01-one.md:6:1: error: unknown entity 'liu-chanzuo'")
        #expect(lines.dropFirst().first == "Content/chapters/01-one.md:6:1: note: did you mean 'liu-changzuo'?")
        #expect(!FileManager.default.fileExists(atPath: site.appendingPathComponent("Public").path))
    }

    @Test func checkWritesNothing() throws {
        let site = try Self.scratchSite("basic")
        let run = try Self.run(["check"], in: site)
        #expect(run.status == 0)
        #expect(run.stderr.contains("Checked"))
        #expect(!FileManager.default.fileExists(atPath: site.appendingPathComponent("Public").path))
    }

    @Test func warningsAsErrorsFailsOnWarnings() throws {
        let site = try Self.scratchSite("basic")
        try "---\nname: Nobody\n---\nUnused.\n".write(to: site.appendingPathComponent("Content/people/nobody.md"),
                                                     atomically: true, encoding: .utf8)
        let relaxed = try Self.run(["check", "--quiet"], in: site)
        #expect(relaxed.status == 0)
        #expect(relaxed.stderr == "Content/people/nobody.md:1:1: warning: person 'nobody' is not referred to by any chapter\n")
        let strict = try Self.run(["check", "--quiet", "--warnings-as-errors"], in: site)
        #expect(strict.status == 1)
    }

    @Test func badUsageExits64() throws {
        let run = try Self.run(["--no-such-option"], in: Self.packageRoot)
        #expect(run.status == 64)
    }

    @Test func refusesDangerousOutputFolders() throws {
        let site = try Self.scratchSite("basic")
        for output in ["/", ".", "Content", "Templates", "Content/chapters"] {
            let run = try Self.run(["--quiet", "--output", output], in: site)
            #expect(run.status == 1, "\(output)")
            #expect(run.stderr.hasPrefix("build-site: error: refusing to use '\(output)' as the output folder"), "\(output)")
        }
        #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("Content/site.yaml").path))
    }
}
