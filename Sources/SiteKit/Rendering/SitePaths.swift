/// The one place that decides output paths and the relative hrefs between them.
public enum SitePaths {
    /// The home page.
    public static let home = "index.html"
    /// The not-found page.
    public static let notFound = "404.html"
    /// The whole book on one page.
    public static let book = "book.html"
    /// The Atom feed of chapters.
    public static let feed = "feed.xml"
    /// The sitemap.
    public static let sitemap = "sitemap.xml"
    /// The search page.
    public static let search = "search.html"
    /// Folder of generated data scripts (search index, hover cards).
    public static let data = "data"
    /// Folder of template assets in the output.
    public static let assets = "assets"

    /// Output path of a chapter or entity page: `chapters/five-armies.html`, `people/wang-anshi.html`.
    public static func page(_ id: PageID) -> String { "\(id.folder)/\(id.slug).html" }

    /// Output path of a kind's index page: `people/index.html`.
    public static func kindIndex(_ kind: EntityKind) -> String { "\(kind.folder)/index.html" }

    /// The folder of an output path one folder deep (`chapters` for `chapters/five-armies.html`, as every chapter and
    /// entity page is); nil for any other path.
    public static func folder(ofPageOneDeep path: String) -> Substring? {
        let bytes = path.utf8
        guard let slash = bytes.firstIndex(of: 47), bytes[bytes.index(after: slash)...].firstIndex(of: 47) == nil else {
            return nil
        }
        return path[..<slash]
    }

    /// The relative href from the page at output path `from` to the output path `to`.
    public static func href(from: String, to: String) -> String {
        // Fast paths for the layouts every page uses: root pages and pages one folder deep.
        if from.utf8.firstIndex(of: 47) == nil { return to }
        if let folder = folder(ofPageOneDeep: from) {
            if let toFolder = Self.folder(ofPageOneDeep: to), toFolder == folder {
                return String(to[to.index(after: toFolder.endIndex)...])
            }
            return "../" + to
        }
        let fromDirs = from.split(separator: "/").dropLast()
        let toParts = to.split(separator: "/")
        let toDirs = toParts.dropLast()
        var common = 0
        while common < fromDirs.count, common < toDirs.count,
              fromDirs[fromDirs.startIndex + common] == toDirs[toDirs.startIndex + common] {
            common += 1
        }
        let ups = Array(repeating: "..", count: fromDirs.count - common)
        let rest = toParts.dropFirst(common).map(String.init)
        let joined = (ups + rest).joined(separator: "/")
        return joined.isEmpty ? "./" : joined
    }

    /// The prefix that leads from a page back to the output root: `""` or `"../"`.
    public static func root(from: String) -> String {
        String(repeating: "../", count: from.split(separator: "/").count - 1)
    }

    /// Resolves `relative` against the folder of `base` (both content-relative), refusing paths that leave the root.
    public static func resolve(_ relative: String, against base: String) -> String? {
        // The common case, a file of the same folder (`02-b.md` from `chapters/01-a.md`), is one concatenation:
        // split into pieces, it cost microseconds for each of a large book's links.
        if let sameFolder = inSameFolder(relative, as: base) { return sameFolder }
        return resolveByPieces(relative, against: base)
    }

    /// `resolve` for any path: piece by piece.
    static func resolveByPieces(_ relative: String, against base: String) -> String? {
        // Pieces of the two strings, joined once (a string made for each piece was most of the cost).
        var parts = Array(base.split(separator: "/").dropLast())
        for part in relative.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            default: parts.append(part)
            }
        }
        return parts.joined(separator: "/")
    }

    /// `relative` resolved against `base` when it is a plain name (no `/`, not `.` or `..`) and `base` a clean path
    /// (no empty piece); nil otherwise.
    private static func inSameFolder(_ relative: String, as base: String) -> String? {
        let name = relative.utf8
        guard !name.isEmpty, !name.contains(47), relative != ".", relative != ".." else { return nil }
        let path = base.utf8
        guard let lastSlash = path.lastIndex(of: 47) else { return relative }
        let folder = base[..<lastSlash]
        let pieces = folder.utf8
        guard path.index(after: lastSlash) != path.endIndex, !pieces.isEmpty, pieces.first != 47, pieces.last != 47,
              !zip(pieces, pieces.dropFirst()).contains(where: { $0 == 47 && $1 == 47 }) else { return nil }
        return folder + "/" + relative
    }
}
