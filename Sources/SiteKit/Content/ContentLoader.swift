import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Everything read from the content folder, before parsing.
public struct LoadedContent: Sendable {
    /// `site.yaml`, when present and readable.
    public var config: SiteConfig
    /// The text of `site.yaml` ("" when missing), for build keys.
    public var siteText: String
    /// Chapter files, sorted by path.
    public var chapters: [SourceFile]
    /// Entity files by kind folder, each sorted by path.
    public var entities: [(kind: EntityKind, files: [SourceFile])]
    /// Files copied as they are (images and other static files).
    public var staticFiles: [StaticFile]
    /// Data files under `maps/` (YAML), for illustrations.
    public var mapFiles: [SourceFile]
}

/// A file copied into the output unchanged.
public struct StaticFile: Sendable, Equatable {
    /// Absolute path of the source file.
    public var sourcePath: String
    /// Path relative to the content folder, which is also its path in the output: `images/map.svg`.
    public var relativePath: String
}

/// Reads the content folder: `site.yaml`, chapters, entity kinds, static files. The only reader of Content/.
public struct ContentLoader: Sendable {
    /// Absolute path of the content folder.
    public let root: String
    /// How the content folder is printed in diagnostics (`Content`, or a path relative to the current folder).
    public let displayRoot: String
    /// Files read by an earlier build, reused while their size and modification time are unchanged.
    let cache: SourceCache?

    /// A loader for `root`, printing paths as `displayRoot/…`.
    public init(root: String, displayRoot: String, cache: SourceCache? = nil) {
        self.root = root.hasSuffix("/") && root.count > 1 ? String(root.dropLast()) : root
        self.displayRoot = displayRoot
        self.cache = cache
    }

