import Foundation

/// For each entity, the chapters that refer to it, grouped by section, with the sentence around each reference.
public struct Backlinks: Sendable, Equatable {
    /// One chapter's references to an entity.
    public struct ChapterEntry: Sendable, Equatable {
        /// The chapter.
        public var chapter: PageID
        /// Sections in reading order.
        public var sections: [SectionEntry]
        /// A hash of the sections, for build keys.
        public var hash: StableHash
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

    /// Collects backlinks from linked chapters, given in reading order. Each core gathers a run of consecutive
    /// chapters; the runs' lists are then joined entity by entity, in order. (Each core used to read every chapter
    /// and keep its share of the entities: hashing every entry twice, it was a twentieth of a second of a large
    /// build with one core idle.)
    public init(chapters: [LinkedPage]) {
        let shares = ProcessInfo.processInfo.activeProcessorCount
        guard shares > 1, chapters.count > 64 else {
            table = Self.gather(chapters[...])
            return
        }
        let size = (chapters.count + shares - 1) / shares
        var runs = parallelMap(Array(stride(from: 0, to: chapters.count, by: size))) { start in
            Self.gather(chapters[start..<min(start + size, chapters.count)])
        }
        // The first run's lists are taken whole (moved out, so that appending to them copies nothing); the later
        // runs' are appended to them, run by run.
        var joined = runs.removeFirst()
        joined.reserveCapacity(runs.reduce(joined.count) { $0 + $1.count })
        for run in runs {
            for (entity, entries) in run { joined[entity, default: []].append(contentsOf: entries) }
        }
        table = joined
    }

    /// The backlinks of some chapters, in their order.
    private static func gather(_ chapters: ArraySlice<LinkedPage>) -> [PageID: [ChapterEntry]] {
        var slots: [PageID: Int] = [:]
        var lists: [[ChapterEntry]] = []
        for chapter in chapters {
            for (id, entry) in chapter.backlinkEntries {
                if let slot = slots[id] {
                    lists[slot].append(entry)
                } else {
                    slots[id] = lists.count
                    lists.append([entry])
                }
            }
        }
        var table: [PageID: [ChapterEntry]] = [:]
        table.reserveCapacity(slots.count)
        for (id, slot) in slots { table[id] = lists[slot] }
        return table
    }

    /// These backlinks after some chapters were linked again, chapter numbers unchanged: the entries of each chapter in
    /// `old` are removed, those of each chapter in `new` are inserted in reading order (`number` gives it).
    public func updating(removing old: [LinkedPage], adding new: [LinkedPage], number: (PageID) -> Int?) -> Backlinks {
        var result = self
        for page in old {
            for (entity, _) in page.backlinkEntries {
                result.table[entity]?.removeAll { $0.chapter == page.id }
                if result.table[entity]?.isEmpty == true { result.table[entity] = nil }
            }
        }
        for page in new {
            let position = number(page.id) ?? Int.max
            for (entity, entry) in page.backlinkEntries {
                var list = result.table[entity] ?? []
                var low = 0, high = list.count
                while low < high {
                    let mid = (low + high) / 2
                    if (number(list[mid].chapter) ?? Int.max) < position { low = mid + 1 } else { high = mid }
                }
                list.insert(entry, at: low)
                result.table[entity] = list
            }
        }
        return result
    }

    /// One chapter's entries, one per entity it refers to, in order of first reference.
    static func entries(of chapter: PageID, headings: [Heading], occurrences: [ReferenceOccurrence],
                        entities: [PageID?]) -> [(entity: PageID, entry: ChapterEntry)] {
        // Sections are gathered in place, entity by entity (copying a section list out of a dictionary to append to
        // it copied it on every reference). A chapter refers to a few dozen entities at most: each occurrence's is
        // found by looking through them (comparing ids compares their digests first), and the occurrences are read
        // where they lie.
        var order: [PageID] = []
        var sections: [[SectionEntry]] = []
        // The heading index of each entity's last section (-1 before the first heading): compared as numbers.
        var lastSection: [Int] = []
        occurrences.withUnsafeBufferPointer { occurrences in
            entities.withUnsafeBufferPointer { entities in
                for index in 0..<min(occurrences.count, entities.count) {
                    guard let id = entities[index] else { continue }
                    let slot: Int
                    if let existing = order.lastIndex(of: id) {
                        slot = existing
                    } else {
                        slot = sections.count
                        order.append(id)
                        sections.append([])
                        lastSection.append(-2)
                    }
                    let headingIndex = occurrences[index].headingIndex
                    let section = headingIndex ?? -1
                    if section == lastSection[slot] {
                        let last = sections[slot].count - 1
                        if !sections[slot][last].snippets.contains(occurrences[index].snippet) {
                            sections[slot][last].snippets.append(occurrences[index].snippet)
                        }
                    } else {
                        let heading = headingIndex.map { headings[$0] }
                        sections[slot].append(SectionEntry(headingID: heading?.id, headingTitle: heading?.title,
                                                           snippets: [occurrences[index].snippet]))
                        lastSection[slot] = section
                    }
                }
            }
        }
        var start = StableHash()
        start.add(chapter.description)
        var result: [(entity: PageID, entry: ChapterEntry)] = []
        result.reserveCapacity(order.count)
        for (id, sections) in zip(order, sections) {
            var hash = start
            for section in sections {
                hash.add(section.headingID ?? "")
                hash.add(section.headingTitle ?? "")
                for snippet in section.snippets { hash.add(snippet) }
            }
            result.append((id, ChapterEntry(chapter: chapter, sections: sections, hash: hash)))
        }
        return result
    }

    /// The chapters referring to `entity`, in reading order.
    public func entries(for entity: PageID) -> [ChapterEntry] { table[entity] ?? [] }
}
