import CPrefault
import Foundation

/// A build that remembers: each rebuild reads only files whose size or modification time changed, parses only
/// changed files, links and renders only the pages whose inputs changed, and reports which output files differ
/// from the previous build. `SiteBuilder.generate` is one build of a fresh session.
///
/// Dependencies are tracked through keys: the *global key* hashes everything many pages show (the program, site.yaml,
/// which templates there are, map data, every entity file, every chapter's front-matter, heading ids and figure
/// count); a page's link key adds its own text; its render key adds the templates' text (and, for a chapter, its
/// figure numbers; for an entity, the backlinks it lists). Editing the body of one chapter therefore re-renders that
/// chapter, the entity pages whose backlinks changed, and the few pages that gather from every chapter (search index,
/// list of illustrations, the book map when its label order changed); editing a template renders every page again
/// but links none. A first build can start from what an earlier build run linked (`linkCache`) and kept in its
/// output folder (`generate`'s `previous`). Used from one task at a time.
public final class BuildSession: @unchecked Sendable {
    /// What the session builds.
    public let options: BuildOptions
    /// The files read by this session's builds, for the next (nil for a session of one build, which would only
    /// pay for it: a `stat` and a locked insert for each file).
    let sources: SourceCache?
    private var parsed: [String: ParsedEntry] = [:]
    private var linkedCache: [PageID: LinkedEntry] = [:]
    private var renderCache: [String: (key: StableHash, file: OutputFile)] = [:]
    /// Each chapter's search documents and their hash, under the key they were made with; the documents are nil when
    /// only the hash is known (from the link cache), until the search index must be rendered.
    private var searchCache: [PageID: (key: StableHash, fragment: [UInt8]?, hash: StableHash)] = [:]
    private var bookBodyCache: [PageID: (key: StableHash, body: String)] = [:]
    private var previousIllustrations: Illustrations?
    /// The illustration data of the last build with its diagnostics, and the global key it was read under (it depends
    /// only on front-matter, entity files and map data, which that key covers).
    private var previousData: (key: StableHash, data: IllustrationData, log: DiagnosticLog)?
    /// The backlinks of the last linking, with the global key they were gathered under.
    private var previousBacklinks: (key: StableHash, backlinks: Backlinks)?
    private var previousGlobal: StableHash?
    /// The files of the last successful build, by path.
    public private(set) var outputs: [String: OutputFile] = [:]
    /// What the last build kept in memory made (nil after a build that failed or wrote through a sink): what a rebuild
    /// told exactly which files changed starts from.
    private var last: LastBuild?
    /// What an earlier build run linked (read from disk by `SiteBuilder.build` while the content loads; waited for
    /// when linking starts): a session's first build takes from it the pages whose link key is unchanged instead of
    /// parsing and linking them.
    var linkCache: (() -> LinkCache?)?
    /// Called by a streaming build that will write its output with what the link cache is to keep, once every page is
    /// linked and numbered (before rendering, so that the cache can be written while pages are rendered); with nil
    /// when every page came from the link cache given, which held no other: the same file can be kept.
    var linkCacheReady: ((LinkCache?) -> Void)?

    private struct LastBuild {
        var templates: TemplateSet
        var book: Book
        var linker: Linker
        var global: StableHash
        var linked: [PageID: LinkedPage]
        var illustrations: Illustrations
        var bookBodies: [PageID: String]
        var searchFragments: [PageID: [UInt8]]
        var log: DiagnosticLog
        var pageCount: Int
        /// Every output file, sorted by path.
        var files: [OutputFile]
    }

    // The caches' entries are objects: a rebuild carries every unchanged entry over, and a reference is one retain
    // where a struct of these fields was one per field.

    private final class ParsedEntry {
        let file: SourceFile
        let kind: EntityKind?
        let page: Page?
        let log: DiagnosticLog
        /// Whether the page's tree has been linked (a tree is linked once; a later link needs a fresh parse).
        var treeUsed: Bool

        init(file: SourceFile, kind: EntityKind?, page: Page?, log: DiagnosticLog, treeUsed: Bool) {
            self.file = file
            self.kind = kind
            self.page = page
            self.log = log
            self.treeUsed = treeUsed
        }
    }

    private final class LinkedEntry {
        let linkKey: StableHash
        /// The page, linked and rendered (its figures numbered from `numberedFrom`, for a chapter that has some).
        var linked: LinkedPage
        let log: DiagnosticLog
        /// A chapter's body and figures with placeholders for the figure numbers, when it has figures.
        var template: (html: [UInt8], figures: [Figure])?
        /// The number the figures of `linked` start from.
        var numberedFrom: Int?
        /// False for an entry read from the link cache: `linked` has everything but the rendered body.
        let hasBody: Bool
        /// What the link cache keeps beside the linked page: the file, its kind and text hash, and what its parse gave.
        let source: (path: String, kind: String?, textHash: StableHash, headingIDs: [String], figureCount: Int)
        /// A chapter's number and the hash of its search documents, when made.
        var search: (number: Int, hash: StableHash)?

        /// An entry for a page just linked and rendered (a chapter's figures with placeholders for their numbers).
        init(linkKey: StableHash, linked: LinkedPage, log: DiagnosticLog, page: Page) {
            self.linkKey = linkKey
            self.linked = linked
            self.log = log
            template = linked.figures.isEmpty || !page.isChapter ? nil : (html: linked.body, figures: linked.figures)
            hasBody = true
            source = (page.file.relativePath, page.kind?.folder, page.textHash, page.document.headingIDs,
                      page.document.figureCount)
        }

        /// An entry read from the link cache, for the page in `path` (its figures already numbered).
        init(cached entry: LinkCache.Entry, path: String) {
            linkKey = entry.linkKey
            linked = entry.linked
            log = entry.log
            template = nil
            hasBody = false
            source = (path, entry.kind, entry.textHash, entry.headingIDs, entry.figureCount)
            search = entry.search
        }

        /// The entry as the link cache keeps it (with the body, which is not written: emptying it here copied every
        /// linked page).
        var cached: LinkCache.Entry {
            LinkCache.Entry(kind: source.kind, textHash: source.textHash, headingIDs: source.headingIDs,
                            figureCount: source.figureCount, linkKey: linkKey, linked: linked, log: log, search: search)
        }

        /// Whether the figures can be numbered again if they move: false for a chapter body whose placeholders were
        /// let go after numbering (a build given a sink does so); such a page is linked again when it is next built.
        var canBeNumberedAgain: Bool {
            !hasBody || template != nil || linked.figures.isEmpty || source.kind != nil
        }

