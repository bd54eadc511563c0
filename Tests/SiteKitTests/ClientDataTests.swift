import Testing
@testable import SiteKit

/// The search index writes its documents by hand; the text is the one JSONEncoder gives.
@Suite struct ClientDataTests {
    @Test func searchDocumentsAreTheJSONThatJSONEncoderWrites() {
        var tricky = (0..<128).map { String(UnicodeScalar(UInt8($0))) }.joined()
        tricky += " </script> <\\/ \"quoted\" back\\slash 王安石 \u{2028}\u{2029} é 𝄞"
        let documents = [
            ClientData.Document(t: tricky, k: "chapter", u: "chapters/a.html", c: nil, h: nil, a: nil, f: "wang anshi", s: ""),
            ClientData.Document(t: "Lanzhou", k: "place", u: "places/lanzhou.html#x", c: "1. Backdrop", h: "蘭州",
                                a: ["Lan-chou", tricky, ""], f: tricky, s: "</p>"),
        ]
        for document in documents {
            #expect(document.json == ClientData.json(document))
        }
    }
}
