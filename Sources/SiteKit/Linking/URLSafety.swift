import Foundation

/// Decides which URL schemes may become live links.
enum URLSafety {
    /// The lowercased scheme of a URL (`https`, `javascript`), ignoring control characters and spaces that
    /// browsers ignore; nil for relative URLs.
    static func scheme(of url: String) -> String? {
        let decoded = url.removingPercentEncodingIfPossible
        var scheme = ""
        for scalar in decoded.unicodeScalars {
            if scalar.value <= 0x20 { continue }
            if scalar == ":" { return scheme.isEmpty ? nil : scheme.lowercased() }
            guard scalar.isASCIIAlphanumeric || scalar == "+" || scalar == "-" || scalar == "." else { return nil }
            scheme.unicodeScalars.append(scalar)
        }
        return nil
    }

    /// Schemes allowed in links.
    static func isSafeLinkScheme(_ scheme: String) -> Bool {
        ["http", "https", "mailto", "tel", "ftp"].contains(scheme)
    }
}

extension String {
    /// The percent-decoded string, or the string itself when it does not decode.
    var removingPercentEncodingIfPossible: String { removingPercentEncoding ?? self }
}
