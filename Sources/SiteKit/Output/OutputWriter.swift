import CFileSwap
import Foundation

/// Writes the output folder, the only code that writes files: everything goes into a sibling temporary folder,
/// which is then swapped in for the old output in one step; the old tree is removed after the swap.
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

    /// Writes every file, then swaps the new tree in. Throws when the disk refuses; the old output then stays.
    public func write(_ files: [OutputFile]) throws {
        removeLeftovers()
        let fm = FileManager.default
        try? fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
        let staging = parent + "/" + temporaryPrefix + "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        do {
            try fm.createDirectory(atPath: staging, withIntermediateDirectories: false)
            var made: Set<String> = []
            for file in files {
                guard Self.isSafe(file.path) else {
                    throw BuildError.cannotWrite(file.path, reason: "the path would leave the output folder")
                }
                let destination = staging + "/" + file.path
                let folder = (destination as NSString).deletingLastPathComponent
                if !made.contains(folder) {
                    try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
                    made.insert(folder)
                }
                switch file.contents {
                case .text(let text):
                    guard fm.createFile(atPath: destination, contents: Data(text.utf8)) else {
                        throw BuildError.cannotWrite(file.path, reason: "the file could not be created")
                    }
                case .copy(let source):
                    try fm.copyItem(atPath: source, toPath: destination)
                }
            }
            try swapIn(staging)
        } catch let error as BuildError {
            try? fm.removeItem(atPath: staging)
            throw error
        } catch {
            try? fm.removeItem(atPath: staging)
            throw BuildError.cannotWrite(output, reason: "\(error.localizedDescription)")
        }
    }

    /// Puts `staging` in place of the output; afterwards `staging` holds the old tree, which is deleted.
    private func swapIn(_ staging: String) throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: output, isDirectory: &isDirectory) else {
            guard rename(staging, output) == 0 else {
                throw BuildError.cannotWrite(output, reason: String(cString: strerror(errno)))
            }
            return
        }
        guard isDirectory.boolValue else {
            throw BuildError.cannotWrite(output, reason: "it exists and is not a folder")
        }
        if bs_exchange_paths(staging, output) == 0 {
            try? fm.removeItem(atPath: staging)
            return
        }
        // No atomic exchange on this system: two renames, the old tree parked beside the new one.
        let parked = staging + "-old"
        guard rename(output, parked) == 0 else {
            throw BuildError.cannotWrite(output, reason: String(cString: strerror(errno)))
        }
        guard rename(staging, output) == 0 else {
            _ = rename(parked, output)
            throw BuildError.cannotWrite(output, reason: String(cString: strerror(errno)))
        }
        try? fm.removeItem(atPath: parked)
    }

    /// Removes temporary folders that an interrupted build left beside the output.
    public func removeLeftovers() {
        let fm = FileManager.default
        guard let siblings = try? fm.contentsOfDirectory(atPath: parent) else { return }
        for sibling in siblings where sibling.hasPrefix(temporaryPrefix) {
            try? fm.removeItem(atPath: parent + "/" + sibling)
        }
    }

    /// A relative path that stays inside the output folder: no `..`, no absolute path, no backslash or NUL.
    public static func isSafe(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\\"), !path.contains("\0") else { return false }
        return !path.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == ".." || $0 == "." || $0.isEmpty }
    }
}