        /// Puts the body numbered from `first` in place.
        func number(_ numbered: (html: [UInt8], figures: [Figure]), from first: Int) {
            linked.body = numbered.html
            linked.figures = numbered.figures
            numberedFrom = first
        }
    }

    /// The key a page is linked under: what every page shows, and its own text.
    private static func linkKey(_ page: Page, global: StableHash) -> StableHash {
        var key = global
        key.add(page.textHash)
        return key
    }

    /// The key a chapter's search documents are encoded under: its text and its number.
    private static func searchKey(_ chapter: Page, index: Int, global: StableHash) -> StableHash {
        var key = linkKey(chapter, global: global)
        key.add(index)
        return key
    }

    /// What one build produced.
    public struct Outcome: Sendable {
        /// Diagnostics, status and the files in memory.
        public var generated: SiteBuilder.Generated
        /// Output paths whose contents differ from the previous successful build (all of them the first time).
        public var changed: [String]
        /// Output paths the previous build had and this one does not.
        public var removed: [String]
        /// Pages linked again, and files rendered again, in this build.
        public var relinked: Int
        public var rerendered: Int
        /// Pages kept from the previous build run's output without rendering (a streaming build given `previous`).
        public var reused = 0
        /// Chapters whose search documents were made.
        var searchDocumentsMade = 0

        /// The build's result, with what this build linked, rendered, kept and made.
        var counted: BuildResult {
            var result = generated.result
            result.rendered = rerendered
            result.linked = relinked
            result.reused = reused
            result.searchDocumentsMade = searchDocumentsMade
            return result
        }
    }

    /// A session building `options`; one that will build only once (`SiteBuilder.build`) does not keep the files it
    /// reads (`keepingSources`).
    public init(options: BuildOptions, keepingSources: Bool = true) {
        self.options = options
        self.sources = keepingSources ? SourceCache() : nil
    }

