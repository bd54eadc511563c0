import CFileSwap
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes the output folder, the only code that writes files: everything goes into a sibling temporary folder,
/// which is then swapped in for the old output in one step; the old tree is removed after the swap.
/// A file whose bytes did not change since the last build is hard-linked from the old tree instead of written,
/// so it keeps its identity and modification time (a manifest of content hashes lives beside the output).
public struct OutputWriter: Sendable {
    /// Absolute path of the output folder.
    public let output: String

    /// A writer for `output` (absolute, without a trailing slash).
    public init(output: String) {
        self.output = output.count > 1 && output.hasSuffix("/") ? String(output.dropLast()) : output
    }

    private var parent: String { (output as NSString).deletingLastPathComponent }
    private var name: String { (output as NSString).lastPathComponent }
    /// Prefix of temporary sibling folders, so a later build can find and remove leftovers.
    private var temporaryPrefix: String { ".\(name).build-" }
    /// The manifest of an output tree: one `hash size path` line per file. It lives inside the tree, so it is swapped
    /// in together with the files it describes and can never disagree with them.
    static let manifestName = ".build-site-manifest"

    /// What a write did.
    public struct Report: Sendable, Equatable {
        /// Files written with new bytes.
        public var written: Int
        /// Files linked unchanged from the previous output.
        public var kept: Int
        /// The previous output tree, swapped out and not yet removed (when the caller asked to remove it later).
        public var oldTree: String?
    }

    /// Writes every file, then swaps the new tree in. Throws when the disk refuses; the old output then stays.
    /// With `removeOldTree: false` the swapped-out tree is left for the caller to delete after reporting, off the
    /// critical path (`Report.oldTree`; a later build also removes it as a leftover).
    @discardableResult
    public func write(_ files: [OutputFile], removeOldTree: Bool = true) throws -> Report {
        removeLeftovers()
        let fm = FileManager.default
        try? fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
        let staging = parent + "/" + temporaryPrefix + "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let previous = readManifest()
        do {
            try fm.createDirectory(atPath: staging, withIntermediateDirectories: false)
            var folders = Set<String>()
            for file in files {
                guard Self.isSafe(file.path) else {
                    throw BuildError.cannotWrite(file.path, reason: "the path would leave the output folder")
                }
                var folder = Self.folder(of: file.path)
                while !folder.isEmpty, folders.insert(folder).inserted { folder = Self.folder(of: folder) }
            }
            for folder in folders.sorted() { try fm.createDirectory(atPath: staging + "/" + folder, withIntermediateDirectories: true) }
            let outcomes = parallelMap(files) { file in writeOne(file, into: staging, previous: previous) }
            if let failure = outcomes.first(where: { $0.error != nil }), let error = failure.error {
                throw BuildError.cannotWrite(failure.path, reason: error)
            }
            let manifest = outcomes.compactMap { $0.entry }.sorted().joined(separator: "\n") + "\n"
            guard fm.createFile(atPath: staging + "/" + Self.manifestName, contents: Data(manifest.utf8)) else {
                throw BuildError.cannotWrite(Self.manifestName, reason: "the file could not be created")
            }
            let oldTree = try swapIn(staging)
            if let oldTree, removeOldTree { try? fm.removeItem(atPath: oldTree) }
            return Report(written: outcomes.filter { !$0.kept }.count, kept: outcomes.filter(\.kept).count,
                          oldTree: removeOldTree ? nil : oldTree)
        } catch let error as BuildError {
            try? fm.removeItem(atPath: staging)
            throw error
        } catch {
            try? fm.removeItem(atPath: staging)
            throw BuildError.cannotWrite(output, reason: "\(error.localizedDescription)")
        }
    }

    private struct Outcome: Sendable {
        var path: String
        var kept = false
        var entry: String?
        var error: String?
    }

