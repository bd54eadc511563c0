import Foundation

/// What to build and how.
public struct BuildOptions: Sendable {
    /// Absolute path of the content folder, and how to print it.
    public var content: String
    public var contentDisplay: String
    /// Absolute path of the templates folder, and how to print it.
    public var templates: String
    public var templatesDisplay: String
    /// Absolute path of the output folder; nil to check without writing.
    public var output: String?
    /// How the output folder is printed in messages.
    public var outputDisplay: String
    /// Folders the output must never be, contain or replace (the package root, for example).
    public var protectedFolders: [String]
    /// Treat warnings as errors.
    public var warningsAsErrors: Bool
    /// Leave the swapped-out old output for the caller to remove (`BuildResult.oldTree`), off the critical path.
    public var deferCleanup = false
    /// Free the build's model of the site when the build is done. A command that exits right after building turns
    /// this off: the kernel reclaims the memory at exit far faster than millions of `free`s (as compilers do).
    public var releaseMemory = true
    /// Let a build that links every page (no usable link cache) have the memory it will need made ready ahead, in the
    /// time one core waits on the other (`site_prefault`). For a process that builds once and exits: memory made
    /// ready is kept by the allocator until the process ends.
    public var prefaultMemory = false
    /// Render through swift-mustache itself instead of the compiled templates (tests compare the two).
    var renderThroughLibrary = false

    /// Creates options.
    public init(content: String, contentDisplay: String, templates: String, templatesDisplay: String,
                output: String?, outputDisplay: String = "", protectedFolders: [String] = [], warningsAsErrors: Bool = false) {
        self.content = content
        self.contentDisplay = contentDisplay
        self.templates = templates
        self.templatesDisplay = templatesDisplay
        self.output = output
        self.outputDisplay = outputDisplay.isEmpty ? (output ?? "") : outputDisplay
        self.protectedFolders = protectedFolders
        self.warningsAsErrors = warningsAsErrors
    }
}

/// What a build did.
public struct BuildResult: Sendable {
    /// Every problem found.
    public var diagnostics: DiagnosticLog
    /// Whether the output folder was replaced.
    public var wrote: Bool
    /// Number of HTML pages produced (or that would be).
    public var pageCount: Int
    /// True when the build (or check) succeeded.
    public var succeeded: Bool
    /// The previous output, swapped out and still to be removed (with `deferCleanup`).
    public var oldTree: String?
    /// Files written with new bytes, and files kept (linked) unchanged from the previous build.
    public var written = 0
    public var kept = 0
    /// Pages rendered, and pages kept from the previous output without rendering (their inputs had not changed).
    public var rendered = 0
    public var reused = 0
    /// Pages parsed and linked (the others were taken from what the previous run linked).
    public var linked = 0
    /// Chapters whose search documents were made (the others' were known, or not needed).
    var searchDocumentsMade = 0
}

/// One build: a straight line of stages, each taking values and returning values.
public enum SiteBuilder {
    /// The site in memory: every file it would write, and the drawings (nil when the build failed).
    public struct Generated: Sendable {
        public var result: BuildResult
        public var files: [OutputFile]
        public var illustrations: Illustrations?
    }

    /// Throws when `output` must not be replaced (the root, the package, the content or templates folder).
    public static func checkOutputFolder(_ output: String, options: BuildOptions) throws {
        try OutputGuard.check(output, options: options)
    }

    /// Runs every stage; only the last writes, and only when no error was found.
    public static func build(_ options: BuildOptions, progress: (String) -> Void = { _ in }) throws -> BuildResult {
        if let output = options.output { try OutputGuard.check(output, options: options) }
        guard let output = options.output else { return try check(options, progress: progress) }
        // Pages go into the new tree batch by batch as they are rendered; it is swapped in only when all are there,
        // and removed when anything fails (an error in the content means nothing is rendered at all).
        let writer = OutputWriter(output: output)
        // Pages whose inputs are those the previous run rendered them from are kept from its output, not rendered.
        let previous = writer.previousOutput()
        let sink = StagingSink(writer: writer, previous: previous)
        let outcome: BuildSession.Outcome
        let session = BuildSession(options: options, keepingSources: false)
        defer { if !options.releaseMemory { abandon(session) } }
        // What the previous run linked, for the pages whose text and book are unchanged.
        let linkCacheIdentity = BuildSession.programIdentity + "\n" + options.contentDisplay
        let cache = Eventually<LinkCache?>()
        DispatchQueue.global().async { cache.set(LinkCache.load(writer.linkCachePath, identity: linkCacheIdentity)) }
        session.linkCache = { cache.value }
        // What this run linked goes into the new tree, written while its pages are rendered (or linked from the old
        // tree when it is the same).
        let linkCacheWritten = Eventually<Bool>()
        var writingLinkCache = false
        session.linkCacheReady = { linkCache in
            try? sink.prepare()
            guard let path = sink.staging?.linkCachePath else { return }
            guard let linkCache else {
                _ = link(writer.linkCachePath, path)
                return
            }
            writingLinkCache = true
            DispatchQueue.global().async {
                linkCacheWritten.set(linkCache.write(to: path, identity: linkCacheIdentity))
            }
        }
        do {
            defer { if writingLinkCache { _ = linkCacheWritten.value } }
            outcome = try session.generate(progress: progress, sink: sink, previous: previous)
        } catch {
            sink.staging?.discard()
            throw error
        }
        let generated = outcome.generated
        guard generated.result.succeeded, let staging = sink.staging else {
            sink.staging?.discard()
            return generated.result
        }
        progress("[7/7] Writing \(sink.count) files")
        let report: OutputWriter.Report
        do {
            report = try staging.commit(removeOldTree: !options.deferCleanup)
        } catch {
            staging.discard()
            throw error
        }
        if !options.releaseMemory { abandon(generated) }
        var result = outcome.counted
        result.wrote = true
        result.oldTree = report.oldTree
        result.written = report.written
        result.kept = report.kept
        return result
    }