    /// Builds (or rebuilds) in memory. Writes nothing.
    ///
    /// With a `sink`, each page is handed to it as soon as it is rendered, on the thread that rendered it, and not
    /// kept: the one-shot build writes them straight into the new output tree, so a large book is never held in memory
    /// whole. The outcome then lists no files, and the next build of this session renders every page again.
    ///
    /// `previous`, for a streaming build, is what the output folder holds: each page whose render key is the one the
    /// previous build run recorded for it there is handed to the sink as that file (`.previous`), not rendered again.
    /// (The keys are those a session compares between its own builds: see `jobKey`.)
    ///
    /// `changes`, when the caller knows them (a file watcher), are the absolute paths of every file created, changed or
    /// deleted since the previous build of this session. When they are only chapter bodies whose edits leave the rest
    /// of the book as it was (the same front-matter, heading ids, figures, entities referred to, and no diagnostics),
    /// the rebuild touches only those chapters and the pages that show them, without looking at the other files;
    /// anything else builds as without `changes`.
    public func generate(progress: (String) -> Void = { _ in },
                         sink: PageSink? = nil,
                         previous: OutputWriter.PreviousOutput? = nil,
                         changes: [String]? = nil) throws -> Outcome {
        if sink == nil, let changes, let outcome = quickRebuild(changes, progress: progress) { return outcome }
        last = nil
        var log = DiagnosticLog()
        progress("[1/7] Loading content and templates")
        let loader = ContentLoader(root: options.content, displayRoot: options.contentDisplay, cache: sources)
        // The templates are read and compiled on a thread of their own while the content is read.
        let templatesLoaded = Eventually<Result<(TemplateSet, DiagnosticLog), Error>>()
        let (templatesRoot, templatesDisplay) = (options.templates, options.templatesDisplay)
        DispatchQueue.global().async {
            var templatesLog = DiagnosticLog()
            templatesLoaded.set(Result {
                (try TemplateSet.load(root: templatesRoot, displayRoot: templatesDisplay, log: &templatesLog), templatesLog)
            })
        }
        // (A content folder that cannot be read is the error reported, as when the two were read in turn.)
        var content = try loader.load(log: &log)
        let (loadedTemplates, templatesLog) = try templatesLoaded.value.get()
        log.merge(templatesLog)
        var templates = loadedTemplates
        if options.renderThroughLibrary { templates.compiled = nil }

        var files = content.chapters.map { ($0, EntityKind?.none) }
            + content.entities.flatMap { kind, files in files.map { ($0, Optional(kind)) } }
        progress("[2/7] Parsing \(files.count) files")
        // A session with nothing linked yet links every page: bodies are parsed as they are linked (see `link`).
        let linkingAll = linkedCache.isEmpty
        // A build that streams its pages out and keeps no sources leaves each text to the page's document, which
        // parses the body from it when the page is linked and then, when no whole-book page will parse it again, lets
        // it go: the rendered bodies take the memory of the texts rather than fresh memory (a large book's texts are a
        // hundred megabytes; on a virtual machine, fresh memory costs a fault for every page of it).
        let oneShot = sink != nil && sources == nil
        var pages = parse(files, bodiesLater: linkingAll, pagesKeepTexts: !oneShot, log: &log)
        // What the previous run linked (a streaming first build only): its pages are not linked again.
        let diskCache = linkingAll && sink != nil ? linkCache?().flatMap { $0.entries.isEmpty ? nil : $0 } : nil
        linkCache = nil

        // A build that links every page takes memory in proportion to the text: rendered bodies, backlinks and the
        // rest, about three times the text again in a large book. Two and a half times the text is made ready now,
        // while this thread alone makes the book and its index (and in the build's later waits): faulted in page by
        // page while both cores link, it was a tenth of the build's time on a virtual machine.
        if options.prefaultMemory, linkingAll, sink != nil, diskCache == nil {
            let bytes = files.reduce(0) { $0 + $1.0.text.utf8.count }
            _ = site_prefault(bytes / 2 * 5)
        }
        progress("[3/7] Indexing \(pages.count) pages")
        var book = Book(config: content.config, chapters: pages.filter(\.isChapter),
                        entities: content.config.kinds.map { kind in (kind, pages.filter { $0.kind == kind }) },
                        staticFiles: content.staticFiles, log: &log)
        let bookPage = SiteRenderer.wantsBookPage(book, templates: templates)
        let textsLetGoWhenLinked = oneShot && !bookPage
        if textsLetGoWhenLinked {
            // The documents are left the only holders of the texts (the pages were made without them).
            files = []
            content.chapters = []
            content.entities = content.entities.map { ($0.kind, []) }
            // (What a later build of the session would compare with: this one has none.)
            parsed = [:]
        }
        let index = EntityIndex(book: book)

        progress("[4/7] Linking \(book.pages.count) pages")
        var linker = Linker(book: book, index: index)
        var ordered = book.chapters + book.allEntities
        var relinked = 0
        var replaced: [(old: LinkedPage?, new: LinkedPage)] = []
        var parsingBodies = linkingAll
        // Whether every page came from the link cache, which held no other: then it need not be written again.
        var wholeLinkCacheUsed = false
        if let cache = diskCache {
            wholeLinkCacheUsed = useLinkCache(cache, for: ordered) == cache.entries.count
            parsingBodies = false
        }
        // A session's first build reads the illustration data (coordinates, armies, lives) on a thread of its own
        // while the pages are linked: it needs only the book and the index, and read after linking it left a core idle.
        var earlyData: Eventually<(IllustrationData, DiagnosticLog)>?
        if previousData == nil {
            let waiting = Eventually<(IllustrationData, DiagnosticLog)>()
            let (book, index, mapFiles) = (book, index, content.mapFiles)
            DispatchQueue.global().async {
                var dataLog = DiagnosticLog()
                let data = IllustrationData(book: book, index: index, mapFiles: mapFiles, log: &dataLog)
                waiting.set((data, dataLog))
            }
            earlyData = waiting
        }
        var (linked, global) = link(ordered, linker: linker, parsingBodies: parsingBodies,
                                    lettingTextsGo: textsLetGoWhenLinked,
                                    global: { globalKey(book: book, content: content, templates: templates) },
                                    log: &log, relinked: &relinked, replaced: &replaced)
        let sameGlobal = global == previousGlobal
        // A build that streams its pages out, with no whole-book page, keeps nothing for the session's next build
        // (which reads, parses and renders everything again).
        let streaming = sink != nil && !bookPage
        // Pages taken from the link cache have no body yet: if one must be rendered, it is parsed and linked then,
        // from its text.
        let bodiless = Set(ordered.lazy.filter { self.linkedCache[$0.id]?.hasBody == false }.map(\.id))
        if streaming && bodiless.isEmpty {
            // Once linked, it reads no source text (only the whole-book page parses chapters again): the texts are
            // let go, a tenth of what a large book holds; freed on another thread (this one goes on alone). They are
            // handed over once the book holds none of them, so that none is freed here. (A build that let each text go
            // as its page was linked has none left: what goes is the parsed pages, and the book and linker, which hold
            // no text, are kept as they are rather than copied page by page.)
            let texts = HeldForRelease((files, pages, ordered, content.chapters, content.entities, parsed, sources, book,
                                        linker))
            files = []
            pages = []
            ordered = []
            content.chapters = []
            content.entities = content.entities.map { ($0.kind, []) }
            parsed = [:]
            sources?.removeAll()
            if !textsLetGoWhenLinked {
                book.dropSourceTexts()
                linker = Linker(book: book, index: index)
            }
            texts.releaseLater()
        }
        let searchWork = startSearchFragments(book: book, linked: linked, global: global)
        // Backlinks are gathered again only from the chapters linked again, when the chapters and their order are
        // the same as when they were last gathered; otherwise from every chapter.
        let backlinks: Backlinks
        if let previous = previousBacklinks, previous.key == global, replaced.allSatisfy({ $0.old != nil }) {
            let chapters = replaced.filter { $0.new.id.folder == "chapters" }
            backlinks = previous.backlinks.updating(removing: chapters.compactMap(\.old), adding: chapters.map(\.new),
                                                    number: book.chapterNumber)
        } else {
            backlinks = Backlinks(chapters: book.chapters.compactMap { linked[$0.id] })
        }
        previousBacklinks = (global, backlinks)
        for entity in book.allEntities where backlinks.entries(for: entity.id).isEmpty {
            log.warning("\(entity.kind?.singular ?? "entity") '\(entity.id.slug)' is not referred to by any chapter",
                        at: entity.file.start)
        }

        progress("[5/7] Drawing maps and timelines")
        let data: IllustrationData
        if let previous = previousData, previous.key == global {
            data = previous.data
            log.merge(previous.log)
        } else {
            var dataLog = DiagnosticLog()
            if let earlyData {
                (data, dataLog) = earlyData.value
            } else {
                data = IllustrationData(book: book, index: index, mapFiles: content.mapFiles, log: &dataLog)
            }
            log.merge(dataLog)
            previousData = (global, data, dataLog)
        }
        for place in book.entities.first(where: { $0.kind.folder == "places" })?.pages ?? []
            where !place.fields.contains(where: { $0.key == "coordinates" }) {
            log.warning("place '\(place.id.slug)' has no coordinates: it is left off the maps", at: place.file.start,
                        notes: ["add 'coordinates: [latitude, longitude]' in decimal degrees"])
        }
        let pageCount = 2 + book.pages.count + book.entities.count + 3
        let failed = log.hasErrors || (options.warningsAsErrors && log.warningCount > 0)
        guard !failed else {
            let result = BuildResult(diagnostics: log, wrote: false, pageCount: pageCount, succeeded: false)
            return Outcome(generated: SiteBuilder.Generated(result: result, files: [], illustrations: nil),
                           changed: [], removed: [], relinked: relinked, rerendered: 0)
        }
        var chapterKeys: [PageID: StableHash] = [:]
        for chapter in book.chapters { chapterKeys[chapter.id] = linkedCache[chapter.id]?.linkKey }
        // A streaming build draws each chapter map as its page is rendered, rather than holding every map at once.
        let illustrations = Illustrations(book: book, data: data, linked: linked, backlinks: backlinks,
                                          previous: previousIllustrations, sameInputs: sameGlobal,
                                          forBookPage: bookPage, chapterKeys: chapterKeys,
                                          drawChapterMapsLater: streaming)

        progress("[6/7] Rendering \(pageCount) pages")
        numberFigures(book.chapters, illustrations: illustrations, linked: &linked, keepTemplates: sink == nil)
        let bookBodies = bookPage
            ? wholeBookBodies(book: book, linker: linker, illustrations: illustrations, global: global) : [:]
        var renderer = SiteRenderer(book: book, linked: linked, backlinks: backlinks, templates: templates,
                                    illustrations: illustrations, bookBodies: bookBodies)
        let search = searchFragments(searchWork)
        let linkCacheUnchanged = wholeLinkCacheUsed && relinked == 0 && search.made == 0
        if sink != nil { linkCacheReady?(linkCacheUnchanged ? nil : linkCacheToSave()) }
        let jobs = renderer.jobs()
        let extraFiles = renderer.assetFiles()
            + content.staticFiles.map { OutputFile(path: $0.relativePath, contents: .copy(from: $0.sourcePath)) }
        let paths = (jobs.compactMap { renderer.path(of: $0) } + extraFiles.map(\.path)).sorted()
        if let clash = zip(paths, paths.dropFirst()).first(where: { $0 == $1 }) {
            log.error("two files would be written to '\(clash.0)': rename the content folder or file that clashes "
                      + "with a generated page or template asset", at: nil)
            let result = BuildResult(diagnostics: log, wrote: false, pageCount: pageCount, succeeded: false)
            return Outcome(generated: SiteBuilder.Generated(result: result, files: [], illustrations: nil),
                           changed: [], removed: [], relinked: relinked, rerendered: 0)
        }
        if let sink {
            // (On every core: twelve thousand keys, hashed on this thread alone, left the other core idle.)
            let (book, global, templates, linkedPages) = (book, global, templates, linked)
            let keyed = parallelMap(jobs) { job in
                (job, self.jobKey(job, book: book, global: global, templates: templates, backlinks: backlinks,
                                  illustrations: illustrations, linked: linkedPages, searchIndex: search.indexKey))
            }
            let scout = renderer
            let kept = parallelMap(keyed) { job, key -> String? in
                guard let key, let previous, let path = scout.path(of: job) else { return nil }
                return previous.reusable(path, key: key)
            }
            if !bodiless.isEmpty {
                // The pages to render whose entries came from the link cache are linked now, for their bodies.
                let toRender = zip(keyed, kept).filter { $0.1 == nil }.compactMap { renderer.page(of: $0.0.0) }
                let pages = toRender.filter { bodiless.contains($0.id) }
                for (id, page) in linkBodies(pages, linker: linker, illustrations: illustrations) { linked[id] = page }
                renderer = SiteRenderer(book: book, linked: linked, backlinks: backlinks, templates: templates,
                                        illustrations: illustrations, bookBodies: bookBodies)
            }
            var searchMade = search.made
            if zip(keyed, kept).contains(where: { $0.0.0 == .searchIndex && $0.1 == nil }) {
                let complete = completeSearchFragments(book: book, linked: linked)
                renderer.searchFragments = complete.fragments
                searchMade += complete.made
            }
            let finalRenderer = renderer
            // Every page in one parallel loop, the files of the whole book (search index, feed, whole-book page…)
            // first: each is one long job, started while the other core takes the pages one by one. (In batches, with
            // those files last, a core waited at the end of each batch, and alone at the end of the build.)
            let order = keyed.indices.filter { Self.isWholeBookFile(keyed[$0].0) }
                + keyed.indices.filter { !Self.isWholeBookFile(keyed[$0].0) }
            try sink.prepare()
            let outcomes = parallelMap(order) { index -> (OutputWriter.WriteOutcome, reused: Bool)? in
                let (job, key) = keyed[index]
                if let key, let old = kept[index], let path = finalRenderer.path(of: job) {
                    return (sink.write(OutputFile(path: path, contents: .previous(at: old), renderKey: key)), true)
                }
                guard var file = finalRenderer.render(job) else { return nil }
                file.renderKey = key
                return (sink.write(file), false)
            }.compactMap { $0 }
            let reused = outcomes.count { $0.reused }
            try sink.record(outcomes.map(\.0))
            try sink.prepare()
            try sink.record(parallelMap(extraFiles) { sink.write($0) })
            // A one-shot build that exits soon leaves the book to the end of the process: freeing it, page by page,
            // was the last tenth of a second of a large build, on one core.
            if !options.releaseMemory { abandon((book, linked, backlinks, illustrations, finalRenderer, renderer)) }
            renderCache = [:]
            outputs = [:]
            previousIllustrations = streaming ? nil : illustrations
            previousGlobal = global
            let result = BuildResult(diagnostics: log, wrote: false, pageCount: pageCount, succeeded: true)
            return Outcome(generated: SiteBuilder.Generated(result: result, files: [], illustrations: illustrations),
                           changed: paths, removed: [], relinked: relinked, rerendered: jobs.count - reused,
                           reused: reused, searchDocumentsMade: searchMade)
        }
        let (fragments, completed) = completeSearchFragments(book: book, linked: linked)
        renderer.searchFragments = fragments
        let keys = jobs.map { jobKey($0, book: book, global: global, templates: templates, backlinks: backlinks, illustrations: illustrations,
                                     linked: linked, searchIndex: search.indexKey) }
        let cached = renderCache
        let finalRenderer = renderer
        let rendered = parallelMap(Array(zip(jobs, keys))) { job, key -> (OutputFile, Bool)? in
            let renderer = finalRenderer
            if let key, let path = renderer.path(of: job), let hit = cached[path], hit.key == key { return (hit.file, false) }
            var file = renderer.render(job)
            file?.renderKey = key
            return file.map { ($0, true) }
        }
        var outputFiles: [OutputFile] = []
        var rerendered = 0
        var newCache: [String: (key: StableHash, file: OutputFile)] = [:]
        for (item, key) in zip(rendered, keys) {
            guard let (file, fresh) = item else { continue }
            outputFiles.append(file)
            if fresh { rerendered += 1 }
            if let key { newCache[file.path] = (key, file) }
        }
        outputFiles += extraFiles
        outputFiles.sort { $0.path < $1.path }

        // Remember this build, and say what differs from the previous one.
        var byPath: [String: OutputFile] = [:]
        for file in outputFiles { byPath[file.path] = file }
        let changed = outputFiles.filter { outputs[$0.path] != $0 }.map(\.path)
        let removed = outputs.keys.filter { byPath[$0] == nil }.sorted()
        outputs = byPath
        renderCache = newCache
        previousIllustrations = illustrations
        previousGlobal = global
        last = LastBuild(templates: templates, book: book, linker: linker, global: global, linked: linked,
                         illustrations: illustrations, bookBodies: bookBodies, searchFragments: fragments, log: log,
                         pageCount: pageCount, files: outputFiles)
        let result = BuildResult(diagnostics: log, wrote: false, pageCount: pageCount, succeeded: true)
        return Outcome(generated: SiteBuilder.Generated(result: result, files: outputFiles, illustrations: illustrations),
                       changed: changed, removed: removed, relinked: relinked, rerendered: rerendered,
                       searchDocumentsMade: search.made + completed)
    }

