/// Looks up entities by slug, name, alias or Han characters, case-insensitively; shared by every page.
public struct EntityIndex: Sendable {
    /// The outcome of a lookup.
    public enum Resolution: Equatable, Sendable {
        /// Exactly one entity.
        case found(PageID)
        /// Several entities share the name or alias.
        case ambiguous([PageID])
        /// Nothing matches; a close slug, name or alias when there is one.
        case unknown(suggestion: String?)
    }

    private var slugs: [String: PageID] = [:]
    private var names: [String: [PageID]] = [:]
    /// Every slug, name and alias as written, for suggestions.
    private var spellings: [String] = []
    /// The entity each of those spellings finds, when it finds exactly one, by its position in `entityIDs`:
    /// references are mostly written as a slug, name or alias is, and are then found without lowercasing and
    /// normalising (which was a twentieth of a build).
    private var exact = SpellingTable([])
    /// Every entity's id, in the book's order: what `exactPosition` counts.
    public private(set) var entityIDs: [PageID] = []

    /// Indexes every entity of the book.
    public init(book: Book) {
        for page in book.allEntities {
            slugs[page.id.slug.lowercased()] = page.id
            spellings.append(page.id.slug)
            var keys = [page.title] + page.aliases.map(\.text)
            if let chinese = page.chinese { keys.append(chinese) }
            if let simplified = page.fields.first(where: { $0.key == "chinese_simplified" })?.value.text {
                keys.append(simplified)
            }
            for key in keys {
                let normalized = Self.normalize(key)
                guard !normalized.isEmpty else { continue }
                if names[normalized]?.contains(page.id) == true { continue }
                names[normalized, default: []].append(page.id)
                spellings.append(key)
            }
        }
        spellings = Array(Set(spellings)).sorted()
        entityIDs = book.allEntities.map(\.id)
        var positions: [PageID: Int] = [:]
        for (position, id) in entityIDs.enumerated() where positions[id] == nil { positions[id] = position }
        var exact: [(text: String, value: Int)] = []
        for spelling in spellings {
            if case .found(let id) = resolve(spelling), let position = positions[id] { exact.append((spelling, position)) }
        }
        self.exact = SpellingTable(exact)
    }

    /// Finds the entity a `[[target]]` names: an exact slug first, then a unique name, alias or Han form.
    public func resolve(_ target: String) -> Resolution {
        if let position = exact.value(for: target) { return .found(entityIDs[position]) }
        if let id = slugs[target.lowercased()] { return .found(id) }
        let normalized = Self.normalize(target)
        if let ids = names[normalized] {
            return ids.count == 1 ? .found(ids[0]) : .ambiguous(ids.sorted())
        }
        return .unknown(suggestion: Suggestion.closest(to: target, in: spellings))
    }

    /// The position in `entityIDs` of the one entity `target` names as it is written (a slug, or a name, alias or Han
    /// form of one entity only); nil when it must be lowercased or normalised first, or names none or several.
    public func exactPosition(_ target: String) -> Int? {
        exact.value(for: target)
    }

    /// Lowercase, single spaces, straight apostrophes: how names are compared.
    public static func normalize(_ text: String) -> String {
        // Most names are ASCII: folded byte by byte (walking characters was most of the cost of resolving a
        // reference). A carriage return, one character with the line feed after it, takes the general way.
        let ascii = text.utf8.withContiguousStorageIfAvailable { bytes -> String? in
            guard !bytes.contains(where: { $0 >= 128 || $0 == 13 }) else { return nil }
            var folded: [UInt8] = []
            folded.reserveCapacity(bytes.count)
            var space = false
            for byte in bytes {
                if byte == 32 || byte == 9 || byte == 10 {
                    space = !folded.isEmpty
                    continue
                }
                if space { folded.append(32) }
                space = false
                folded.append(byte >= 65 && byte <= 90 ? byte + 32 : byte)
            }
            return String(decoding: folded, as: UTF8.self)
        }
        if let ascii, let ascii { return ascii }
        var result = ""
        var space = false
        for character in text.lowercased() {
            if character == " " || character == "\t" || character == "\n" || character == "\u{00A0}" {
                space = !result.isEmpty
                continue
            }
            if space { result.append(" ") }
            space = false
            result.append(character == "\u{2019}" || character == "\u{2018}" ? "'" : character)
        }
        return result
    }
}
