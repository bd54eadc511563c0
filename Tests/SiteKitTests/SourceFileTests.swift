import Foundation
import Testing
@testable import SiteKit

@Suite struct SourceFileTests {
    @Test func linesFromALineShareTheTextsStorage() {
        let text = "---\ntitle: T\n---\nbody\nmore"
        #expect(text.utf8Lines(from: 1) == text[...])
        #expect(text.utf8Lines(from: 4) == "body\nmore")
        #expect(text.utf8Lines(from: 5) == "more")
        #expect(text.utf8Lines(from: 6) == "")
        #expect("a\n".utf8Lines(from: 2) == "")
        #expect("王安石\n石".utf8Lines(from: 2) == "石")
    }

    @Test func theBodyIsTheTextFromItsFirstLineEndingInALineBreak() {
        let file = source("---\ntitle: Ü\n---\nBody, ünïcode.\nLast")
        #expect(file.body(from: 4) == Array("Body, ünïcode.\nLast\n".utf8))
        #expect(file.body(from: 5) == Array("Last\n".utf8))
        #expect(file.body(from: 1) == Array("---\ntitle: Ü\n---\nBody, ünïcode.\nLast\n".utf8))
        #expect(source("---\ntitle: T\n---\nEnds.\n").body(from: 4) == Array("Ends.\n".utf8))
        #expect(source("---\ntitle: T\n---\n").body(from: 4).isEmpty)
        #expect(source("one line").body(from: 9).isEmpty)
    }

    @Test func stripsByteOrderMarkAndShiftsFirstLineColumns() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("---\r\ntitle: x\r\n".utf8)
        let decoded = try SourceFile.decode(bytes).get()
        #expect(decoded.text == "---\ntitle: x\n")
        #expect(decoded.shift == 3)
        let file = SourceFile(relativePath: "a.md", displayPath: "a.md", text: decoded.text, firstLineShift: decoded.shift)
        #expect(file.location(line: 1, column: 2).column == 5)
        #expect(file.location(line: 2, column: 2).column == 2)
    }

    @Test func findsTheFirstInvalidByte() {
        let bytes = Array("ok\nab".utf8) + [0xFF] + Array("z".utf8)
        guard case .failure(let invalid) = SourceFile.decode(bytes) else {
            Issue.record("invalid UTF-8 was accepted")
            return
        }
        #expect(invalid.byteOffset == 5)
        #expect(invalid.position(in: bytes) == (line: 2, column: 3))
    }

    @Test func truncatedMultibyteSequenceIsInvalid() {
        let bytes = Array("王".utf8).dropLast()
        guard case .failure(let invalid) = SourceFile.decode(Array(bytes)) else {
            Issue.record("truncated UTF-8 was accepted")
            return
        }
        #expect(invalid.byteOffset == 0)
    }

    /// A file is read whole whatever size `stat` said (the same, smaller, larger, or far larger: it changed between),
    /// or, without asking, from the first read's room for a page.
    @Test func filesAreReadWholeWhateverTheSizeHint() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("read-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for length in [0, 1, 100, 70_000, 200_003] {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            let path = folder.appendingPathComponent("f\(length)").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            for hint in [length, 0, length / 2, length + 10, length * 3, ContentLoader.firstRead] {
                #expect(ContentLoader.contents(of: path, size: hint) == bytes, "length \(length), hint \(hint)")
            }
        }
        #expect(ContentLoader.contents(of: folder.appendingPathComponent("missing").path, size: 4) == nil)
    }
}
