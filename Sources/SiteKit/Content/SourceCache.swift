import Foundation

/// Files read by earlier builds of one session (serve, repeated builds), reused while their size and modification
/// time are unchanged, so that a rebuild reads only what changed. Shared by reading tasks; guarded by a lock.
public final class SourceCache: @unchecked Sendable {
    /// Modification time and size of a file when it was read.
    struct Stamp: Equatable {
        var seconds: Int
        var nanoseconds: Int
        var size: Int

        /// The stamp of a file's status.
        init(_ info: stat) {
            (seconds, nanoseconds, size) = (Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec), Int(info.st_size))
        }
    }

    private var files: [String: (Stamp, SourceFile)] = [:]
    private let lock = NSLock()

    /// An empty cache.
    public init() {}

    func file(at path: String, stamp: Stamp) -> SourceFile? {
        lock.lock()
        defer { lock.unlock() }
        guard let (cachedStamp, file) = files[path], cachedStamp == stamp else { return nil }
        return file
    }

    /// Forgets every file.
    func removeAll() {
        lock.lock()
        defer { lock.unlock() }
        files = [:]
    }

    func store(_ file: SourceFile, at path: String, stamp: Stamp) {
        lock.lock()
        defer { lock.unlock() }
        files[path] = (stamp, file)
    }
}