    /// Reads everything; problems in single files are diagnostics, an unreadable content folder throws.
    public func load(log: inout DiagnosticLog) throws -> LoadedContent {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw BuildError.contentFolderMissing(displayRoot)
        }
        let config: SiteConfig
        var siteText = ""
        if let siteFile = readFile("site.yaml", log: &log) {
            siteText = siteFile.text
            config = SiteConfig.parse(siteFile, log: &log)
        } else {
            log.error("missing site.yaml: the content folder needs one with at least a 'title'",
                      at: SourceLocation(path: display("site.yaml")))
            var fallback = DiagnosticLog()
            config = SiteConfig.parse(SourceFile(relativePath: "site.yaml", displayPath: display("site.yaml"),
                                                 text: "title: Untitled\n"), log: &fallback)
        }
        let pageFolders = Set(["chapters"] + config.kinds.map(\.folder))
        let chapters = markdownFiles(in: "chapters", log: &log)
        var entities: [(EntityKind, [SourceFile])] = []
        for kind in config.kinds {
            entities.append((kind, markdownFiles(in: kind.folder, log: &log)))
        }
        var staticFiles: [StaticFile] = []
        var mapFiles: [SourceFile] = []
        for entry in listing("", log: &log) where entry.isDirectory && !pageFolders.contains(entry.name) {
            if entry.name == "maps" {
                for path in allFiles(under: "maps", log: &log) where path.hasSuffix(".yaml") || path.hasSuffix(".yml") {
                    if let file = readFile(path, log: &log) { mapFiles.append(file) }
                }
            } else {
                staticFiles += allFiles(under: entry.name, log: &log).map {
                    StaticFile(sourcePath: root + "/" + $0, relativePath: $0)
                }
            }
        }
        return LoadedContent(config: config, siteText: siteText, chapters: chapters, entities: entities,
                             staticFiles: staticFiles.sorted { $0.relativePath < $1.relativePath }, mapFiles: mapFiles)
    }

    /// The printed path of a content-relative path.
    public func display(_ relativePath: String) -> String {
        displayRoot.isEmpty || displayRoot == "." ? relativePath : displayRoot + "/" + relativePath
    }

    private struct Entry {
        var name: String
        var isDirectory: Bool
    }

    /// Entries of a folder, sorted, without dotfiles; symbolic links leaving the content folder are skipped.
    private func listing(_ relative: String, log: inout DiagnosticLog) -> [Entry] {
        let path = relative.isEmpty ? root : root + "/" + relative
        // readdir gives each entry's type, so a folder of thousands of chapters is listed without a call per file
        // (FileManager's attributes were measured at a quarter of a rebuild of a 10,000-chapter book).
        guard let directory = opendir(path) else { return [] }
        var found: [(name: String, type: UInt8)] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard !name.hasPrefix(".") else { continue }
            found.append((name, entry.pointee.d_type))
        }
        closedir(directory)
        var entries: [Entry] = []
        for (name, type) in found.sorted(by: { $0.name < $1.name }) {
            let childRelative = relative.isEmpty ? name : relative + "/" + name
            let childPath = root + "/" + childRelative
            switch Int32(type) {
            case Int32(DT_DIR): entries.append(Entry(name: name, isDirectory: true))
            case Int32(DT_REG): entries.append(Entry(name: name, isDirectory: false))
            default:
                var info = stat()
                guard lstat(childPath, &info) == 0 else { continue }
                var target = childPath
                if info.st_mode & S_IFMT == S_IFLNK {
                    target = URL(fileURLWithPath: childPath).resolvingSymlinksInPath().path
                    let realRoot = URL(fileURLWithPath: root).resolvingSymlinksInPath().path
                    guard target.hasPrefix(realRoot + "/") else {
                        log.warning("not following symbolic link '\(childRelative)': it points outside the content folder",
                                    at: SourceLocation(path: display(childRelative)))
                        continue
                    }
                }
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory) else { continue }
                entries.append(Entry(name: name, isDirectory: isDirectory.boolValue))
            }
        }
        return entries
    }

    /// The `.md` files of a page folder (not recursive), read on every core; other files get a warning.
    private func markdownFiles(in folder: String, log: inout DiagnosticLog) -> [SourceFile] {
        var paths: [String] = []
        for entry in listing(folder, log: &log) {
            let relative = folder + "/" + entry.name
            if entry.isDirectory || !entry.name.hasSuffix(".md") {
                log.warning("ignoring '\(relative)': only .md files directly in '\(folder)/' are pages",
                            at: SourceLocation(path: display(relative)))
                continue
            }
            paths.append(relative)
        }
        let results = parallelMap(paths) { relative -> (SourceFile?, DiagnosticLog) in
            var fileLog = DiagnosticLog()
            let file = readFile(relative, log: &fileLog)
            return (file, fileLog)
        }
        for (_, fileLog) in results { log.merge(fileLog) }
        return results.compactMap(\.0)
    }

    /// Every file below a folder, recursively, as content-relative paths.
    private func allFiles(under folder: String, log: inout DiagnosticLog) -> [String] {
        var result: [String] = []
        var pending = [folder]
        while let current = pending.popLast() {
            for entry in listing(current, log: &log) {
                let relative = current + "/" + entry.name
                if entry.isDirectory { pending.append(relative) } else { result.append(relative) }
            }
        }
        return result.sorted()
    }

    /// The bytes of a file, read straight into an array: in one read of the size `stat` gave (and a byte more, to
    /// see the end), then, if the file grew since, the rest a chunk at a time. Nil when it cannot be read.
    static func contents(of path: String, size: Int) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return contents(of: fd, size: size)
    }

    /// How much of a file is read before knowing its size: 64 KB, room for a typical chapter (a byte less, as
    /// `contents` asks for one more to see the end).
    static let firstRead = (1 << 16) - 1

    /// The bytes of the open file `fd`, `size` long when it was asked (read on to the end if it is longer).
    static func contents(of fd: Int32, size: Int) -> [UInt8]? {
        var failed = false
        let expected = max(size, 0) + 1
        var bytes = [UInt8](unsafeUninitializedCapacity: expected) { buffer, count in
            count = readAll(fd, into: UnsafeMutableRawBufferPointer(buffer), failed: &failed)
        }
        guard !failed else { return nil }
        if bytes.count == expected {
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = chunk.withUnsafeMutableBytes { readAll(fd, into: $0, failed: &failed) }
                guard !failed else { return nil }
                bytes += chunk[..<n]
                if n < chunk.count { break }
            }
        }
        return bytes
    }

    /// Reads into `buffer` until it is full or the file ends; the number of bytes read.
    private static func readAll(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, failed: inout Bool) -> Int {
        var total = 0
        while total < buffer.count {
            let n = read(fd, buffer.baseAddress! + total, buffer.count - total)
            if n < 0 {
                if errno == EINTR { continue }
                failed = true
                return total
            }
            if n == 0 { break }
            total += n
        }
        return total
    }

    /// Reads and decodes one file; invalid UTF-8 is a diagnostic at the first bad byte.
    func readFile(_ relative: String, log: inout DiagnosticLog) -> SourceFile? {
        let path = root + "/" + relative
        var info = stat()
        if let cache {
            guard stat(path, &info) == 0 else { return nil }
            if let cached = cache.file(at: path, stamp: SourceCache.Stamp(info)) { return cached }
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        // A file gone since it was listed is not a page.
        if fd < 0, errno == ENOENT { return nil }
        defer { if fd >= 0 { close(fd) } }
        // Without a cache, the size is not asked at all (a stat call for each file was half a percent of a large
        // build): the file is read into room for a typical page, and on to its end if it is longer.
        guard fd >= 0, let bytes = Self.contents(of: fd, size: cache != nil ? Int(info.st_size) : Self.firstRead) else {
            log.error("cannot read '\(relative)'", at: SourceLocation(path: display(relative)))
            return nil
        }
        // Found with memchr: a file is scanned at memory speed rather than byte by byte.
        if let nul = bytes.withUnsafeBufferPointer({ buffer -> Int? in
            guard let base = buffer.baseAddress, let found = memchr(base, 0, buffer.count) else { return nil }
            return UnsafeRawPointer(found) - UnsafeRawPointer(base)
        }) {
            let position = SourceFile.InvalidUTF8(byteOffset: nul).position(in: bytes)
            log.error("NUL byte in the file: it is not text; remove it or save the file as UTF-8 text",
                      at: SourceLocation(path: display(relative), line: position.line, column: position.column))
            return nil
        }
        switch SourceFile.decode(bytes) {
        case .success(let decoded):
            let file = SourceFile(relativePath: relative, displayPath: display(relative), text: decoded.text,
                                  firstLineShift: decoded.shift)
            cache?.store(file, at: path, stamp: SourceCache.Stamp(info))
            return file
        case .failure(let invalid):
            let position = invalid.position(in: bytes)
            log.error("invalid UTF-8: byte 0x\(String(bytes[invalid.byteOffset], radix: 16, uppercase: true)) "
                      + "is not valid text; save the file as UTF-8",
                      at: SourceLocation(path: display(relative), line: position.line, column: position.column))
            return nil
        }
    }
}
