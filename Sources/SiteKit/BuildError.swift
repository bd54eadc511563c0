/// What stops a build before any diagnostic can be tied to an author's file.
public enum BuildError: Error, Equatable, CustomStringConvertible {
    /// The content folder does not exist.
    case contentFolderMissing(String)
    /// The templates folder does not exist.
    case templatesFolderMissing(String)
    /// The output folder is one that must never be replaced.
    case unsafeOutputFolder(String, reason: String)
    /// Writing the output failed.
    case cannotWrite(String, reason: String)

    public var description: String {
        switch self {
        case .contentFolderMissing(let path): return "content folder '\(path)' does not exist"
        case .templatesFolderMissing(let path): return "templates folder '\(path)' does not exist"
        case .unsafeOutputFolder(let path, let reason): return "refusing to use '\(path)' as the output folder: \(reason)"
        case .cannotWrite(let path, let reason): return "cannot write '\(path)': \(reason)"
        }
    }
}