    /// Whether a job makes one file from the whole book (rather than one chapter's or entity's page).
    static func isWholeBookFile(_ job: SiteRenderer.Job) -> Bool {
        switch job {
        case .searchIndex, .bookPage, .cards, .feed, .sitemap, .illustrationsList, .timelinePage, .mapPage, .home:
            return true
        case .notFound, .chapter, .kindIndex, .entity, .searchPage:
            return false
        }
    }

    // MARK: The link cache

    /// Puts the link cache's entry of each page whose file is unchanged in the session's cache, with the heading ids
    /// and figure count its parse gave, so that `link` takes it when its key matches; parses the bodies of the others
    /// (the book's key needs every page's heading ids).
    /// Returns how many entries were taken.
    private func useLinkCache(_ cache: LinkCache, for pages: [Page]) -> Int {
        var unparsed: [Page] = []
        var taken = 0
        for page in pages {
            let path = page.file.relativePath
            if let entry = cache.entries[path], entry.kind == page.kind?.folder, entry.textHash == page.textHash,
               entry.linked.id == page.id {
                page.document.restore(headingIDs: entry.headingIDs, figureCount: entry.figureCount)
                linkedCache[page.id] = LinkedEntry(cached: entry, path: path)
                taken += 1
            } else {
                unparsed.append(page)
            }
        }
        _ = parallelMap(unparsed) { page -> Bool in
            page.document.parseBody()
            return true
        }
        return taken
    }

