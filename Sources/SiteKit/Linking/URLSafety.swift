import Foundation

/// Decides which URL schemes may become live links.
enum URLSafety {
    /// The lowercased scheme of a URL (`https`, `javascript`), ignoring control characters and spaces that
    /// browsers ignore; nil for relative URLs.
    static func scheme(of url: String) -> String? {
        // Byte by byte: a scalar outside ASCII ends the scheme as any other character not allowed in one does.
        // Nothing is made unless a scheme is found (most links of a book are relative).
        return url.removingPercentEncodingIfPossible.withUTF8Bytes { bytes -> String? in
            var length = 0
            for byte in bytes {
                if byte <= 0x20 { continue }
                if byte == UInt8(ascii: ":") {
                    guard length > 0 else { return nil }
                    var scheme: [UInt8] = []
                    scheme.reserveCapacity(length)
                    for byte in bytes where byte > 0x20 {
                        if byte == UInt8(ascii: ":") { break }
                        scheme.append(byte >= 65 && byte <= 90 ? byte + 32 : byte)
                    }
                    return String(decoding: scheme, as: UTF8.self)
                }
                let allowed = (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
                    || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
                guard allowed else { return nil }
                length += 1
            }
            return nil
        }
    }

    /// Schemes allowed in links.
    static func isSafeLinkScheme(_ scheme: String) -> Bool {
        ["http", "https", "mailto", "tel", "ftp"].contains(scheme)
    }
}

extension String {
    /// The percent-decoded string, or the string itself when it does not decode.
    var removingPercentEncodingIfPossible: String {
        // Without a percent sign there is nothing to decode (Foundation's decoding was a percent of a large build).
        guard utf8.contains(UInt8(ascii: "%")) else { return self }
        return removingPercentEncoding ?? self
    }
}
