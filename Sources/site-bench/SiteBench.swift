import ArgumentParser
import CHeapUsage
import Foundation
import SiteKit
#if canImport(Glibc)
import Glibc
#endif

/// `site-bench`: generates synthetic histories and measures build-site on them.
@main
struct SiteBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "site-bench",
        abstract: "Generate synthetic histories and benchmark the build.",
        subcommands: [Generate.self, Measure.self, Run.self, Incremental.self],
        defaultSubcommand: Run.self)
}

/// Writes one corpus.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a synthetic history into a folder.")
    @Option(help: "Number of chapters.") var chapters = 1000
    @Option(help: "Number of entities.") var entities = 2000
    @Option(help: "Random seed.") var seed: UInt64 = 1081
    @Flag(help: "Write the same history as a Hugo site (references as the links build-site makes of them).")
    var hugo = false
    @Argument(help: "Folder to create.") var folder: String

    func run() throws {
        let url = URL(fileURLWithPath: folder)
        try? FileManager.default.removeItem(at: url)
        let bytes = try CorpusGenerator(chapters: chapters, entities: entities, seed: seed, flavour: hugo ? .hugo : .buildSite)
            .write(to: url)
        print("wrote \(chapters) chapters and \(entities) entities (\(bytes / 1_000_000) MB of chapter Markdown) to \(folder)"
              + (hugo ? " as a Hugo site" : ""))
    }
}

/// Builds one corpus once in this process and prints one JSON line of measurements (run by `run`, one process per
/// measurement so that peak memory is that build's).
struct Measure: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Build one corpus once and print measurements as JSON.")
    @Option var content: String
    @Option var templates: String = "Templates"
    @Option var output: String
    @Flag(help: "Also report the live heap at the start of each stage (asking the allocator costs up to 1% of CPU).")
    var heap = false

    func run() throws {
        var stages: [(String, Double, Double)] = []
        let start = Date()
        let usageBefore = Usage.now()
        var options = BuildOptions(content: content, contentDisplay: "Content", templates: templates,
                                   templatesDisplay: "Templates", output: output)
        // As `build-site` does: the previous output is removed after the build has reported, off the critical path, and
        // the model of the site is left for the exit to reclaim, and its memory is made ready in idle time.
        options.deferCleanup = true
        options.releaseMemory = false
        options.prefaultMemory = true
        var resident: [String: Double] = [:]
        var live: [String: Double] = [:]
        let result = try SiteBuilder.build(options) { line in
            stages.append((line, Date().timeIntervalSince(start), Usage.now().cpu))
            let name = line.split(separator: " ").dropFirst().first.map(String.init) ?? line
            resident[name] = Usage.residentMiB()
            if heap { live[name] = Usage.heapInUseMiB() }
        }
        let wall = Date().timeIntervalSince(start)
        let usage = Usage.now()
        if let old = result.oldTree { try? FileManager.default.removeItem(atPath: old) }
        var stageTimes: [String: Double] = [:]
        var stageCPU: [String: Double] = [:]
        for (index, (line, at, cpu)) in stages.enumerated() {
            let end = index + 1 < stages.count ? stages[index + 1].1 : wall
            let cpuEnd = index + 1 < stages.count ? stages[index + 1].2 : usage.cpu
            let name = line.split(separator: " ").dropFirst().first.map(String.init) ?? line
            stageTimes[name] = end - at
            stageCPU[name] = cpuEnd - cpu
        }
        let json: [String: Any] = [
            "wall": wall, "cpu": usage.cpu - usageBefore.cpu, "peak_mib": Double(usage.maxRSSKiB) / 1024,
            "pages": result.pageCount, "succeeded": result.succeeded, "stages": stageTimes, "stage_cpu": stageCPU,
            "errors": result.diagnostics.errorCount, "warnings": result.diagnostics.warningCount,
            "resident_mib_at_stage_start": resident, "heap_in_use_mib_at_stage_start": live,
            "linked": result.linked, "rendered": result.rendered, "reused": result.reused,
        ]
        let data = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }
}

/// Runs `measure` on a corpus in a process of its own (so that peak memory is that build's) and returns its JSON.
func measureInProcessOfItsOwn(executable: String, corpus: String, templates: String, output: String) throws -> [String: Any] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = ["measure", "--content", corpus, "--templates", templates, "--output", output]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0, let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        throw ValidationError("measuring \(corpus) failed")
    }
    return json
}