    /// Links pages whose entries came from the link cache again, for their rendered bodies (figures numbered); their
    /// diagnostics are those the cache gave.
    private func linkBodies(_ pages: [Page], linker: Linker, illustrations: Illustrations) -> [(PageID, LinkedPage)] {
        let result = parallelMap(pages) { page -> (PageID, LinkedPage) in
            var linked = Self.parseAndLink(page, linker: linker).linked
            if page.isChapter, !linked.figures.isEmpty, let first = illustrations.firstFigure[page.id] {
                let numbered = MarkdownDocument.numberFigures(linked.body, linked.figures, from: first)
                linked.body = numbered.html
                linked.figures = numbered.figures
            }
            return (page.id, linked)
        }
        for (id, linked) in result { linkedCache[id]?.linked = linked }
        return result
    }

    /// What this session's last build linked, as the link cache keeps it for the next build run.
    func linkCacheToSave() -> LinkCache {
        var cache = LinkCache()
        for entry in linkedCache.values { cache.entries[entry.source.path] = entry.cached }
        return cache
    }

    // MARK: Stages with memory

    /// Parses every file not parsed before; with `bodiesLater`, only front-matter (see `link`). Without
    /// `pagesKeepTexts`, each page leaves its text to its document (`PageParser.parse`).
    private func parse(_ files: [(SourceFile, EntityKind?)], bodiesLater: Bool, pagesKeepTexts: Bool,
                       log: inout DiagnosticLog) -> [Page] {
        var next: [String: ParsedEntry] = [:]
        var todo: [ParseJob] = []
        for (file, kind) in files {
            // Unchanged files come from the source cache with the same text storage, so this compare is cheap. A body
            // left for later and never linked (its page was not in the book) is parsed now.
            if let entry = parsed[file.relativePath], entry.kind == kind, entry.file.displayPath == file.displayPath,
               entry.file.text == file.text, bodiesLater || entry.page?.document.isParsed ?? true {
                next[file.relativePath] = entry
            } else {
                todo.append(ParseJob(file: file, kind: kind))
            }
        }
        let fresh = parallelMap(todo) { job -> ParseResult in
            var fileLog = DiagnosticLog()
            let page = PageParser.parse(job.file, kind: job.kind, bodyLater: bodiesLater, pageKeepsText: pagesKeepTexts,
                                        log: &fileLog)
            return ParseResult(file: job.file, kind: job.kind, page: page, log: fileLog)
        }
        for result in fresh {
            next[result.file.relativePath] = ParsedEntry(file: result.file, kind: result.kind, page: result.page,
                                                         log: result.log, treeUsed: false)
        }
        parsed = next
        var pages: [Page] = []
        for (file, _) in files {
            guard let entry = parsed[file.relativePath] else { continue }
            log.merge(entry.log)
            if let page = entry.page { pages.append(page) }
        }
        return pages
    }

    private struct ParseJob: Sendable {
        var file: SourceFile
        var kind: EntityKind?
    }

    private struct ParseResult: Sendable {
        var file: SourceFile
        var kind: EntityKind?
        var page: Page?
        var log: DiagnosticLog
    }

    /// Everything that many pages show, hashed: when it changes, every page is linked and rendered again.
    private func globalKey(book: Book, content: LoadedContent, templates: TemplateSet) -> StableHash {
        var key = StableHash()
        key.add(Self.programIdentity)
        key.add(options.renderThroughLibrary ? "library" : "compiled")
        key.add(options.warningsAsErrors ? "strict" : "lenient")
        key.add(content.siteText)
        // Which templates and assets there are (that decides which pages there are); not what they say, which only
        // the render keys hold: editing a template renders every page again but links none.
        for name in templates.names.sorted() { key.add(name) }
        for asset in templates.assets { key.add(asset.relativePath) }
        for file in content.mapFiles { key.add(file.text) }
        for file in content.staticFiles { key.add(file.relativePath) }
        for page in book.allEntities { key.add(page.textHash) }
        for chapter in book.chapters {
            key.add(chapter.file.relativePath)
            key.add(chapter.frontMatterHash)
            key.add(chapter.document.headingIDs.count)
            for id in chapter.document.headingIDs { key.add(id) }
            key.add(chapter.document.figureCount)
        }
        return key
    }

    /// The program running: another build of build-site (or of libcmark) may render the same input differently, and
    /// render keys and the link cache are kept from one run to the next, so every key includes the executable's path,
    /// size and modification time and cmark's version (or, when the executable cannot be read, a value of this run
    /// only, which matches no earlier key).
    static let programIdentity: String = {
        let path = Bundle.main.executablePath ?? CommandLine.arguments.first ?? ""
        var info = stat()
        guard !path.isEmpty, stat(path, &info) == 0 else { return "run \(UInt64.random(in: 0...UInt64.max))" }
        return "\(path) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) cmark \(MarkdownDocument.cmarkVersion)"
    }()

