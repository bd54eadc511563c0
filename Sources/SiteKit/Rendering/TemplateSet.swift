import Foundation
import Mustache

/// The templates of a site, compiled once: every `.mustache` file under the templates folder, named by its
/// path without the extension (`chapter`, `partials/header`), plus the asset files copied into the output.
public struct TemplateSet: Sendable {
    /// Page templates every site needs.
    public static let required = ["home", "chapter", "entity", "index", "404"]

    /// The parsed templates, sharing partials: swift-mustache renders from these when `compiled` is nil.
    let library: MustacheLibrary
    /// The same templates read into the fast renderer's tree (nil when one has a shape it does not know).
    var compiled: CompiledTemplates?
    /// Template names.
    public let names: Set<String>
    /// Files under `assets/`, copied to the output's `assets/`.
    public let assets: [StaticFile]
    /// Hash of every template's text, for build keys.
    public let fingerprint: StableHash

    /// Loads and compiles every template; parse errors, missing partials and missing templates are diagnostics.
    public static func load(root: String, displayRoot: String, log: inout DiagnosticLog) throws -> TemplateSet {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw BuildError.templatesFolderMissing(displayRoot)
        }
        let display = { (relative: String) in displayRoot.isEmpty || displayRoot == "." ? relative : displayRoot + "/" + relative }
        let escaping = FastEscaping.registered()
        var library = MustacheLibrary()
        var parsed: [String: MustacheTemplate] = [:]
        var sources: [(name: String, file: SourceFile)] = []
        var unparsable: Set<String> = []
        var assets: [StaticFile] = []
        let enumerator = FileManager.default.enumerator(atPath: root)
        var paths: [String] = []
        while let path = enumerator?.nextObject() as? String { paths.append(path) }
        for path in paths.sorted() where !path.split(separator: "/").contains(where: { $0.hasPrefix(".") }) {
            let full = root + "/" + path
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue else { continue }
            if path.hasPrefix("assets/") {
                assets.append(StaticFile(sourcePath: full, relativePath: path))
                continue
            }
            guard path.hasSuffix(".mustache") else { continue }
            let bytes = [UInt8](FileManager.default.contents(atPath: full) ?? Data())
            guard case .success(let decoded) = SourceFile.decode(bytes) else {
                log.error("template is not valid UTF-8", at: SourceLocation(path: display(path)))
                continue
            }
            let file = SourceFile(relativePath: path, displayPath: display(path), text: decoded.text)
            let name = String(path.dropLast(".mustache".count))
            do {
                let template = try MustacheTemplate(string: escaping.pragma + file.text)
                library.register(template, named: name)
                parsed[name] = template
                sources.append((name, file))
            } catch let error as MustacheTemplate.ParserError {
                let line = max(1, error.context.lineNumber - escaping.pragmaLines)
                let column = byteColumn(characters: error.context.columnNumber, in: error.context.line)
                unparsable.insert(name)
                log.error("template does not parse: \(describe(error.error))", at: file.location(line: line, column: column))
            }
        }
        let names = Set(sources.map(\.name))
        for (_, file) in sources {
            for reference in partialReferences(in: file.text) where !names.contains(reference.name) {
                log.error("unknown partial '\(reference.name)'", at: file.location(line: reference.line, column: reference.column),
                          notes: Suggestion.closest(to: reference.name, in: names).map { ["did you mean '\($0)'?"] } ?? [])
            }
        }
        for name in required where !names.contains(name) && !unparsable.contains(name) {
            log.error("missing template '\(name).mustache'", at: SourceLocation(path: display("\(name).mustache")))
        }
        var fingerprint = StableHash()
        for (name, file) in sources {
            fingerprint.add(name)
            fingerprint.add(file.text)
        }
        for asset in assets { fingerprint.add(asset.relativePath) }
        return TemplateSet(library: library, compiled: CompiledTemplates.compile(parsed), names: names, assets: assets,
                           fingerprint: fingerprint)
    }

    /// Renders `context` with the template `name` as UTF-8 bytes (none when there is no such template).
    public func render(_ name: String, _ context: some TemplateObject & MustacheParent) -> [UInt8] {
        if let compiled { return compiled.render(name, context) }
        return Array(renderWithLibrary(name, context).utf8)
    }

    /// Renders through swift-mustache itself: the fallback, and the reference the compiled renderer is tested against.
    func renderWithLibrary(_ name: String, _ context: some MustacheParent) -> String {
        library.render(context, withTemplate: name) ?? ""
    }

    /// True when a template of that name exists.
    public func has(_ name: String) -> Bool { names.contains(name) }

    /// `{{> name}}` and `{{< name}}` tags with their positions.
    static func partialReferences(in text: String) -> [(name: String, line: Int, column: Int)] {
        var result: [(String, Int, Int)] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let bytes = Array(line.utf8)
            var i = 0
            while i + 2 < bytes.count {
                guard bytes[i] == 123, bytes[i + 1] == 123 else { i += 1; continue }
                var j = i + 2
                while j < bytes.count, bytes[j] == 32 { j += 1 }
                guard j < bytes.count, bytes[j] == 62 || bytes[j] == 60 else { i += 2; continue }
                j += 1
                while j < bytes.count, bytes[j] == 32 { j += 1 }
                var end = j
                while end < bytes.count, bytes[end] != 125, bytes[end] != 32 { end += 1 }
                let name = String(decoding: bytes[j..<end], as: UTF8.self)
                if !name.isEmpty { result.append((name, index + 1, i + 1)) }
                i = end
            }
        }
        return result
    }

    private static func byteColumn(characters: Int, in line: String) -> Int {
        line.prefix(max(0, characters - 1)).utf8.count + 1
    }

    private static func describe(_ error: Error) -> String {
        guard let error = error as? MustacheTemplate.Error else { return "\(error)" }
        switch error {
        case .sectionCloseNameIncorrect: return "a section is closed with a different name than it was opened"
        case .unfinishedName: return "a tag is not closed with '}}'"
        case .expectedSectionEnd: return "a section is never closed"
        case .invalidSetDelimiter: return "the set-delimiter tag is badly formed"
        case .transformAppliedToInheritanceSection: return "a transform is applied to an inheritance section"
        case .illegalTokenInsideInheritSection: return "an inheritance section holds a tag it cannot"
        case .textInsideInheritSection: return "an inheritance section holds text outside its blocks"
        case .invalidConfigVariableSyntax: return "a config variable is badly formed"
        case .unrecognisedConfigVariable: return "a config variable is not recognised"
        }
    }
}

/// swift-mustache's own HTML escaping walks the text one `Character` at a time through a dictionary: it was measured
/// at a fifth of a 3,000-chapter build. This content type escapes exactly the same five characters (`&<>"'`, as
/// `HTML.escape` does) over UTF-8 bytes, and returns the text untouched when there is nothing to escape. Every
/// template is compiled with a standalone `CONTENT_TYPE` pragma line in front (removed from the output by the
/// standalone-tag rule; error lines are shifted back), so partials and parents rendered from it inherit it too.
struct FastEscaping: MustacheContentType {
    static let name = "BUILD_SITE_HTML"
    /// The line put in front of every template.
    let pragma = "{{% CONTENT_TYPE: \(FastEscaping.name) }}\n"
    let pragmaLines = 1

    /// The content type, registered with swift-mustache (its registry is process-wide; registering again is harmless).
    static func registered() -> FastEscaping {
        let type = FastEscaping()
        MustacheContentTypes.register(type, named: name)
        return type
    }

    func escapeText(_ text: String) -> String { HTML.escape(text) }
}
