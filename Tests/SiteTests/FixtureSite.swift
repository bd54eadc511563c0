import Foundation
import SiteKit
import Testing

/// Builds a fixture site from `Fixtures/<name>` into a temporary output folder and reads the result.
struct FixtureSite {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let recording = ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1"

    let name: String
    var folder: URL { Self.fixtures.appendingPathComponent(name) }
    var content: URL { folder.appendingPathComponent("Content") }
    var templates: URL {
        let own = folder.appendingPathComponent("Templates")
        return FileManager.default.fileExists(atPath: own.path) ? own : Self.fixtures.appendingPathComponent("_templates")
    }
    var expected: URL { folder.appendingPathComponent("expected") }

    /// The outcome of one build.
    struct Outcome {
        var status: Int
        var diagnostics: String
        var files: [String: Data]
    }

    /// Builds into `output` (a fresh temporary folder when nil); diagnostics print paths as `Content/…`.
    func build(into output: URL? = nil, templates: URL? = nil, check: Bool = false) throws -> Outcome {
        let out = output ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("fixture-\(name)-\(UUID().uuidString)/Public")
        // A folder made here is read into the outcome and removed; one given by the caller is the caller's.
        defer { if output == nil { try? FileManager.default.removeItem(at: out.deletingLastPathComponent()) } }
        let options = BuildOptions(content: content.path, contentDisplay: "Content",
                                   templates: (templates ?? self.templates).path, templatesDisplay: "Templates",
                                   output: check ? nil : out.path)
        let result = try SiteBuilder.build(options)
        return Outcome(status: result.succeeded ? 0 : 1, diagnostics: result.diagnostics.formatted,
                       files: Self.readTree(out))
    }

    /// Every file below `root`, by relative path.
    static func readTree(_ root: URL) -> [String: Data] {
        var files: [String: Data] = [:]
        guard let enumerator = FileManager.default.enumerator(atPath: root.path) else { return files }
        while let path = enumerator.nextObject() as? String {
            // The build's own bookkeeping, not part of the site.
            if path == ".build-site-manifest" || path == ".build-site-link-cache" { continue }
            var isDirectory: ObjCBool = false
            let full = root.appendingPathComponent(path).path
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[path] = FileManager.default.contents(atPath: full)
            }
        }
        return files
    }

    /// Compares an outcome with `expected/` both ways (a missing file fails, an extra one too); records when asked.
    func compare(_ outcome: Outcome) throws {
        let status = expected.appendingPathComponent("status")
        let diagnostics = expected.appendingPathComponent("diagnostics.txt")
        let pages = expected.appendingPathComponent("Public")
        if Self.recording {
            try? FileManager.default.removeItem(at: expected)
            try FileManager.default.createDirectory(at: pages, withIntermediateDirectories: true)
            try "\(outcome.status)\n".write(to: status, atomically: true, encoding: .utf8)
            try outcome.diagnostics.write(to: diagnostics, atomically: true, encoding: .utf8)
            for (path, data) in outcome.files {
                let url = pages.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: url)
            }
            Issue.record("recorded golden files for '\(name)': review them with git diff, then run again without RECORD_GOLDEN")
            return
        }
        #expect(try String(contentsOf: status, encoding: .utf8) == "\(outcome.status)\n", "exit status of \(name)")
        #expect(try String(contentsOf: diagnostics, encoding: .utf8) == outcome.diagnostics, "diagnostics of \(name)")
        let expectedFiles = Self.readTree(pages)
        #expect(Set(expectedFiles.keys) == Set(outcome.files.keys), "output files of \(name)")
        for (path, data) in expectedFiles.sorted(by: { $0.key < $1.key }) {
            guard let actual = outcome.files[path] else { continue }
            #expect(actual == data, "\(name): \(path) differs from expected/Public/\(path)")
        }
    }
}
