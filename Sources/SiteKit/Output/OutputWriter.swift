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

    /// The link cache (`LinkCache`) of an output tree: like the manifest, it lives inside the tree it was written
    /// with (nothing is written outside the output folder), is swapped in with it, and is not listed in the manifest.
    static let linkCacheName = ".build-site-link-cache"

    /// The link cache of the current output.
    var linkCachePath: String { output + "/" + Self.linkCacheName }

    /// The manifest of an output tree: a first line `build-site-manifest 2`, then one `hash size key path` line per
    /// file (`key`: the page's render key in hex, or `-`). It lives inside the tree, so it is swapped in together with
    /// the files it describes and can never disagree with them. (A manifest of the first format, `hash size path`
    /// lines with no header, is still read: its files have no keys.)
    static let manifestName = ".build-site-manifest"
    static let manifestHeader = "build-site-manifest 2"

    /// What the manifest of the current output says: each file's identity (`hash size`, or for a copied file its
    /// source's modification time and size) and render key.
    public struct PreviousOutput: Sendable {
        /// Absolute path of the output folder.
        public let output: String
        let entries: [String: (identity: String, key: StableHash?)]

        /// No previous output.
        public static func none(_ output: String) -> PreviousOutput { PreviousOutput(output: output, entries: [:]) }

        /// Where the page at `path` is in the current output, when the previous build rendered it under `key` and it
        /// is still there at the size the manifest gives; nil when it must be rendered.
        public func reusable(_ path: String, key: StableHash) -> String? {
            guard let entry = entries[path], entry.key == key,
                  let size = entry.identity.split(separator: " ").last.flatMap({ Int($0) }) else { return nil }
            let absolute = output + "/" + path
            var info = stat()
            guard stat(absolute, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) == size else { return nil }
            return absolute
        }

        /// Number of files that have a render key.
        var keyedCount: Int { entries.values.filter { $0.key != nil }.count }
    }

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
        let staging = try begin()
        do {
            try staging.add(files)
            return try staging.commit(removeOldTree: removeOldTree)
        } catch {
            staging.discard()
            throw error
        }
    }

    /// Starts a new tree beside the output, to be filled batch by batch (`Staging.add`) and swapped in by
    /// `Staging.commit`, or removed by `Staging.discard`: a build can then write pages as it renders them instead of
    /// holding every page in memory.
    public func begin(previous: PreviousOutput? = nil) throws -> Staging {
        removeLeftovers()
        let fm = FileManager.default
        try? fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
        let path = parent + "/" + temporaryPrefix + "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        do {
            try fm.createDirectory(atPath: path, withIntermediateDirectories: false)
        } catch {
            throw BuildError.cannotWrite(output, reason: "\(error.localizedDescription)")
        }
        return Staging(writer: self, path: path, previous: previous ?? previousOutput())
    }

    /// A new output tree being written. `write` may be called from several threads at once (a build writes each
    /// page on the thread that rendered it, while its bytes are still in that core's cache); `record`, `add`,
    /// `commit` and `discard` from one thread at a time.
    public final class Staging: @unchecked Sendable {
        let writer: OutputWriter
        /// Absolute path of the temporary tree.
        let path: String
        /// Where the tree's link cache goes.
        var linkCachePath: String { path + "/" + OutputWriter.linkCacheName }
        private let previous: PreviousOutput
        /// Folders made so far, each open (under `lock`: `write` runs on several threads). Files are created in
        /// them by name (`openat`): looking up each file's whole path was a percent of a large build.
        private var folders: [String: OpenFolder] = [:]

        /// A folder of the tree, open, and a lock its files are created under: two threads creating files in one
        /// folder wait for each other in the kernel, and on ext4 that wait spins (a percent of a large build's CPU).
        /// A thread that finds the lock taken does not wait for it either: it leaves its file with the folder and
        /// goes on, and the thread holding the lock creates that file too, and writes it (`Staging.record` writes
        /// what is left). (Waiting, threads slept and were woken: some two thousand calls into the kernel and seven
        /// hundred switches of thread in a large build on ext4.)
        /// What is left is bounded (`leftLimit`): past it, a thread waits for the lock after all. (When creating files
        /// is slow, as on ext4 for some minutes after a large tree was deleted, one thread was left nearly every page
        /// the other rendered, and a large build held hundreds of megabytes of them.)
        final class OpenFolder: @unchecked Sendable {
            let fd: Int32
            let creating = NSLock()
            /// Under `lock`: files left to create, their bytes, and what writing those taken from there did.
            private let lock = NSLock()
            private var left: [LeftFile] = []
            private var leftBytes = 0
            private var done: [WriteOutcome] = []
            /// The most bytes left with one folder at a time.
            static let leftLimit = 32 << 20

            init(fd: Int32) { self.fd = fd }

            /// A file left for the thread holding `creating`, with its manifest line.
            struct LeftFile {
                var path: String
                var bytes: [UInt8]
                var entry: String
            }

            /// Leaves `file` to the thread holding `creating`; false, leaving nothing, when that would put more than
            /// `leftLimit` bytes in waiting (one file alone is always taken).
            func leave(_ file: LeftFile) -> Bool {
                lock.lock()
                defer { lock.unlock() }
                guard left.isEmpty || leftBytes + file.bytes.count <= Self.leftLimit else { return false }
                left.append(file)
                leftBytes += file.bytes.count
                return true
            }

            /// Creates the files left so far (the caller holds `creating`); `writeLeft` writes them once it is let go.
            func createLeft() -> [(file: LeftFile, created: Created)] {
                lock.lock()
                let taken = left
                left = []
                leftBytes = 0
                lock.unlock()
                return taken.map { ($0, OutputWriter.create(OutputWriter.name(of: $0.path), in: fd)) }
            }

            /// Writes files `createLeft` made, keeping what that did for `finish`.
            func writeLeft(_ made: [(file: LeftFile, created: Created)]) {
                guard !made.isEmpty else { return }
                let outcomes = made.map { OutputWriter.write($0.file.bytes, to: $0.created, as: $0.file.path, entry: $0.file.entry) }
                lock.lock()
                done += outcomes
                lock.unlock()
            }

            /// Creates and writes the files still left, then returns the outcomes of every file left so far.
            func finish() -> [WriteOutcome] {
                creating.lock()
                let made = createLeft()
                creating.unlock()
                writeLeft(made)
                lock.lock()
                defer { lock.unlock() }
                let outcomes = done
                done = []
                return outcomes
            }
        }
        private let lock = NSLock()
        private var entries: [String] = []
        private var written = 0
        private var kept = 0

        init(writer: OutputWriter, path: String, previous: PreviousOutput) {
            self.writer = writer
            self.path = path
            self.previous = previous
        }

        deinit { closeFolders() }

        private func closeFolders() {
            lock.lock()
            defer { lock.unlock() }
            for (_, folder) in folders where folder.fd >= 0 { close(folder.fd) }
            folders = [:]
        }

        /// The open folder `folder` of the tree (relative, "" for the top), once a file has been written in it.
        func openFolder(_ folder: String) -> OpenFolder? {
            lock.lock()
            defer { lock.unlock() }
            return folders[folder]
        }

        /// Writes (or links, when unchanged since the last build) a batch of files into the tree.
        public func add(_ files: [OutputFile]) throws {
            try record(parallelMap(files) { self.write($0) })
        }

        /// Writes (or links) one file into the tree, making its folders first. Safe to call from several threads;
        /// what it did counts once its outcome is given to `record`.
        public func write(_ file: OutputFile) -> WriteOutcome {
            guard OutputWriter.isSafe(file.path) else {
                return WriteOutcome(path: file.path, error: "the path would leave the output folder")
            }
            let folder = OutputWriter.folder(of: file.path)
            let directory: OpenFolder
            do {
                lock.lock()
                defer { lock.unlock() }
                if let opened = folders[folder] {
                    directory = opened
                } else {
                    let folderPath = folder.isEmpty ? path : path + "/" + folder
                    if !folder.isEmpty {
                        do {
                            try FileManager.default.createDirectory(atPath: folderPath, withIntermediateDirectories: true)
                        } catch {
                            return WriteOutcome(path: folder, error: "\(error.localizedDescription)")
                        }
                    }
                    // -1 (files are then opened by path) when the folder cannot be opened.
                    directory = OpenFolder(fd: open(folderPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC))
                    folders[folder] = directory
                }
            }
            return writer.writeOne(file, into: path, directory: directory, previous: previous)
        }

        /// Takes what `write` did for a batch (and writes the files it left with their folders); throws the first
        /// failure.
        public func record(_ outcomes: [WriteOutcome]) throws {
            lock.lock()
            let open = Array(folders.values)
            lock.unlock()
            let all = outcomes.filter { !$0.left } + open.flatMap { $0.finish() }
            if let failure = all.first(where: { $0.error != nil }), let error = failure.error {
                throw BuildError.cannotWrite(failure.path, reason: error)
            }
            for outcome in all {
                if let entry = outcome.entry { entries.append(entry) }
                if outcome.kept { kept += 1 } else { written += 1 }
            }
        }

        /// Writes the manifest and swaps the tree in for the output.
        public func commit(removeOldTree: Bool = true) throws -> Report {
            // (Files left with their folders since the last `record` are written first.)
            try record([])
            let fm = FileManager.default
            let manifest = ([OutputWriter.manifestHeader] + entries.sorted()).joined(separator: "\n") + "\n"
            closeFolders()
            guard fm.createFile(atPath: path + "/" + OutputWriter.manifestName, contents: Data(manifest.utf8)) else {
                throw BuildError.cannotWrite(OutputWriter.manifestName, reason: "the file could not be created")
            }
            let oldTree: String?
            do {
                oldTree = try writer.swapIn(path)
            } catch let error as BuildError {
                throw error
            } catch {
                throw BuildError.cannotWrite(writer.output, reason: "\(error.localizedDescription)")
            }
            if let oldTree, removeOldTree { try? fm.removeItem(atPath: oldTree) }
            return Report(written: written, kept: kept, oldTree: removeOldTree ? nil : oldTree)
        }

        /// Removes the unfinished tree; the output stays as it was.
        public func discard() {
            closeFolders()
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    /// What writing one file did: linked from the old tree (`kept`) or written, its manifest line, or why it failed
    /// (`path` is then the file or folder that could not be made).
    public struct WriteOutcome: Sendable {
        var path: String
        var kept = false
        var entry: String?
        var error: String?
        /// Left with its folder, to be written by another thread: its outcome comes from the folder.
        var left = false
    }

    /// A file created for writing (replacing one of that name), or why it could not be.
    struct Created {
        var fd: Int32
        var error: Int32
    }

    static func create(_ path: String) -> Created {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        return Created(fd: fd, error: fd < 0 ? errno : 0)
    }

    static func create(_ name: String, in folder: Int32) -> Created {
        let fd = openat(folder, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        return Created(fd: fd, error: fd < 0 ? errno : 0)
    }

    /// Writes `bytes` into a file just created for `path`, and closes it.
    static func write(_ bytes: [UInt8], to created: Created, as path: String, entry: String) -> WriteOutcome {
        guard created.fd >= 0 else { return WriteOutcome(path: path, error: String(cString: strerror(created.error))) }
        let fd = created.fd
        defer { close(fd) }
        return bytes.withUnsafeBufferPointer { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return WriteOutcome(path: path, error: String(cString: strerror(errno)))
                }
                offset += n
            }
            return WriteOutcome(path: path, entry: entry)
        }
    }

    /// Writes (or links) one file into the staging tree.
    /// `directory` is the open folder the file goes in (nil, or one that could not be opened: the file is opened by
    /// its path).
    fileprivate func writeOne(_ file: OutputFile, into staging: String, directory: Staging.OpenFolder? = nil,
                              previous: PreviousOutput) -> WriteOutcome {
        let destination = staging + "/" + file.path
        let key = file.renderKey.map { String($0.value, radix: 16) } ?? "-"
        let old = previous.entries[file.path]
        switch file.contents {
        case .bytes(let contents):
            return contents.withUnsafeBufferPointer { bytes -> WriteOutcome in
                var hash = StableHash()
                hash.add(bytes: UnsafeRawBufferPointer(bytes))
                let identity = "\(String(hash.value, radix: 16)) \(bytes.count)"
                let entry = "\(identity) \(key) \(file.path)"
                // The old file is linked when the manifest gives it these bytes' hash and it still has their size
                // (a page edited by hand in the output is written again).
                let oldPath = output + "/" + file.path
                var info = stat()
                if old?.identity == identity, stat(oldPath, &info) == 0, Int(info.st_size) == bytes.count,
                   link(oldPath, destination) == 0 {
                    return WriteOutcome(path: file.path, kept: true, entry: entry)
                }
                guard let directory, directory.fd >= 0 else {
                    return OutputWriter.write(contents, to: OutputWriter.create(destination), as: file.path, entry: entry)
                }
                if !directory.creating.try() {
                    if directory.leave(.init(path: file.path, bytes: contents, entry: entry)) {
                        return WriteOutcome(path: file.path, left: true)
                    }
                    directory.creating.lock()
                }
                let opened = OutputWriter.create(OutputWriter.name(of: file.path), in: directory.fd)
                let others = directory.createLeft()
                directory.creating.unlock()
                directory.writeLeft(others)
                return OutputWriter.write(contents, to: opened, as: file.path, entry: entry)
            }
        case .copy(let source):
            var info = stat()
            let identity = stat(source, &info) == 0 ? "c\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_size)" : nil
            let entry = identity.map { "\($0) \(key) \(file.path)" }
            if let identity, old?.identity == identity, link(output + "/" + file.path, destination) == 0 {
                return WriteOutcome(path: file.path, kept: true, entry: entry)
            }
            do {
                try FileManager.default.copyItem(atPath: source, toPath: destination)
                return WriteOutcome(path: file.path, entry: entry)
            } catch {
                return WriteOutcome(path: file.path, error: "\(error.localizedDescription)")
            }
        case .previous(let source):
            if let old, link(source, destination) == 0 {
                return WriteOutcome(path: file.path, kept: true, entry: "\(old.identity) \(key) \(file.path)")
            }
            // Not linkable (another file system, or gone since the build looked): its bytes are written again.
            guard let data = FileManager.default.contents(atPath: source) else {
                return WriteOutcome(path: file.path, error: "the previous build's file could not be read")
            }
            let copy = OutputFile(path: file.path, contents: .bytes([UInt8](data)), renderKey: file.renderKey)
            return writeOne(copy, into: staging, previous: .none(output))
        }
    }

    /// Reads the manifest of the current output (empty when there is none or it cannot be read).
    public func previousOutput() -> PreviousOutput {
        guard let data = FileManager.default.contents(atPath: output + "/" + Self.manifestName) else { return .none(output) }
        var entries: [String: (identity: String, key: StableHash?)] = [:]
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        if lines.first == Substring(Self.manifestHeader) {
            for line in lines.dropFirst() {
                let parts = line.split(separator: " ", maxSplits: 3)
                guard parts.count == 4 else { continue }
                let key = UInt64(parts[2], radix: 16).map { StableHash(value: $0) }
                entries[String(parts[3])] = ("\(parts[0]) \(parts[1])", key)
            }
        } else {
            for line in lines {
                let parts = line.split(separator: " ", maxSplits: 2)
                if parts.count == 3 { entries[String(parts[2])] = ("\(parts[0]) \(parts[1])", nil) }
            }
        }
        return PreviousOutput(output: output, entries: entries)
    }

    /// Puts `staging` in place of the output; returns where the old tree now is (nil when there was none).
    fileprivate func swapIn(_ staging: String) throws -> String? {
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

    /// The file name of a relative path (its last segment).
    static func name(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// A relative path that stays inside the output folder: no `..`, no absolute path, no backslash or NUL.
    public static func isSafe(_ path: String) -> Bool {
        // Checked as bytes, a segment at a time (it runs for every file written).
        var segment = 0  // bytes in the current segment
        var dots = 0  // its leading dots
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "/"):
                if segment == 0 || (dots == segment && segment <= 2) { return false }
                segment = 0
                dots = 0
            case UInt8(ascii: "\\"), 0:
                return false
            default:
                if byte == UInt8(ascii: "."), dots == segment { dots += 1 }
                segment += 1
            }
        }
        // The last segment: not empty (which also refuses an empty path), `.` or `..`.
        return segment > 0 && !(dots == segment && segment <= 2)
    }
}
