import Testing
@testable import SiteKit

/// A first build parses each body on the task that links it; these check that this gives what parsing first gives.
@Suite struct ParseWhenLinkedTests {
    static let text = "---\ntitle: One\n---\n# Start\n\nText with a [link](02-two.md#the-march).\n\n"
        + "![A plate](../images/plate.svg \"Plate\")\n\n## Start\n\n[Back](#start-2) and [wrong](#nowhere).\n"
    static let two = source("---\ntitle: Two\n---\n## The March\n", path: "chapters/02-two.md")

    /// A book of `chapters`, with the plate the first one shows.
    static func book(_ chapters: [Page], log: inout DiagnosticLog) -> Book {
        let config = SiteConfig.parse(source("title: T\n", path: "site.yaml"), log: &log)
        let plate = [StaticFile(sourcePath: "/nowhere/plate.svg", relativePath: "images/plate.svg")]
        return Book(config: config, chapters: chapters, entities: [], staticFiles: plate, log: &log)
    }

    @Test func aBodyParsedLaterIsTheBodyParsedAtOnce() throws {
        var log = DiagnosticLog()
        let now = try #require(PageParser.parse(source(Self.text), kind: nil, log: &log))
        let later = try #require(PageParser.parse(source(Self.text), kind: nil, bodyLater: true, log: &log))
        #expect(!later.document.isParsed)
        #expect(later.document.headingIDs.isEmpty && later.document.figureCount == 0)
        later.document.parseBody()
        later.document.parseBody()
        #expect(later.document.isParsed)
        #expect(later.document.headingIDs == now.document.headingIDs)
        #expect(later.document.headingIDs == ["start", "start-2"])
        #expect(later.document.figureCount == now.document.figureCount && now.document.figureCount == 1)
        #expect(later.document.renderHTML(unsafe: false, numbering: .none).html
                == now.document.renderHTML(unsafe: false, numbering: .none).html)
        #expect(log.all.isEmpty)
    }

    @Test func linksToOtherPagesHeadingsWaitUntilEveryPageIsParsed() throws {
        var log = DiagnosticLog()
        let one = try #require(PageParser.parse(source(Self.text), kind: nil, bodyLater: true, log: &log))
        let two = try #require(PageParser.parse(Self.two, kind: nil, bodyLater: true, log: &log))
        let book = Self.book([one, two], log: &log)
        let linker = Linker(book: book, index: EntityIndex(book: book))

        one.document.parseBody()
        var pageLog = DiagnosticLog()
        var pending: [Linker.PendingAnchor] = []
        _ = linker.link(one, log: &pageLog, pending: &pending)
        // Its own headings are checked at once; chapter two's, not parsed yet, are left pending.
        #expect(pageLog.sorted.flatMap(\.lines).first == "Content/chapters/01-test.md:12:22: error: no heading '#nowhere' in this page")
        #expect(pending.count == 1)

        two.document.parseBody()
        linker.check(pending, log: &pageLog)
        #expect(pageLog.errorCount == 1)

        // A heading that is not there is reported as when every page was parsed first.
        let wrong = try #require(PageParser.parse(
            source("---\ntitle: Two\n---\n## The Retreat\n", path: "chapters/02-two.md"), kind: nil, log: &log))
        let otherBook = Self.book([one, wrong], log: &log)
        Linker(book: otherBook, index: EntityIndex(book: otherBook)).check(pending, log: &pageLog)
        #expect(pageLog.sorted.flatMap(\.lines).contains(
            "Content/chapters/01-test.md:6:13: error: no heading '#the-march' in 'chapters/02-two.md'"))
    }

    /// A one-shot build leaves each text to its page's document, which lets it go once the page is linked.
    @Test func pagesThatLeaveTheirTextsToTheirDocumentsLinkAsBefore() throws {
        var log = DiagnosticLog()
        let kept = try #require(PageParser.parse(source(Self.text), kind: nil, bodyLater: true, log: &log))
        let left = try #require(PageParser.parse(source(Self.text), kind: nil, bodyLater: true, pageKeepsText: false,
                                                 log: &log))
        let two = try #require(PageParser.parse(Self.two, kind: nil, pageKeepsText: false, log: &log))
        let book = Self.book([left, two], log: &log)
        // The pages hold no text, and were parsed as those that do; the document still holds it, and parses its body
        // from it.
        #expect(book.chapters.allSatisfy { $0.file.text.isEmpty } && book.pages.values.allSatisfy { $0.file.text.isEmpty })
        let page = book.chapters[0]
        #expect(page.textHash == kept.textHash && page.frontMatterHash == kept.frontMatterHash && page.title == "One")
        #expect(page.document.file.text == Self.text && page.file.displayPath == kept.file.displayPath)
        page.document.parseBody()
        kept.document.parseBody()
        #expect(page.document.headingIDs == kept.document.headingIDs)

        let linker = Linker(book: book, index: EntityIndex(book: book))
        func linked(_ page: Page) -> (html: [UInt8], errors: [String]) {
            var pageLog = DiagnosticLog()
            var linked = linker.link(page, log: &pageLog)
            linker.renderBody(of: page.document, into: &linked, numbering: .none)
            return (linked.body, pageLog.sorted.flatMap(\.lines))
        }
        let fromKept = linked(kept)
        let fromLeft = linked(page)
        #expect(fromLeft.html == fromKept.html && !fromLeft.html.isEmpty)
        #expect(fromLeft.errors == fromKept.errors && fromLeft.errors.count == 1)
        page.document.releaseTree()
        page.document.dropSourceText()
        #expect(page.document.file.text.isEmpty && page.document.file.displayPath == left.file.displayPath)
        #expect(log.all.isEmpty)
    }
}