    /// Links (and renders the body of) every page whose key changed; returns the linked pages and the global key.
    ///
    /// With `parsingBodies` (a session's first build, which links every page), each body is parsed by the task that
    /// links it, so that no more than a few trees exist at once. The global key, which hashes every page's headings,
    /// is then known only afterwards; links to other pages' headings are checked once every page is parsed.
    /// With `lettingTextsGo`, each page's document lets its text go once the page is linked.
    private func link(_ pages: [Page], linker: Linker, parsingBodies: Bool, lettingTextsGo: Bool,
                      global: () -> StableHash, log: inout DiagnosticLog, relinked: inout Int,
                      replaced: inout [(old: LinkedPage?, new: LinkedPage)]) -> (linked: [PageID: LinkedPage], global: StableHash) {
        var result: [PageID: LinkedPage] = [:]
        var todo: [Page] = []
        var next: [PageID: LinkedEntry] = [:]
        let known = parsingBodies ? nil : global()
        for page in pages {
            if let known, let entry = linkedCache[page.id], entry.linkKey == Self.linkKey(page, global: known),
               entry.canBeNumberedAgain {
                next[page.id] = entry
                result[page.id] = entry.linked
                log.merge(entry.log)
            } else {
                todo.append(freshTree(page))
            }
        }
        relinked = todo.count
        // Each page is rendered as soon as it is linked (and, in a first build, parsed just before), and its tree
        // freed: trees are the largest thing a build holds. A chapter's figure numbers depend on the chapters before
        // it, so they are left as placeholders and filled in by `numberFigures` once the illustrations have counted
        // them.
        let fresh = parallelMap(todo) { page in Self.parseAndLink(page, linker: linker, lettingTextGo: lettingTextsGo) }
        let key = known ?? global()
        for var item in fresh {
            linker.check(item.pending, log: &item.log)
            log.merge(item.log)
            replaced.append((linkedCache[item.page.id]?.linked, item.linked))
            result[item.page.id] = item.linked
            next[item.page.id] = LinkedEntry(linkKey: Self.linkKey(item.page, global: key), linked: item.linked,
                                             log: item.log, page: item.page)
        }
        linkedCache = next
        return (result, key)
    }

    /// Parses a page's body (unless parsed), links it, renders its body (a chapter's figure numbers left as
    /// placeholders) and frees its tree; `lettingTextGo`, the text of its file as well.
    private static func parseAndLink(_ page: Page, linker: Linker, lettingTextGo: Bool = false) -> LinkedResult {
        page.document.parseBody()
        var log = DiagnosticLog()
        var pending: [Linker.PendingAnchor] = []
        var linked = linker.link(page, log: &log, pending: &pending)
        linker.renderBody(of: page.document, into: &linked, numbering: page.isChapter ? .deferred : .none)
        page.document.releaseTree()
        if lettingTextGo { page.document.dropSourceText() }
        return LinkedResult(page: page, linked: linked, log: log, pending: pending)
    }

    private struct LinkJob: Sendable {
        var page: Page
        var key: StableHash
    }

    private struct LinkedResult: Sendable {
        var page: Page
        var linked: LinkedPage
        var log: DiagnosticLog
        var pending: [Linker.PendingAnchor]
    }

    /// The page with a tree that has not been linked yet (parsing again when its tree was used by an earlier build).
    private func freshTree(_ page: Page) -> Page {
        let path = page.file.relativePath
        guard let entry = parsed[path] else { return page }
        if !entry.treeUsed {
            entry.treeUsed = true
            return page
        }
        var copy = page
        copy.document = page.document.reparsed(idPrefix: page.document.idPrefix)
        return copy
    }

    /// Numbers the figures of every chapter whose first figure number is not the one its body was numbered from.
    /// Without `keepTemplates` (a build whose session is not used again), each chapter's body with placeholders is let
    /// go once numbered, a few hundred chapters at a time, so that the numbered bodies take the memory of those before
    /// them rather than fresh memory (a large book's bodies are a hundred megabytes and more).
    private func numberFigures(_ chapters: [Page], illustrations: Illustrations, linked: inout [PageID: LinkedPage],
                               keepTemplates: Bool) {
        var todo: [(id: PageID, first: Int)] = []
        for chapter in chapters {
            guard let entry = linkedCache[chapter.id], let first = illustrations.firstFigure[chapter.id] else { continue }
            if !entry.hasBody, let number = entry.linked.figures.first?.number, number != first {
                // A page from the link cache has no body to number, only its list of figures (a chapter map that came
                // or went before it moved them: its body, if rendered, is numbered when linked again).
                entry.linked.figures = MarkdownDocument.numberFigures("", entry.linked.figures, from: first).figures
                linked[chapter.id] = entry.linked
                continue
            }
            guard entry.template != nil, entry.numberedFrom != first else { continue }
            todo.append((chapter.id, first))
        }
        let chunk = keepTemplates ? max(todo.count, 1) : 256
        for start in stride(from: 0, to: todo.count, by: chunk) {
            let items = todo[start..<min(start + chunk, todo.count)].compactMap { item in
                linkedCache[item.id]?.template.map { (item.id, $0, item.first) }
            }
            let numbered = parallelMap(items) { _, template, first in
                MarkdownDocument.numberFigures(template.html, template.figures, from: first)
            }
            for ((id, _, first), result) in zip(items, numbered) {
                guard let entry = linkedCache[id] else { continue }
                entry.number(result, from: first)
                if !keepTemplates { entry.template = nil }
                linked[id] = entry.linked
            }
        }
    }

    private func wholeBookBodies(book: Book, linker: Linker, illustrations: Illustrations, global: StableHash) -> [PageID: String] {
        var result: [PageID: String] = [:]
        var todo: [(Page, StableHash)] = []
        var next: [PageID: (key: StableHash, body: String)] = [:]
        for chapter in book.chapters {
            var key = global
            key.add(chapter.textHash)
            key.add(illustrations.firstFigure[chapter.id] ?? -1)
            if let hit = bookBodyCache[chapter.id], hit.key == key {
                result[chapter.id] = hit.body
                next[chapter.id] = hit
            } else {
                todo.append((chapter, key))
            }
        }
        let rendered = parallelMap(todo.map { LinkJob(page: $0.0, key: $0.1) }) { job -> (PageID, StableHash, String) in
            var ignored = DiagnosticLog()
            let document = job.page.document.reparsed(idPrefix: Linker.bookPrefix(job.page.id))
            var page = linker.link(job.page, document: document, placement: .bookPage, log: &ignored)
            linker.renderBody(of: document, into: &page, firstFigure: illustrations.firstFigure[job.page.id])
            document.releaseTree()
            return (job.page.id, job.key, page.bodyHTML)
        }
        for (id, key, body) in rendered {
            result[id] = body
            next[id] = (key, body)
        }
        bookBodyCache = next
        return result
    }

