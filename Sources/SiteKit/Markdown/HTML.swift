/// HTML escaping for text and attribute values.
public enum HTML {
    /// Escapes `&`, `<`, `>`, `"` and `'`, so the result is safe in text and in quoted attributes.
    public static func escape(_ text: String) -> String {
        let special = text.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.contains { $0 == 38 || $0 == 60 || $0 == 62 || $0 == 34 || $0 == 39 }
        } ?? text.utf8.contains { $0 == 38 || $0 == 60 || $0 == 62 || $0 == 34 || $0 == 39 }
        if !special { return text }
        var result: [UInt8] = []
        result.reserveCapacity(text.utf8.count + 32)
        for byte in text.utf8 {
            switch byte {
            case 38: result.append(contentsOf: "&amp;".utf8)
            case 60: result.append(contentsOf: "&lt;".utf8)
            case 62: result.append(contentsOf: "&gt;".utf8)
            case 34: result.append(contentsOf: "&quot;".utf8)
            case 39: result.append(contentsOf: "&#39;".utf8)
            default: result.append(byte)
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}
