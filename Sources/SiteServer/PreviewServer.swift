import FlyingFox
import FlyingSocks
import Foundation
import SiteKit
#if canImport(Glibc)
import Glibc
#endif

/// `build-site serve`: builds, serves the site from memory on a loopback address, watches the content and the
/// templates, rebuilds what a change touches, and tells open pages to reload (server-sent events). A failed build
/// keeps the last good site and shows the problems in the browser as an overlay.
///
/// Pages are looked up in the build's own table of output files, never on disk by request path, so no request
/// (`../`, `%2e%2e/`, encoded slashes, absolute paths) can reach a file outside the site.
public final class PreviewServer: @unchecked Sendable {
    /// Where the reload script listens.
    public static let eventsPath = "/__build-site/events"

    let options: BuildOptions
    let host: String
    let requestedPort: UInt16
    let report: @Sendable (String) -> Void
    let session: BuildSession
    let state = SiteState()
    private var server: HTTPServer?
    private var watcher: Task<Void, Never>?
    /// The port actually listened on.
    public private(set) var port: UInt16 = 0

    /// A server for `options` on `host:port`; `report` receives terminal lines (rebuild times, diagnostics).
    public init(options: BuildOptions, host: String = "127.0.0.1", port: UInt16 = 8000,
                report: @escaping @Sendable (String) -> Void) {
        self.options = options
        self.host = host
        self.requestedPort = port
        self.report = report
        self.session = BuildSession(options: options)
    }

    /// Builds once, then starts listening (on the next free port when `port` is busy, said so). Returns the port.
    @discardableResult
    public func start(pollInterval: Duration = .milliseconds(200)) async throws -> UInt16 {
        // The folders are looked at before the first build, so that an edit saved while it runs (or before the
        // watcher's first poll) is seen as a change, not taken for the starting state.
        let initial = snapshot()
        await rebuild(reason: "first build")
        let chosen = try Self.freePort(host: host, from: requestedPort)
        if chosen != requestedPort && requestedPort != 0 {
            report("port \(requestedPort) is busy; serving on \(chosen) instead")
        }
        port = chosen
        let server = HTTPServer(address: try sockaddr_in.inet(ip4: host, port: chosen), timeout: 3600,
                                logger: .disabled, handler: Handler(state: state))
        self.server = server
        Task { try? await server.run() }
        try await server.waitUntilListening(timeout: 10)
        report("Serving \(options.outputDisplay.isEmpty ? "the site" : options.outputDisplay) at http://\(host):\(chosen)/ (Ctrl-C stops)")
        watcher = Task { [weak self] in await self?.watch(every: pollInterval, from: initial) }
        return chosen
    }

    /// Stops watching and serving.
    public func stop() async {
        watcher?.cancel()
        await state.finish()
        await server?.stop(timeout: 1)
    }

    // MARK: Building

    /// Rebuilds now (told which files changed, when the watcher knows); on success tells browsers to reload, then
    /// writes the output folder.
    func rebuild(reason: String, changes: [String]? = nil) async {
        let started = Date()
        let outcome: BuildSession.Outcome
        do {
            outcome = try session.generate(changes: changes)
        } catch {
            report("build-site: error: \(error)")
            await state.fail([Problem(location: "build-site", severity: "error", message: "\(error)", source: nil)])
            return
        }
        let result = outcome.generated.result
        let text = result.diagnostics.formatted
        if !text.isEmpty { report(String(text.dropLast())) }
        guard result.succeeded else {
            report("Build failed (\(result.diagnostics.errorCount) errors); still serving the last good build")
            await state.fail(problems(result.diagnostics))
            return
        }
        // Browsers are served from memory: they reload before the output folder is written (a large book's folder
        // takes longer to write than the rebuild itself).
        await state.succeed(outcome.generated.files)
        let milliseconds = Int(Date().timeIntervalSince(started) * 1000)
        var written = ""
        if let output = options.output {
            let writing = Date()
            do {
                try OutputWriter(output: output).write(outcome.generated.files)
                written = "; \(options.outputDisplay) written in \(Int(Date().timeIntervalSince(writing) * 1000)) ms"
            } catch {
                report("build-site: error: \(error)")
            }
        }
        report("\(reason == "first build" ? "Built" : "Rebuilt") in \(milliseconds) ms: \(outcome.changed.count) files changed, \(outcome.relinked) pages linked, \(outcome.rerendered) rendered\(written)")
    }

    /// Turns diagnostics into what the overlay shows, with the offending source line.
    func problems(_ log: DiagnosticLog) -> [Problem] {
        log.sorted.filter { $0.severity == .error }.map { diagnostic in
            var source: String?
            if let location = diagnostic.location, let line = location.line,
               let text = try? String(contentsOfFile: location.path, encoding: .utf8) {
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                if line - 1 < lines.count { source = String(lines[line - 1]) }
            }
            return Problem(location: diagnostic.location?.description ?? "build-site", severity: diagnostic.severity.rawValue,
                           message: diagnostic.message + diagnostic.notes.map { " (\($0))" }.joined(), source: source)
        }
    }

    /// Polls the content and template folders; a change starts a rebuild once the folders have been quiet for a
    /// moment (editors that save by rename and bursts of saves make one rebuild). `initial` is the state the last
    /// build started from.
    func watch(every interval: Duration, from initial: [String: [Int]]) async {
        var last = initial
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            var current = snapshot()
            guard current != last else { continue }
            // Debounce: wait until two polls in a row agree.
            while !Task.isCancelled {
                try? await Task.sleep(for: interval / 2)
                let again = snapshot()
                if again == current { break }
                current = again
            }
            let changes = Self.changes(from: last, to: current)
            last = current
            await rebuild(reason: "change", changes: changes)
        }
    }

    /// The files created, changed or deleted between two snapshots, sorted.
    static func changes(from old: [String: [Int]], to new: [String: [Int]]) -> [String] {
        var paths = Set<String>()
        for (path, stamp) in new where old[path] != stamp { paths.insert(path) }
        for path in old.keys where new[path] == nil { paths.insert(path) }
        return paths.sorted()
    }

    /// Path, size, modification time and inode of every file under the watched folders.
    func snapshot() -> [String: [Int]] {
        var result: [String: [Int]] = [:]
        for root in [options.content, options.templates] {
            guard let enumerator = FileManager.default.enumerator(atPath: root) else { continue }
            while let path = enumerator.nextObject() as? String {
                var info = stat()
                guard stat(root + "/" + path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
                result[root + "/" + path] = [Int(info.st_size), Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec), Int(info.st_ino)]
            }
        }
        return result
    }

    /// The first port from `start` on which `host` accepts a listener (0 asks the system for any free port).
    static func freePort(host: String, from start: UInt16) throws -> UInt16 {
        for candidate in start...(start == 0 ? 0 : min(start + 50, UInt16.max)) {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { break }
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = candidate.bigEndian
            inet_pton(AF_INET, host, &address.sin_addr)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0 else { continue }
            var actual = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &actual) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
            return UInt16(bigEndian: actual.sin_port)
        }
        throw ServeError.noFreePort(host: host, from: start)
    }
}

/// Why serving could not start.
public enum ServeError: Error, CustomStringConvertible {
    case noFreePort(host: String, from: UInt16)

    public var description: String {
        switch self {
        case .noFreePort(let host, let port): return "no free port on \(host) from \(port) to \(Int(port) + 50)"
        }
    }
}

/// One problem shown in the browser overlay.
struct Problem: Codable, Sendable, Equatable {
    var location: String
    var severity: String
    var message: String
    var source: String?
}