    /// A check: every stage a build runs, each page rendered as a build renders it and let go at once (a build streams
    /// its pages into files); nothing is written. (Holding every page until the end, a check of a 10,000-chapter book
    /// took twice the memory of a build of it, and longer.)
    static func check(_ options: BuildOptions, progress: (String) -> Void) throws -> BuildResult {
        let session = BuildSession(options: options, keepingSources: false)
        defer { if !options.releaseMemory { abandon(session) } }
        let outcome = try session.generate(progress: progress, sink: DiscardingSink(), previous: nil)
        if !options.releaseMemory { abandon(outcome.generated) }
        return outcome.counted
    }

    /// Runs every stage but the write: diagnostics, and the output files in memory when there is no error.
    public static func generate(_ options: BuildOptions, progress: (String) -> Void = { _ in }) throws -> Generated {
        try BuildSession(options: options, keepingSources: false).generate(progress: progress).generated
    }
}

/// The one-shot build's sink: the new output tree, begun when the first batch (or the link cache) comes, so that a
/// build that fails before rendering leaves no trace.
private final class StagingSink: PageSink, @unchecked Sendable {
    let writer: OutputWriter
    let previous: OutputWriter.PreviousOutput
    /// Set once by `prepare`, on the building thread, before any `write`.
    private(set) var staging: OutputWriter.Staging?
    /// Files recorded.
    private(set) var count = 0

    init(writer: OutputWriter, previous: OutputWriter.PreviousOutput) {
        self.writer = writer
        self.previous = previous
    }

    func prepare() throws {
        if staging == nil { staging = try writer.begin(previous: previous) }
    }

    func write(_ file: OutputFile) -> OutputWriter.WriteOutcome {
        staging!.write(file)
    }

    func record(_ outcomes: [OutputWriter.WriteOutcome]) throws {
        try staging?.record(outcomes)
        count += outcomes.count
    }
}

/// A check's sink: takes each page and keeps nothing.
private final class DiscardingSink: PageSink {
    func prepare() throws {}

    func write(_ file: OutputFile) -> OutputWriter.WriteOutcome {
        OutputWriter.WriteOutcome(path: file.path)
    }

    func record(_ outcomes: [OutputWriter.WriteOutcome]) throws {}
}

/// Keeps `value` alive until the process exits (see `BuildOptions.releaseMemory`), reachable from a global. Debug
/// builds free it as usual: a leak checker cannot follow every reference Swift stores (some carry tag bits), and would
/// report what is only kept.
func abandon<T>(_ value: T) {
    #if !DEBUG
    keptUntilExit.keep(value)
    #endif
}

private let keptUntilExit = KeptUntilExit()

private final class KeptUntilExit: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Any] = []

    func keep(_ value: Any) {
        lock.lock()
        values.append(value)
        lock.unlock()
    }
}

/// Refuses output folders whose replacement would destroy the author's work.
enum OutputGuard {
    static func check(_ path: String, options: BuildOptions) throws {
        let out = normalize(path)
        let output = options.outputDisplay
        if out == "/" { throw BuildError.unsafeOutputFolder(output, reason: "it is the root of the file system") }
        let guarded = [(options.content, "the content folder"), (options.templates, "the templates folder")]
            + options.protectedFolders.map { ($0, "the package folder") }
        for (folder, name) in guarded {
            let protected = normalize(folder)
            if out == protected { throw BuildError.unsafeOutputFolder(output, reason: "it is \(name)") }
            if protected.hasPrefix(out + "/") { throw BuildError.unsafeOutputFolder(output, reason: "it contains \(name)") }
            if name != "the package folder", out.hasPrefix(protected + "/") {
                throw BuildError.unsafeOutputFolder(output, reason: "it is inside \(name)")
            }
        }
    }

    static func normalize(_ path: String) -> String {
        let standardized = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        return standardized.count > 1 && standardized.hasSuffix("/") ? String(standardized.dropLast()) : standardized
    }
}
