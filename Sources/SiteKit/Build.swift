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
}

/// One build: a straight line of stages, each taking values and returning values.
public enum SiteBuilder {
    /// Number of stages, for progress lines.
    static let stageCount = 7

    /// The site in memory: every file it would write, and the drawings (nil when the build failed).
    public struct Generated: Sendable {
        public var result: BuildResult
        public var files: [OutputFile]
        public var illustrations: Illustrations?
    }

    /// Runs every stage; only the last writes, and only when no error was found.
    public static func build(_ options: BuildOptions, progress: (String) -> Void = { _ in }) throws -> BuildResult {
        if let output = options.output { try OutputGuard.check(output, options: options) }
        let generated = try generate(options, progress: progress)
        guard generated.result.succeeded, let output = options.output else { return generated.result }
        progress("[7/7] Writing \(generated.files.count) files")
        try OutputWriter(output: output).write(generated.files)
        var result = generated.result
        result.wrote = true
        return result
    }

    /// Runs every stage but the write: diagnostics, and the output files in memory when there is no error.
    public static func generate(_ options: BuildOptions, progress: (String) -> Void = { _ in }) throws -> Generated {
        var log = DiagnosticLog()
        func failure(_ pageCount: Int) -> Generated {
            Generated(result: BuildResult(diagnostics: log, wrote: false, pageCount: pageCount, succeeded: false),
                      files: [], illustrations: nil)
        }

        progress("[1/7] Loading content and templates")
        let loader = ContentLoader(root: options.content, displayRoot: options.contentDisplay)
        let content = try loader.load(log: &log)
        let templates = try TemplateSet.load(root: options.templates, displayRoot: options.templatesDisplay, log: &log)

        let files = content.chapters.map { ($0, EntityKind?.none) }
            + content.entities.flatMap { kind, files in files.map { ($0, Optional(kind)) } }
        progress("[2/7] Parsing \(files.count) files")
        let parsed = parallelMap(files.map { ParseInput(file: $0.0, kind: $0.1) }) { input in
            var fileLog = DiagnosticLog()
            let page = PageParser.parse(input.file, kind: input.kind, log: &fileLog)
            return ParseOutput(page: page, log: fileLog)
        }
        parsed.forEach { log.merge($0.log) }
        let pages = parsed.compactMap(\.page)

        progress("[3/7] Indexing \(pages.count) pages")
        let book = Book(config: content.config, chapters: pages.filter(\.isChapter),
                        entities: content.config.kinds.map { kind in (kind, pages.filter { $0.kind == kind }) },
                        staticFiles: content.staticFiles, log: &log)
        let index = EntityIndex(book: book)

        progress("[4/7] Linking \(book.pages.count) pages")
        let linker = Linker(book: book, index: index)
        let ordered = book.chapters + book.allEntities
        let linkedResults = parallelMap(ordered) { page in
            var pageLog = DiagnosticLog()
            let linked = linker.link(page, log: &pageLog)
            return LinkOutput(page: linked, log: pageLog)
        }
        linkedResults.forEach { log.merge($0.log) }
        var linked: [PageID: LinkedPage] = [:]
        for result in linkedResults { linked[result.page.id] = result.page }
        let backlinks = Backlinks(chapters: book.chapters.compactMap { linked[$0.id] })
        for entity in book.allEntities where backlinks.entries(for: entity.id).isEmpty {
            log.warning("\(entity.kind?.singular ?? "entity") '\(entity.id.slug)' is not referred to by any chapter",
                        at: entity.file.start)
        }

        progress("[5/7] Drawing maps and timelines")
        let data = IllustrationData(book: book, index: index, mapFiles: content.mapFiles, log: &log)
        for place in book.entities.first(where: { $0.kind.folder == "places" })?.pages ?? []
            where !place.fields.contains(where: { $0.key == "coordinates" }) {
            log.warning("place '\(place.id.slug)' has no coordinates: it is left off the maps", at: place.file.start,
                        notes: ["add 'coordinates: [latitude, longitude]' in decimal degrees"])
        }
        let pageCount = 2 + book.pages.count + book.entities.count + 3
        let failed = log.hasErrors || (options.warningsAsErrors && log.warningCount > 0)
        guard !failed else { return failure(pageCount) }
        let illustrations = Illustrations(book: book, data: data, linked: linked, backlinks: backlinks)

        progress("[6/7] Rendering \(pageCount) pages")
        let linkedSoFar = linked
        let bodies = parallelMap(ordered) { page -> LinkedPage in
            var result = linkedSoFar[page.id]!
            linker.renderBody(of: page, into: &result, firstFigure: page.isChapter ? illustrations.firstFigure[page.id] : nil)
            return result
        }
        for body in bodies { linked[body.id] = body }
        var bookBodies: [PageID: String] = [:]
        if SiteRenderer.wantsBookPage(book, templates: templates) {
            // The whole-book page needs every chapter linked again with anchors on one page: a second, cheap pass.
            let rendered = parallelMap(book.chapters) { chapter -> (PageID, String) in
                var ignored = DiagnosticLog()
                let document = chapter.document.reparsed(idPrefix: Linker.bookPrefix(chapter.id))
                var result = linker.link(chapter, document: document, placement: .bookPage, log: &ignored)
                linker.renderBody(of: document, into: &result, firstFigure: illustrations.firstFigure[chapter.id])
                return (chapter.id, result.bodyHTML)
            }
            bookBodies = Dictionary(uniqueKeysWithValues: rendered)
        }
        let renderer = SiteRenderer(book: book, linked: linked, backlinks: backlinks, templates: templates,
                                    illustrations: illustrations, bookBodies: bookBodies)
        var outputFiles = renderer.render()
        outputFiles += content.staticFiles.map { OutputFile(path: $0.relativePath, contents: .copy(from: $0.sourcePath)) }
        outputFiles.sort { $0.path < $1.path }
        if let clash = zip(outputFiles, outputFiles.dropFirst()).first(where: { $0.path == $1.path }) {
            log.error("two files would be written to '\(clash.0.path)': rename the content folder or file that clashes "
                      + "with a generated page or template asset", at: nil)
            return failure(pageCount)
        }
        return Generated(result: BuildResult(diagnostics: log, wrote: false, pageCount: pageCount, succeeded: true),
                         files: outputFiles, illustrations: illustrations)
    }

    private struct ParseInput: Sendable {
        var file: SourceFile
        var kind: EntityKind?
    }

    private struct ParseOutput: Sendable {
        var page: Page?
        var log: DiagnosticLog
    }

    private struct LinkOutput: Sendable {
        var page: LinkedPage
        var log: DiagnosticLog
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
