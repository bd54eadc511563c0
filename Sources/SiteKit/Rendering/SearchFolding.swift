import Foundation

/// Folds names for search the same way the browser does: no tone marks, no case, no spaces or punctuation,
/// so `Wáng Ān-shí`, `Wang An-shi` and `wanganshi` are one key. Han characters are kept.
public enum SearchFolding {
    /// The folded form of `text`.
    public static func fold(_ text: String) -> String {
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