    /// Every chapter's search documents, made again only for chapters whose text or number changed (and not at all
    /// for a chapter taken from the link cache, whose hash it holds: they are made if the search index is rendered,
    /// by `completeSearchFragments`). They need only the linked chapters, so they are made on a thread of their own,
    /// started as soon as the pages are linked: what follows (backlinks, maps, figure numbers) is mostly on one core.
    /// `searchFragments(_:)` makes those left and keeps them all.
    private func startSearchFragments(book: Book, linked: [PageID: LinkedPage], global: StableHash) -> SearchWork {
        var next: [PageID: (key: StableHash, fragment: [UInt8]?, hash: StableHash)] = [:]
        var todo: [(index: Int, key: StableHash)] = []
        for (index, chapter) in book.chapters.enumerated() {
            let key = Self.searchKey(chapter, index: index, global: global)
            if let hit = searchCache[chapter.id], hit.key == key {
                next[chapter.id] = hit
            } else if let entry = linkedCache[chapter.id], !entry.hasBody,
                      entry.linkKey == Self.linkKey(chapter, global: global), let known = entry.search,
                      known.number == index + 1 {
                next[chapter.id] = (key, nil, known.hash)
            } else {
                todo.append((index, key))
            }
        }
        let chapters = book.chapters
        let data = ClientData(book: book, linked: linked)
        let made = BackgroundMap(todo.map(\.index)) { data.chapterFragment(chapters[$0], number: $0 + 1) }
        return SearchWork(chapters: chapters, next: next, todo: todo, made: made)
    }

    /// Search documents being made (`startSearchFragments`).
    private struct SearchWork {
        var chapters: [Page]
        var next: [PageID: (key: StableHash, fragment: [UInt8]?, hash: StableHash)]
        var todo: [(index: Int, key: StableHash)]
        var made: BackgroundMap<Int, [UInt8]>
    }

    /// Waits for the search documents `work` makes and keeps them; returns a hash of them all in order (the search
    /// index is rendered again only when it changes) and how many were made.
    private func searchFragments(_ work: SearchWork) -> (indexKey: StableHash, made: Int) {
        var next = work.next
        let chapters = work.chapters
        for (item, fragment) in zip(work.todo, work.made.results) {
            next[chapters[item.index].id] = (item.key, fragment, StableHash.of(utf8: fragment))
        }
        searchCache = next
        for (index, chapter) in chapters.enumerated() {
            if let hash = next[chapter.id]?.hash { linkedCache[chapter.id]?.search = (index + 1, hash) }
        }
        return (searchIndexKey(chapters), work.todo.count)
    }

    /// Every chapter's search documents, making those only known by their hash.
    private func completeSearchFragments(book: Book, linked: [PageID: LinkedPage]) -> (fragments: [PageID: [UInt8]], made: Int) {
        let data = ClientData(book: book, linked: linked)
        let chapters = book.chapters
        let missing = chapters.indices.filter { index in
            guard let entry = searchCache[chapters[index].id] else { return false }
            return entry.fragment == nil
        }
        let made = parallelMap(missing) { index in data.chapterFragment(chapters[index], number: index + 1) }
        for (index, fragment) in zip(missing, made) { searchCache[chapters[index].id]?.fragment = fragment }
        var result: [PageID: [UInt8]] = [:]
        for chapter in chapters { result[chapter.id] = searchCache[chapter.id]?.fragment }
        return (result, missing.count)
    }

    /// The key of the search index: every chapter's search documents, in order.
    private func searchIndexKey(_ chapters: [Page]) -> StableHash {
        var key = StableHash()
        for chapter in chapters { key.add(searchCache[chapter.id]?.hash ?? StableHash()) }
        return key
    }

    /// A stable name for a job, cheaper than string interpolation (which reflects on the enum).
    private static func name(of job: SiteRenderer.Job) -> String {
        switch job {
        case .home: return "home"
        case .notFound: return "404"
        case .chapter(let i): return "chapter \(i)"
        case .kindIndex(let k): return "kind \(k)"
        case .entity(let k, let i): return "entity \(k) \(i)"
        case .mapPage: return "map"
        case .timelinePage: return "timeline"
        case .illustrationsList: return "illustrations"
        case .searchPage: return "search"
        case .bookPage: return "book"
        case .cards: return "cards"
        case .searchIndex: return "search index"
        case .feed: return "feed"
        case .sitemap: return "sitemap"
        }
    }

    /// The key of one output file: when it equals the previous build's, the previous file is reused. Nil: always render.
    private func jobKey(_ job: SiteRenderer.Job, book: Book, global: StableHash, templates: TemplateSet, backlinks: Backlinks,
                        illustrations: Illustrations, linked: [PageID: LinkedPage], searchIndex: StableHash) -> StableHash? {
        var key = global
        key.add(templates.fingerprint)
        key.add(Self.name(of: job))
        switch job {
        case .home, .notFound, .kindIndex, .timelinePage, .searchPage, .cards, .feed, .sitemap:
            return key
        case .chapter(let index):
            let chapter = book.chapters[index]
            key.add(chapter.textHash)
            key.add(illustrations.firstFigure[chapter.id] ?? -1)
            key.add(illustrations.chapterMapFigure(chapter.id)?.number ?? -1)
            return key
        case .entity(let k, let i):
            let page = book.entities[k].pages[i]
            key.add(page.textHash)
            for entry in backlinks.entries(for: page.id) { key.add(entry.hash) }
            return key
        case .mapPage:
            for place in illustrations.bookMapPlaces { key.add(place.description) }
            return key
        case .illustrationsList:
            for chapter in book.chapters {
                if let map = illustrations.chapterMapFigure(chapter.id) { key.add(map.number) }
                for figure in linked[chapter.id]?.figures ?? [] { key.add(figure.caption); key.add(figure.number ?? -1) }
            }
            return key
        case .searchIndex:
            key.add(searchIndex)
            return key
        case .bookPage:
            for chapter in book.chapters { key.add(chapter.textHash) }
            return key
        }
    }
}

// MARK: Rebuilding from a list of changed files

extension BuildSession {
    /// A chapter whose body changed, before and after.
    private struct BodyEdit {
        var old: Page
        var new: Page
        var oldLinked: LinkedPage
        var newLinked: LinkedPage
        var entry: LinkedEntry
    }