/// What a child process took: wall and CPU time (its own, from `wait4`) and peak resident memory.
struct ChildRun {
    var status: Int32
    var wall: Double
    var cpu: Double
    var peakMiB: Double

    /// Runs `arguments` (looked up on the PATH) with standard output and error thrown away, or returns nil when it
    /// could not be started.
    static func run(_ arguments: [String]) -> ChildRun? {
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let start = Date()
        guard posix_spawnp(&pid, arguments[0], &actions, nil, &argv, environ) == 0 else { return nil }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let wall = Date().timeIntervalSince(start)
        // The exit status as the shell gives it: the code for a normal exit, 128 + the signal otherwise.
        let exit = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return ChildRun(status: exit, wall: wall, cpu: Usage.cpuSeconds(usage), peakMiB: Double(usage.ru_maxrss) / 1024)
    }
}

/// The CPU time of the `cmark` command line converting the chapters of `corpus` to HTML (one process, every file,
/// output thrown away), or nil when there is no `cmark` (Debian's `cmark` package) to run. The issue's yardstick: a
/// build should take at most 2.5 times the CPU that takes.
func cmarkCPU(corpus: String) -> Double? {
    let folder = corpus + "/chapters"
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return nil }
    let files = names.filter { $0.hasSuffix(".md") }.sorted().map { folder + "/" + $0 }
    guard let run = ChildRun.run(["cmark"] + files), run.status == 0 else { return nil }
    return run.cpu
}

/// Hugo (Debian's `hugo`) building `site` (the same history written as a Hugo site) into `output`, or nil when there is
/// no `hugo` to run. The issue's other yardstick: Hugo's time for a comparable site.
func hugoBuild(site: String, output: String) -> ChildRun? {
    guard let run = ChildRun.run(["hugo", "--quiet", "--source", site, "--destination", output]), run.status == 0 else {
        return nil
    }
    return run
}

/// CPU time and peak memory of this process.
struct Usage {
    /// Memory resident now, from /proc/self/statm (0 where there is none).
    static func residentMiB() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Double(fields[1]) else { return 0 }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
    }

    /// Bytes the allocator has handed out and not had back, in MiB (tcmalloc's statistics in release builds, glibc's
    /// `mallinfo2` in debug ones): what is live, where resident memory also counts freed memory the allocator keeps.
    static func heapInUseMiB() -> Double {
        Double(heap_bytes_in_use()) / 1_048_576
    }

    var cpu: Double
    var maxRSSKiB: Int

    static func now() -> Usage {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Usage(cpu: cpuSeconds(usage), maxRSSKiB: usage.ru_maxrss)
    }

    /// User and system time of `usage`, in seconds.
    static func cpuSeconds(_ usage: rusage) -> Double {
        Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }
}

