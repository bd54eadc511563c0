/// For each entity, the chapters that refer to it, grouped by section, with the sentence around each reference.
public struct Backlinks: Sendable {
    /// One chapter's references to an entity.
    public struct ChapterEntry: Sendable, Equatable {
        /// The chapter.
        public var chapter: PageID
        /// Sections in reading order.
        public var sections: [SectionEntry]
    }

    /// The references inside one section of a chapter.
    public struct SectionEntry: Sendable, Equatable {
        /// The heading's id, or nil for text before the first heading.
        public var headingID: String?
        /// The heading's title, or nil before the first heading.
        public var headingTitle: String?
        /// Sentences around the references, without repeats.
        public var snippets: [String]
    }

    private var table: [PageID: [ChapterEntry]] = [:]

    /// Collects backlinks from linked chapters, given in reading order.
    public init(chapters: [LinkedPage]) {
        for chapter in chapters {
            var perEntity: [PageID: [SectionEntry]] = [:]
            var order: [PageID] = []
            for occurrence in chapter.occurrences {
                guard let id = EntityKey.id(occurrence.key) else { continue }
                let heading = occurrence.headingIndex.map { chapter.headings[$0] }
                if perEntity[id] == nil { order.append(id) }
                var sections = perEntity[id, default: []]
                if let last = sections.last, last.headingID == heading?.id {
                    if !last.snippets.contains(occurrence.snippet) {
                        sections[sections.count - 1].snippets.append(occurrence.snippet)
                    }
                } else {
                    sections.append(SectionEntry(headingID: heading?.id, headingTitle: heading?.title,
                                                 snippets: [occurrence.snippet]))
                }
                perEntity[id] = sections
            }
            for id in order {
                table[id, default: []].append(ChapterEntry(chapter: chapter.id, sections: perEntity[id] ?? []))
            }
        }
    }

    /// The chapters referring to `entity`, in reading order.
    public func entries(for entity: PageID) -> [ChapterEntry] { table[entity] ?? [] }
}
