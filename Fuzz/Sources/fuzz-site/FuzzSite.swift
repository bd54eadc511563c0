import Foundation
import SiteKit

/// libFuzzer entry: one input is one chapter file. It goes through front-matter splitting, YAML mapping into the
/// model, reference parsing and the whole one-page pipeline (parse, index, link, render) against a small book.
/// A crash, a hang (libFuzzer's -timeout) or an output path that would leave the output folder fails the run.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard case .success(let decoded) = SourceFile.decode(bytes) else { return 0 }
    _ = ReferenceSyntax.scan(decoded.text)
    var log = DiagnosticLog()
    let chapterFile = SourceFile(relativePath: "chapters/01-fuzz.md", displayPath: "Content/chapters/01-fuzz.md",
                                 text: decoded.text, firstLineShift: decoded.shift)
    _ = FrontMatterParser.parse(chapterFile, log: &log)
    let people = EntityKind(folder: "people")
    let personFile = SourceFile(relativePath: "people/wang-anshi.md", displayPath: "Content/people/wang-anshi.md",
                                text: "---\nname: Wang Anshi\naliases: [Jiefu]\nchinese: 王安石\n---\nA chancellor.\n")
    // The same bytes as an entity, too: the entity fields are read differently.
    let asEntity = SourceFile(relativePath: "people/fuzz.md", displayPath: "Content/people/fuzz.md", text: decoded.text)
    var pages = [PageParser.parse(chapterFile, kind: nil, log: &log), PageParser.parse(personFile, kind: people, log: &log),
                 PageParser.parse(asEntity, kind: people, log: &log)].compactMap { $0 }
    pages = pages.filter { OutputWriter.isSafe(SitePaths.page($0.id)) || crash("unsafe output path \(SitePaths.page($0.id))") }
    let config = SiteConfig.parse(SourceFile(relativePath: "site.yaml", displayPath: "site.yaml", text: "title: Fuzz\n"), log: &log)
    let book = Book(config: config, chapters: pages.filter(\.isChapter),
                    entities: [(people, pages.filter { $0.kind == people }), (EntityKind(folder: "places"), [])],
                    staticFiles: [], log: &log)
    let linker = Linker(book: book, index: EntityIndex(book: book))
    for page in book.chapters + book.allEntities {
        var linked = linker.link(page, log: &log)
        linker.renderBody(of: page.document, into: &linked, firstFigure: page.isChapter ? 1 : nil)
    }
    _ = log.formatted
    return 0
}

private func crash(_ message: String) -> Bool {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    abort()
}

/// libFuzzer's driver, called from the executable's entry point (SwiftPM names it `fuzz_site_main` and makes it
/// `main`; libFuzzer's own `main` is then never linked in).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

@_cdecl("fuzz_site_main")
public func fuzzSiteMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzzOneInput(data, size) }
}
