import Foundation
import Testing
@testable import SiteKit

/// Which links are live: the scheme is read as browsers read it.
@Suite struct URLSafetyTests {
    /// The scheme as first written (scalar by scalar, after percent-decoding), to compare the byte walk with.
    static func reference(_ url: String) -> String? {
        let decoded = url.removingPercentEncoding ?? url
        var scheme = ""
        for scalar in decoded.unicodeScalars {
            if scalar.value <= 0x20 { continue }
            if scalar == ":" { return scheme.isEmpty ? nil : scheme.lowercased() }
            guard scalar.isASCII, Character(scalar).isLetter || Character(scalar).isNumber || scalar == "+"
                    || scalar == "-" || scalar == "." else { return nil }
            scheme.unicodeScalars.append(scalar)
        }
        return nil
    }

    @Test func schemesAreFoundAsBrowsersFindThem() {
        #expect(URLSafety.scheme(of: "https://example.org") == "https")
        #expect(URLSafety.scheme(of: "JavaScript:alert(1)") == "javascript")
        #expect(URLSafety.scheme(of: " java\tscript:alert(1)") == "javascript")
        #expect(URLSafety.scheme(of: "java%0Ascript:alert(1)") == "javascript")
        #expect(URLSafety.scheme(of: "%6Aavascript:x") == "javascript")
        #expect(URLSafety.scheme(of: "chapters/02-b.md#a:b") == nil)
        #expect(URLSafety.scheme(of: "02-b.md") == nil)
        #expect(URLSafety.scheme(of: ":x") == nil)
        #expect(URLSafety.scheme(of: "été:x") == nil)
        #expect(URLSafety.scheme(of: "a+b-c.d:x") == "a+b-c.d")
    }

    @Test func theByteWalkAgreesWithTheScalarWalk() {
        let pieces = ["a", "Z", "9", "+", "-", ".", ":", "/", "#", " ", "\t", "\n", "\u{1}", "%", "%3A", "%6a", "%zz",
                      "é", "ｊ", "\u{0}", "http", "S"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            let url = (0..<Int.random(in: 0...7, using: &generator))
                .map { _ in pieces.randomElement(using: &generator)! }.joined()
            #expect(URLSafety.scheme(of: url) == Self.reference(url), "\(url.debugDescription)")
        }
    }

    @Test func textWithoutPercentSignsIsLeftAsItIs() {
        #expect("a b/c.md".removingPercentEncodingIfPossible == "a b/c.md")
        #expect("a%20b".removingPercentEncodingIfPossible == "a b")
        #expect("a%zzb".removingPercentEncodingIfPossible == "a%zzb")
    }
}