/// Generates the corpora (once) and measures each size several times, printing a table. Every build writes into an
/// empty folder of its own (a build from scratch: into a folder holding its previous output, a build links unchanged
/// files instead of writing them); the folders are removed only at the end, because on ext4 the files of a tree just
/// deleted slow down creating new ones for a while (this was measured to double a build's time).
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Benchmark N = 100, 1,000 and 10,000 chapters with 2,000 entities.")
    @Option(parsing: .upToNextOption, help: "Chapter counts to measure.") var chapters: [Int] = [100, 1000, 10000]
    @Option(help: "Number of entities.") var entities = 2000
    @Option(help: "Builds per size; the median is reported.") var runs = 3
    @Option(help: "Where corpora and outputs go.") var work = "/tmp/site-bench"
    @Option(help: "The templates folder.") var templates = "Templates"
    @Flag(help: "Small and fast: 50 chapters, 200 entities, one run (a smoke test for CI).") var quick = false
    @Flag(inversion: .prefixedNo, help: "Also build the same history as a Hugo site with Debian's `hugo`, when it is installed.")
    var hugo = true

    func run() throws {
        let sizes = quick ? [50] : chapters
        let compareHugo = hugo && ChildRun.run(["hugo", "version"])?.status == 0
        let entityCount = quick ? 200 : entities
        let runs = quick ? 1 : self.runs
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
        let outputs = "\(work)/outputs-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: outputs) }
        print("| chapters | entities | wall s | CPU s | pages/s | peak MiB | load | parse | index | link | draw | render | write "
              + "| cmark CPU s | CPU ÷ cmark | Hugo wall s | Hugo CPU s | Hugo MiB | Hugo wall ÷ wall |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for size in sizes {
            let corpus = "\(work)/corpus-v\(CorpusGenerator.version)-\(size)-\(entityCount)"
            if !FileManager.default.fileExists(atPath: corpus + "/site.yaml") {
                _ = try CorpusGenerator(chapters: size, entities: entityCount, seed: 1081).write(to: URL(fileURLWithPath: corpus))
            }
            let hugoSite = "\(work)/hugo-v\(CorpusGenerator.version)-\(size)-\(entityCount)"
            if compareHugo && !FileManager.default.fileExists(atPath: hugoSite + "/config.toml") {
                _ = try CorpusGenerator(chapters: size, entities: entityCount, seed: 1081, flavour: .hugo)
                    .write(to: URL(fileURLWithPath: hugoSite))
            }
            var results: [[String: Any]] = []
            // cmark and Hugo run between the builds, so that all are measured in the same minutes (this machine's
            // speed drifts from one minute to the next).
            var cmark: [Double] = []
            var hugoRuns: [ChildRun] = []
            for _ in 0..<runs {
                if let cpu = cmarkCPU(corpus: corpus) { cmark.append(cpu) }
                if compareHugo {
                    sync()
                    guard let run = hugoBuild(site: hugoSite, output: "\(outputs)/hugo-\(size)-\(hugoRuns.count)") else {
                        throw ValidationError("hugo failed to build \(hugoSite)")
                    }
                    hugoRuns.append(run)
                }
                let output = "\(outputs)/\(size)-\(results.count)/Public"
                // The previous build's files go to disk first: each build starts as an author's would, with no
                // hundreds of megabytes from another still waiting to be written (copying its files into the page
                // cache then took up to six times as long on the development machine).
                sync()
                results.append(try measureInProcessOfItsOwn(executable: executable, corpus: corpus, templates: templates,
                                                            output: output))
            }
            let median = results.sorted { ($0["wall"] as? Double ?? 0) < ($1["wall"] as? Double ?? 0) }[results.count / 2]
            let stages = median["stages"] as? [String: Double] ?? [:]
            func f(_ value: Double?) -> String { String(format: "%.3f", value ?? 0) }
            let wall = median["wall"] as? Double ?? 0
            let pages = median["pages"] as? Int ?? 0
            let row = ["\(size)", "\(entityCount)", f(wall), f(median["cpu"] as? Double),
                       String(format: "%.0f", Double(pages) / max(wall, 0.000_001)),
                       String(format: "%.0f", median["peak_mib"] as? Double ?? 0),
                       f(stages["Loading"]), f(stages["Parsing"]), f(stages["Indexing"]), f(stages["Linking"]),
                       f(stages["Drawing"]), f(stages["Rendering"]), f(stages["Writing"])]
                + Self.cmarkColumns(cmark, cpus: results.map { $0["cpu"] as? Double ?? 0 })
                + Self.hugoColumns(hugoRuns, wall: wall)
            print("| " + row.joined(separator: " | ") + " |")
            if (median["succeeded"] as? Bool) != true { throw ValidationError("the build of \(size) chapters failed") }
        }
    }
}

extension Run {
    /// The median CPU of the `cmark` runs and the median CPU of the builds divided by it ("–" without `cmark`).
    static func cmarkColumns(_ cmark: [Double], cpus: [Double]) -> [String] {
        guard !cmark.isEmpty, !cpus.isEmpty else { return ["–", "–"] }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        let base = median(cmark)
        return [String(format: "%.3f", base), base > 0 ? String(format: "%.2f", median(cpus) / base) : "–"]
    }

    /// Hugo's median wall time, CPU time and peak memory, and its wall time divided by the build's ("–" without Hugo).
    static func hugoColumns(_ runs: [ChildRun], wall: Double) -> [String] {
        guard !runs.isEmpty else { return ["–", "–", "–", "–"] }
        let median = runs.sorted { $0.wall < $1.wall }[runs.count / 2]
        return [String(format: "%.3f", median.wall), String(format: "%.3f", median.cpu), String(format: "%.0f", median.peakMiB),
                wall > 0 ? String(format: "%.1f", median.wall / wall) : "–"]
    }
}

