import FlyingFox
import FlyingSocks
import Foundation
import SiteKit

/// Answers requests from the build's table of files: GET and HEAD, `index.html` for folders, the site's own 404
/// page, correct content types, the reload script injected into HTML (only here, never into a plain build).
struct Handler: HTTPHandler {
    /// The served state (not the server itself: the server owns the handler, and a reference back would be a cycle).
    let state: SiteState

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard request.method == .GET || request.method == .HEAD else {
            let headers: HTTPHeaders = [HTTPHeader("Allow"): "GET, HEAD"]
            return HTTPResponse(statusCode: .methodNotAllowed, headers: headers)
        }
        if request.path == PreviewServer.eventsPath {
            let stream = await state.subscribe()
            let headers: HTTPHeaders = [.contentType: "text/event-stream", .cacheControl: "no-store"]
            return HTTPResponse(statusCode: .ok, headers: headers, body: HTTPBodySequence(from: EventBytes(stream: stream)))
        }
        let files = await state.files
        let problems = await state.problems
        guard let path = Self.sitePath(request) else {
            return await notFound(files: files, problems: problems, head: request.method == .HEAD)
        }
        var resolved = path
        if resolved.isEmpty || resolved.hasSuffix("/") { resolved += "index.html" }
        if files[resolved] == nil, files[resolved + "/index.html"] != nil {
            let headers: HTTPHeaders = [.location: "/" + path + "/"]
            return HTTPResponse(statusCode: .movedPermanently, headers: headers)
        }
        guard let file = files[resolved] else {
            return await notFound(files: files, problems: problems, head: request.method == .HEAD)
        }
        return respond(file, status: .ok, problems: problems, head: request.method == .HEAD)
    }

    /// The site-relative path of a request, or nil when it cannot name a file of the site.
    static func sitePath(_ request: HTTPRequest) -> String? {
        let raw = request.target.path(percentEncoded: true)  // as sent, before any decoding
        let decoded = raw.removingPercentEncoding ?? raw
        if decoded.contains("\0") || decoded.contains("\\") { return nil }
        let parts = decoded.split(separator: "/", omittingEmptySubsequences: false)
        guard decoded.hasPrefix("/"), !parts.contains(where: { $0 == ".." || $0 == "." }) else { return nil }
        // Encoded slashes are not folder separators.
        if raw.lowercased().contains("%2f") || raw.lowercased().contains("%5c") { return nil }
        return String(decoded.dropFirst())
    }

    private func notFound(files: [String: OutputFile], problems: [Problem], head: Bool) async -> HTTPResponse {
        guard let page = files[SitePaths.notFound] else {
            let headers: HTTPHeaders = [.contentType: "text/plain; charset=utf-8"]
            return HTTPResponse(statusCode: .notFound, headers: headers, body: Data("Not found\n".utf8))
        }
        return respond(page, status: .notFound, problems: problems, head: head)
    }

    private func respond(_ file: OutputFile, status: HTTPStatusCode, problems: [Problem], head: Bool) -> HTTPResponse {
        let type = Self.contentType(for: file.path)
        var body: Data
        switch file.contents {
        case .bytes(let bytes):
            if type.hasPrefix("text/html") {
                body = Data(Self.inject(into: String(decoding: bytes, as: UTF8.self), problems: problems).utf8)
            } else {
                body = Data(bytes)
            }
        case .copy(let source), .previous(let source):
            body = FileManager.default.contents(atPath: source) ?? Data()
        }
        var headers: HTTPHeaders = [.contentType: type, .cacheControl: "no-store"]
        if head {
            headers[.contentLength] = String(body.count)
            body = Data()
        }
        return HTTPResponse(statusCode: status, headers: headers, body: body)
    }

    /// The page with the live-reload script (and, after a failed build, the problems) before `</body>`.
    static func inject(into html: String, problems: [Problem]) -> String {
        let initial = problems.isEmpty ? "null" : SiteState.json(problems)
        let script = reloadScript.replacingOccurrences(of: "/*INITIAL*/null", with: initial)
        guard let end = html.range(of: "</body>", options: .backwards) else { return html + script }
        return html.replacingCharacters(in: end, with: script + "</body>")
    }

    static let reloadScript = """
        <script id="build-site-live-reload">
        (function () {
          "use strict";
          var initial = /*INITIAL*/null;
          function show(problems) {
            var old = document.getElementById("build-site-overlay");
            if (old) old.remove();
            if (!problems || !problems.length) return;
            var box = document.createElement("div");
            box.id = "build-site-overlay";
            box.setAttribute("role", "alert");
            box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,16,12,.94);color:#f6efe2;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;padding:2rem";
            var title = document.createElement("h2");
            title.textContent = "The build failed: the last good build is shown until this is fixed";
            title.style.cssText = "font:600 18px system-ui,sans-serif;margin:0 0 1rem;color:#ffb4a6";
            box.appendChild(title);
            problems.forEach(function (p) {
              var item = document.createElement("div");
              item.className = "build-site-problem";
              item.style.cssText = "margin:0 0 1.2rem;padding:.6rem .8rem;border-left:3px solid #e8836f;background:rgba(255,255,255,.05)";
              var head = document.createElement("div");
              head.textContent = p.location + ": " + p.severity + ": " + p.message;
              item.appendChild(head);
              if (p.source != null) {
                var pre = document.createElement("pre");
                pre.textContent = p.source;
                pre.style.cssText = "margin:.4rem 0 0;white-space:pre-wrap;color:#d9cfbd";
                item.appendChild(pre);
              }
              box.appendChild(item);
            });
            document.body.appendChild(box);
          }
          if (initial) show(initial);
          if (!window.EventSource) return;
          var events = new EventSource("\(PreviewServer.eventsPath)");
          events.addEventListener("reload", function () { location.reload(); });
          events.addEventListener("failed", function (e) { show(JSON.parse(e.data)); });
        })();
        </script>

        """

    static func contentType(for path: String) -> String {
        let ext = (path as NSString).pathExtension.lowercased()
        switch ext {
        case "html", "htm": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "js", "mjs": return "text/javascript; charset=utf-8"
        case "json": return "application/json"
        case "xml": return "application/xml; charset=utf-8"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "webp": return "image/webp"
        case "avif": return "image/avif"
        case "ico": return "image/x-icon"
        case "pdf": return "application/pdf"
        case "txt", "md": return "text/plain; charset=utf-8"
        case "woff2": return "font/woff2"
        case "woff": return "font/woff"
        default: return "application/octet-stream"
        }
    }
}

/// Server-sent events as the byte sequence FlyingFox streams (chunked) to the browser.
struct EventBytes: AsyncBufferedSequence, Sendable {
    typealias Element = UInt8
    let stream: AsyncStream<[UInt8]>

    func makeAsyncIterator() -> Iterator { Iterator(base: stream.makeAsyncIterator()) }

    struct Iterator: AsyncBufferedIteratorProtocol {
        var base: AsyncStream<[UInt8]>.Iterator
        var pending: [UInt8] = []

        mutating func next() async -> UInt8? {
            if pending.isEmpty { pending = await base.next() ?? [] }
            return pending.isEmpty ? nil : pending.removeFirst()
        }

        mutating func nextBuffer(suggested count: Int) async -> [UInt8]? {
            if pending.isEmpty {
                guard let chunk = await base.next() else { return nil }
                return chunk
            }
            defer { pending = [] }
            return pending
        }
    }
}
