@testable import SiteKit

/// A source file from inline text, printed as `path`.
func source(_ text: String, path: String = "chapters/01-test.md") -> SourceFile {
    SourceFile(relativePath: path, displayPath: "Content/" + path, text: text)
}

/// Parses a page from inline text; returns the page (if any) and the diagnostics as printed.
func parsePage(_ text: String, path: String = "chapters/01-test.md", kind: EntityKind? = nil) -> (Page?, [String]) {
    var log = DiagnosticLog()
    let page = PageParser.parse(source(text, path: path), kind: kind, log: &log)
    return (page, log.sorted.flatMap(\.lines))
}