    /// Writes (or links) one file into the staging tree.
    private func writeOne(_ file: OutputFile, into staging: String, previous: [String: String]) -> Outcome {
        let destination = staging + "/" + file.path
        switch file.contents {
        case .text(let text):
            var bytes = Array(text.utf8)
            let key = "\(Self.fnv1a(bytes)) \(bytes.count)"
            let entry = "\(key) \(file.path)"
            if previous[file.path] == key, link(output + "/" + file.path, destination) == 0 {
                return Outcome(path: file.path, kept: true, entry: entry)
            }
            let fd = open(destination, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { return Outcome(path: file.path, error: String(cString: strerror(errno))) }
            defer { close(fd) }
            var offset = 0
            let count = bytes.count
            while offset < count {
                let n = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + offset, count - offset) }
                if n < 0 {
                    if errno == EINTR { continue }
                    return Outcome(path: file.path, error: String(cString: strerror(errno)))
                }
                offset += n
            }
            return Outcome(path: file.path, entry: entry)
        case .copy(let source):
            var info = stat()
            let key = stat(source, &info) == 0 ? "c\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_size)" : nil
            let entry = key.map { "\($0) \(file.path)" }
            if let key, previous[file.path] == key, link(output + "/" + file.path, destination) == 0 {
                return Outcome(path: file.path, kept: true, entry: entry)
            }
            do {
                try FileManager.default.copyItem(atPath: source, toPath: destination)
                return Outcome(path: file.path, entry: entry)
            } catch {
                return Outcome(path: file.path, error: "\(error.localizedDescription)")
            }
        }
    }

    /// 64-bit FNV-1a: stable across runs (unlike `Hasher`), fast, enough to tell a changed page from an unchanged one
    /// of the same size.
    static func fnv1a(_ bytes: [UInt8]) -> String {
        var hash = StableHash()
        hash.add(bytes: bytes)
        return String(hash.value, radix: 16)
    }

    private func readManifest() -> [String: String] {
        guard let data = FileManager.default.contents(atPath: output + "/" + Self.manifestName) else { return [:] }
        var result: [String: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 2)
            if parts.count == 3 { result[String(parts[2])] = "\(parts[0]) \(parts[1])" }
        }
        return result
    }

    /// Puts `staging` in place of the output; returns where the old tree now is (nil when there was none).
    private func swapIn(_ staging: String) throws -> String? {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: output, isDirectory: &isDirectory) else {
            guard rename(staging, output) == 0 else {
                throw BuildError.cannotWrite(output, reason: String(cString: strerror(errno)))
            }
            return nil
        }
        guard isDirectory.boolValue else {
            throw BuildError.cannotWrite(output, reason: "it exists and is not a folder")
        }
        if bs_exchange_paths(staging, output) == 0 { return staging }
        // No atomic exchange on this system: two renames, the old tree parked beside the new one.
        let parked = staging + "-old"
        guard rename(output, parked) == 0 else {
            throw BuildError.cannotWrite(output, reason: String(cString: strerror(errno)))
        }
        guard rename(staging, output) == 0 else {
            _ = rename(parked, output)
            throw BuildError.cannotWrite(output, reason: String(cString: strerror(errno)))
        }
        return parked
    }

    /// Removes temporary folders that an interrupted build left beside the output.
    public func removeLeftovers() {
        let fm = FileManager.default
        guard let siblings = try? fm.contentsOfDirectory(atPath: parent) else { return }
        for sibling in siblings where sibling.hasPrefix(temporaryPrefix) {
            try? fm.removeItem(atPath: parent + "/" + sibling)
        }
    }

    /// The folder part of a relative path: `a/b` for `a/b/c.html`, `""` for `c.html`.
    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }

    /// A relative path that stays inside the output folder: no `..`, no absolute path, no backslash or NUL.
    public static func isSafe(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\\"), !path.contains("\0") else { return false }
        return !path.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == ".." || $0 == "." || $0.isEmpty }
    }
}