    /// Rebuilds after edits to chapter bodies only, touching nothing else; nil when the changes are of any other kind
    /// (the full build then runs, so the result is always the one a build from scratch gives).
    ///
    /// An edit qualifies when the chapter keeps its front-matter, heading ids, number of figures and the entities it
    /// refers to, and neither the old nor the new text has a diagnostic: then the global key, the book's order, the
    /// illustrations and every other page's links are as they were, and only these pages can differ: the chapter, the
    /// entities whose backlinks from it changed, the search index, the list of illustrations and the whole-book page.
    private func quickRebuild(_ changes: [String], progress: (String) -> Void) -> Outcome? {
        guard var state = last, !changes.isEmpty, let previous = previousBacklinks, previous.key == state.global
        else { return nil }
        let root = options.content.hasSuffix("/") ? options.content : options.content + "/"
        let loader = ContentLoader(root: options.content, displayRoot: options.contentDisplay, cache: sources)
        var edits: [BodyEdit] = []
        for path in Set(changes).sorted() {
            guard path.hasPrefix(root) else { return nil }
            let relative = String(path.dropFirst(root.count))
            guard relative.hasPrefix("chapters/"), relative.hasSuffix(".md"), !relative.dropFirst(9).contains("/"),
                  let id = state.book.pathIndex[relative], let old = state.book.pages[id],
                  let oldParse = parsed[relative], oldParse.log.all.isEmpty,
                  let oldEntry = linkedCache[id], oldEntry.log.all.isEmpty else { return nil }
            var readLog = DiagnosticLog()
            guard let file = loader.readFile(relative, log: &readLog), readLog.all.isEmpty else { return nil }
            if file.text == old.file.text { continue }
            var parseLog = DiagnosticLog()
            guard let page = PageParser.parse(file, kind: nil, log: &parseLog), parseLog.all.isEmpty, page.id == old.id,
                  page.frontMatterHash == old.frontMatterHash, page.document.headingIDs == old.document.headingIDs,
                  page.document.figureCount == old.document.figureCount else { return nil }
            var linkLog = DiagnosticLog()
            var linked = state.linker.link(page, log: &linkLog)
            state.linker.renderBody(of: page.document, into: &linked, numbering: .deferred)
            page.document.releaseTree()
            guard linkLog.all.isEmpty, linked.entitiesInOrder == oldEntry.linked.entitiesInOrder else { return nil }
            let entry = LinkedEntry(linkKey: Self.linkKey(page, global: state.global), linked: linked, log: linkLog,
                                    page: page)
            if let template = entry.template, let first = state.illustrations.firstFigure[id] {
                entry.number(MarkdownDocument.numberFigures(template.html, template.figures, from: first), from: first)
            }
            edits.append(BodyEdit(old: old, new: page, oldLinked: oldEntry.linked, newLinked: entry.linked, entry: entry))
        }

        // Nothing can fail from here on: the session's state is updated as a full build would have left it.
        progress("[1/7] Reading, parsing and linking \(edits.count) changed chapter\(edits.count == 1 ? "" : "s")")
        for edit in edits {
            let id = edit.new.id
            parsed[edit.new.file.relativePath] = ParsedEntry(file: edit.new.file, kind: nil, page: edit.new,
                                                             log: DiagnosticLog(), treeUsed: true)
            linkedCache[id] = edit.entry
            state.book.replaceChapter(edit.new)
            state.linked[id] = edit.newLinked
            state.illustrations.chapterKeys[id] = edit.entry.linkKey
        }
        let backlinks = previous.backlinks
            .updating(removing: edits.map(\.oldLinked), adding: edits.map(\.newLinked), number: state.book.chapterNumber)
        previousBacklinks = (state.global, backlinks)
        previousIllustrations = state.illustrations

        progress("[6/7] Rendering the pages that show them")
        let book = state.book
        if SiteRenderer.wantsBookPage(book, templates: state.templates) {
            state.bookBodies = wholeBookBodies(book: book, linker: state.linker, illustrations: state.illustrations,
                                               global: state.global)
        }
        var renderer = SiteRenderer(book: book, linked: state.linked, backlinks: backlinks, templates: state.templates,
                                    illustrations: state.illustrations, bookBodies: state.bookBodies)
        // Search documents of the edited chapters.
        let data = ClientData(book: book, linked: state.linked)
        for edit in edits {
            guard let number = book.chapterNumber(edit.new.id) else { continue }
            let key = Self.searchKey(edit.new, index: number - 1, global: state.global)
            let fragment = data.chapterFragment(edit.new, number: number)
            searchCache[edit.new.id] = (key, fragment, StableHash.of(utf8: fragment))
            state.searchFragments[edit.new.id] = fragment
        }
        renderer.searchFragments = state.searchFragments
        let indexKey = searchIndexKey(book.chapters)

        // The pages that can show an edited chapter are rendered again when their key changed: `jobKey` decides, as
        // for a full rebuild.
        let all = renderer.jobs()
        var candidates = [SiteRenderer.Job.searchIndex, .illustrationsList, .bookPage].filter(all.contains)
        for edit in edits {
            if let number = book.chapterNumber(edit.new.id) { candidates.append(.chapter(number - 1)) }
            for entity in edit.newLinked.entitiesInOrder {
                if let position = book.entityPosition(entity) { candidates.append(.entity(position.kind, position.position)) }
            }
        }
        var seen = Set<SiteRenderer.Job>()
        let jobs = candidates.compactMap { job -> (job: SiteRenderer.Job, key: StableHash?)? in
            guard seen.insert(job).inserted, let path = renderer.path(of: job) else { return nil }
            let key = jobKey(job, book: book, global: state.global, templates: state.templates, backlinks: backlinks,
                             illustrations: state.illustrations, linked: state.linked, searchIndex: indexKey)
            if let key, renderCache[path]?.key == key { return nil }
            return (job, key)
        }
        let finalRenderer = renderer
        let rendered = parallelMap(jobs) { finalRenderer.render($0.job) }
        var changed: [String] = []
        for (job, file) in zip(jobs, rendered) {
            guard let file else { continue }
            if let key = job.key { renderCache[file.path] = (key, file) }
            guard outputs[file.path] != file else { continue }
            changed.append(file.path)
            outputs[file.path] = file
            var low = 0, high = state.files.count
            while low < high {
                let mid = (low + high) / 2
                if state.files[mid].path < file.path { low = mid + 1 } else { high = mid }
            }
            if low < state.files.count, state.files[low].path == file.path { state.files[low] = file }
        }
        last = state
        let result = BuildResult(diagnostics: state.log, wrote: false, pageCount: state.pageCount, succeeded: true)
        return Outcome(generated: SiteBuilder.Generated(result: result, files: state.files, illustrations: state.illustrations),
                       changed: changed.sorted(), removed: [], relinked: edits.count, rerendered: jobs.count)
    }
}

/// Where a build that streams its pages puts them (`BuildSession.generate(sink:)`): the one-shot build's new output
/// tree. Pages go to it in batches; each page is written by the thread that rendered it, as soon as it is rendered.
public protocol PageSink: AnyObject, Sendable {
    /// Called on the building thread before each batch.
    func prepare() throws
    /// Writes one file; called from several threads at once.
    func write(_ file: OutputFile) -> OutputWriter.WriteOutcome
    /// What `write` did for each file of a batch, in order, on the building thread; throws the first failure.
    func record(_ outcomes: [OutputWriter.WriteOutcome]) throws
}