/// Measures rebuilding after one chapter edit: in memory (a build session, as `serve` uses), and as a new build run
/// into the previous run's output (as `build-site` run again).
struct Incremental: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Time a rebuild after editing one chapter of a corpus.")
    @Option(help: "Chapters of the corpus.") var chapters = 10000
    @Option(help: "Entities of the corpus.") var entities = 2000
    @Option(help: "Edits to time; the median is reported.") var edits = 5
    @Option var work = "/tmp/site-bench"
    @Option var templates = "Templates"

    func run() throws {
        let corpus = "\(work)/corpus-v\(CorpusGenerator.version)-\(chapters)-\(entities)"
        if !FileManager.default.fileExists(atPath: corpus + "/site.yaml") {
            _ = try CorpusGenerator(chapters: chapters, entities: entities, seed: 1081).write(to: URL(fileURLWithPath: corpus))
        }
        let session = BuildSession(options: BuildOptions(content: corpus, contentDisplay: "Content", templates: templates,
                                                         templatesDisplay: "Templates", output: nil))
        var start = Date()
        let first = try session.generate()
        print("first build: \(String(format: "%.3f", Date().timeIntervalSince(start))) s, \(first.generated.files.count) files")
        let chapterFolder = corpus + "/chapters"
        let names = try FileManager.default.contentsOfDirectory(atPath: chapterFolder).filter { $0.hasSuffix(".md") }.sorted()
        // Each edit is timed twice: told which file changed (as `serve` is by its watcher), and not told (as a repeated
        // `build-site` run is, which must look at every file).
        var told: [Double] = [], untold: [Double] = []
        for edit in 0..<edits {
            let path = chapterFolder + "/" + names[(edit * 7919) % names.count]
            let original = try String(contentsOfFile: path, encoding: .utf8)
            for tell in [true, false] {
                try (original + "\nAn edited sentence, number \(edit).\n").write(toFile: path, atomically: true, encoding: .utf8)
                start = Date()
                var marks: [(String, Date)] = []
                let outcome = try session.generate(progress: { line in marks.append((String(line.split(separator: " ")[1]), Date())) },
                                                   changes: tell ? [path] : nil)
                let seconds = Date().timeIntervalSince(start)
                let stages = marks.enumerated().map { index, mark in
                    let end = index + 1 < marks.count ? marks[index + 1].1 : Date()
                    return "\(mark.0) \(String(format: "%.1f", end.timeIntervalSince(mark.1) * 1000))"
                }.joined(separator: ", ")
                if tell { told.append(seconds) } else { untold.append(seconds) }
                print("edit \(edit + 1), \(tell ? "told the changed file" : "not told"): \(String(format: "%.1f", seconds * 1000)) ms, "
                      + "relinked \(outcome.relinked), re-rendered \(outcome.rerendered), \(outcome.changed.count) files changed")
                print("  stages (ms): \(stages)")
                try original.write(toFile: path, atomically: true, encoding: .utf8)
                _ = try session.generate(changes: tell ? [path] : nil)
            }
        }
        func median(_ times: [Double]) -> String { String(format: "%.1f", times.sorted()[times.count / 2] * 1000) }
        print("median rebuild after one chapter edit: \(median(told)) ms told the changed file, \(median(untold)) ms not told")

        // A new build run into the output of the previous one (as `build-site` run again), each in a process of its
        // own (`measure`): it starts from the folder and the link cache beside it, links only what changed, and renders
        // only the pages whose render key differs from the one recorded in the output.
        let output = "\(work)/incremental-output-\(getpid())/Public"
        defer { try? FileManager.default.removeItem(atPath: (output as NSString).deletingLastPathComponent) }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
        func buildRun() throws -> [String: Any] {
            try measureInProcessOfItsOwn(executable: executable, corpus: corpus, templates: templates, output: output)
        }
        func describe(_ run: [String: Any]) -> String {
            String(format: "%.1f ms (%.2f s CPU), %d pages linked, %d files rendered, %d kept from the last run",
                   (run["wall"] as? Double ?? 0) * 1000, run["cpu"] as? Double ?? 0, run["linked"] as? Int ?? 0,
                   run["rendered"] as? Int ?? 0, run["reused"] as? Int ?? 0)
        }
        print("build run into an empty folder: \(describe(try buildRun()))")
        print("build run again, nothing changed: \(describe(try buildRun()))")
        var runs: [Double] = []
        for edit in 0..<edits {
            let path = chapterFolder + "/" + names[(edit * 7919) % names.count]
            let original = try String(contentsOfFile: path, encoding: .utf8)
            try (original + "\nAn edited sentence, number \(edit).\n").write(toFile: path, atomically: true, encoding: .utf8)
            let run = try buildRun()
            runs.append(run["wall"] as? Double ?? 0)
            print("edit \(edit + 1), a new build run: \(describe(run))")
            try original.write(toFile: path, atomically: true, encoding: .utf8)
            _ = try buildRun()
        }
        print("median build run after one chapter edit: \(median(runs)) ms")
    }
}
