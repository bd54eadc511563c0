import Testing
@testable import SiteKit

@Suite struct DiagnosticLogTests {
    @Test func formatsLikeACompilerSortedByPosition() {
        var log = DiagnosticLog()
        log.warning("later", at: SourceLocation(path: "b.md", line: 1, column: 1))
        log.error("unknown entity 'x'", at: SourceLocation(path: "a.md", line: 14, column: 22), notes: ["did you mean 'y'?"])
        log.error("first", at: SourceLocation(path: "a.md", line: 2, column: 9))
        log.error("no file", at: nil)
        log.error("line only", at: SourceLocation(path: "a.md", line: 3))
        #expect(log.formatted == """
            build-site: error: no file
            a.md:2:9: error: first
            a.md:3: error: line only
            a.md:14:22: error: unknown entity 'x'
            a.md:14:22: note: did you mean 'y'?
            b.md:1:1: warning: later

            """)
        #expect(log.errorCount == 4)
        #expect(log.warningCount == 1)
    }
}
