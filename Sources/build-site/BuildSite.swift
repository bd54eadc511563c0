import ArgumentParser
import Foundation
import SiteKit
import SiteServer

/// `build-site`: builds an illustrated history from Content/ and Templates/ into Public/.
@main
struct BuildSite: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build-site",
        abstract: "Build an illustrated history: Markdown chapters and entity files into a static site.",
        discussion: """
            Without a subcommand, builds Content/ and Templates/ into Public/ (run from the package root). \
            Diagnostics go to standard error as 'path:line:col: error: message'. Exit status: 0 built, \
            1 errors (the output folder is left exactly as it was), 64 bad usage.
            """,
        subcommands: [Check.self, Serve.self]
    )

    @OptionGroup var folders: Folders

    @Option(help: "Folder the site is written to; replaced as a whole, only when the build succeeds.")
    var output: String = "Public"

    func run() async throws {
        try Runner(folders: folders, output: output).run()
    }
}

/// Builds, serves on loopback, rebuilds on change and reloads the browser.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build, serve the output on 127.0.0.1, rebuild on change and reload the open pages.")

    @OptionGroup var folders: Folders

    @Option(help: "Folder the site is written to, as by a build.")
    var output: String = "Public"

    @Option(help: "Port to listen on; the next free one is used (and said) when it is busy.")
    var port: UInt16 = 8000

    @Option(help: "Address to listen on. Anything but a loopback address exposes the site to the network.")
    var host: String = "127.0.0.1"

    func run() async throws {
        let runner = Runner(folders: folders, output: output)
        let options = try runner.options()
        let server = PreviewServer(options: options, host: host, port: port) { line in printError(line) }
        do {
            try await server.start()
        } catch {
            printError("build-site: error: \(error)")
            throw ExitCode(1)
        }
        // Ctrl-C (and SIGTERM) stop the server cleanly.
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let (stop, continuation) = AsyncStream<Void>.makeStream()
        let sources = [SIGINT, SIGTERM].map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .main)
            source.setEventHandler { continuation.yield() }
            source.resume()
            return source
        }
        for await _ in stop { break }
        sources.forEach { $0.cancel() }
        printError("Stopping")
        await server.stop()
    }
}

/// Options shared by every subcommand.
struct Folders: ParsableArguments {
    @Option(help: "Folder holding site.yaml, chapters/ and the entity folders.")
    var content: String = "Content"

    @Option(help: "Folder holding the templates and their assets.")
    var templates: String = "Templates"

    @Flag(help: "Print diagnostics only, no progress.")
    var quiet = false

    @Flag(help: "Fail the build when there are warnings.")
    var warningsAsErrors = false
}

/// Checks the site without writing.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Do everything a build does except writing: diagnostics and exit status only.")

    @OptionGroup var folders: Folders

    func run() throws {
        try Runner(folders: folders, output: nil).run()
    }
}

/// Turns arguments into build options, runs the build, prints diagnostics and sets the exit status.
struct Runner {
    let folders: Folders
    let output: String?

    /// The build options the arguments describe.
    func options() throws -> BuildOptions {
        let cwd = FileManager.default.currentDirectoryPath
        var protected = [cwd]
        if let home = ProcessInfo.processInfo.environment["HOME"] { protected.append(home) }
        let options = BuildOptions(
            content: absolute(folders.content, cwd), contentDisplay: display(folders.content),
            templates: absolute(folders.templates, cwd), templatesDisplay: display(folders.templates),
            output: output.map { absolute($0, cwd) }, outputDisplay: output.map(display) ?? "",
            protectedFolders: protected,
            warningsAsErrors: folders.warningsAsErrors)
        if let output = options.output {
            do {
                try SiteBuilder.checkOutputFolder(output, options: options)
            } catch {
                printError("build-site: error: \(error)")
                throw ExitCode(1)
            }
        }
        return options
    }

    func run() throws {
        let options = try self.options()
        var deferred = options
        deferred.deferCleanup = true
        deferred.releaseMemory = false
        deferred.prefaultMemory = true
        let terminal = isatty(STDERR_FILENO) == 1
        let started = Date()
        let result: BuildResult
        do {
            result = try SiteBuilder.build(deferred) { line in
                if !folders.quiet { printError(line, transient: terminal) }
            }
        } catch {
            if terminal && !folders.quiet { printError("", transient: true) }
            printError("build-site: error: \(error)")
            throw ExitCode(1)
        }
        if terminal && !folders.quiet { printError("", transient: true) }
        FileHandle.standardError.write(Data(result.diagnostics.formatted.utf8))
        let seconds = Date().timeIntervalSince(started)
        if !folders.quiet {
            let errors = result.diagnostics.errorCount, warnings = result.diagnostics.warningCount
            let summary: String
            if result.succeeded {
                summary = output == nil
                    ? "Checked \(result.pageCount) pages"
                    : "Built \(result.pageCount) pages into \(output!) (\(result.linked) linked, \(result.rendered) files rendered, "
                        + "\(result.reused) kept from the last build; \(result.written) written, \(result.kept) unchanged)"
            } else {
                summary = "Failed with \(errors) error\(errors == 1 ? "" : "s")"
                    + (output == nil ? "" : "; \(output!) was left as it was")
            }
            let warningText = warnings > 0 ? ", \(warnings) warning\(warnings == 1 ? "" : "s")" : ""
            printError("\(summary)\(warningText) in \(String(format: "%.2f", seconds)) s")
        }
        // The old output goes after the summary: the reader's site is already in place.
        if let oldTree = result.oldTree { try? FileManager.default.removeItem(atPath: oldTree) }
        if !result.succeeded { throw ExitCode(1) }
    }

    private func absolute(_ path: String, _ cwd: String) -> String {
        let full = path.hasPrefix("/") ? path : cwd + "/" + path
        return URL(fileURLWithPath: full).standardizedFileURL.path
    }

    /// How a folder is printed in diagnostics: as typed, without a trailing slash or leading `./`.
    private func display(_ path: String) -> String {
        var text = path
        while text.hasPrefix("./") { text.removeFirst(2) }
        while text.count > 1 && text.hasSuffix("/") { text.removeLast() }
        return text
    }
}

/// Writes a line to standard error; transient lines are overwritten by the next one on a terminal.
func printError(_ line: String, transient: Bool = false) {
    let text = transient ? "\r\u{1B}[K" + line : line + "\n"
    FileHandle.standardError.write(Data(text.utf8))
}
