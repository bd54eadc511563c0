import Foundation

/// Folds names for search the same way the browser does: no tone marks, no case, no spaces or punctuation,
/// so `Wáng Ān-shí`, `Wang An-shi` and `wanganshi` are one key. Han characters are kept.
public enum SearchFolding {
    /// The folded form of `text`.
    public static func fold(_ text: String) -> String {
        // ASCII text folds to its letters and digits, lowercased: the same result, without decomposing the text or
        // looking up Unicode properties (which were 3% of a large build).
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(text.utf8.count)
            for byte in text.utf8 {
                switch byte {
                case 65...90: bytes.append(byte + 32)
                case 97...122, 48...57: bytes.append(byte)
                default: break
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        var result = ""
        for scalar in text.decomposedStringWithCanonicalMapping.lowercased().unicodeScalars {
            if (0x300...0x36F).contains(scalar.value) { continue }
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
