import Foundation

/// For each entity, the chapters that refer to it, grouped by section, with the sentence around each reference.
public struct Backlinks: Sendable, Equatable {
    /// One chapter's references to an entity.
    public struct ChapterEntry: Sendable, Equatable {
        /// The chapter.
        public var chapter: PageID
        /// Sections in reading order.
        public var sections: SectionList
        /// A hash of the sections, for build keys.
        public var hash: StableHash

        public init(chapter: PageID, sections: SectionList, hash: StableHash) {
            self.chapter = chapter
            self.sections = sections
            self.hash = hash
        }

        public init(chapter: PageID, sections: [SectionEntry], hash: StableHash) {
            self.init(chapter: chapter, sections: SectionList(sections), hash: hash)
        }
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
            // Read in place: copying each (entity, entry) pair out was a retain and a release of each of its parts.
            chapter.backlinkEntries.withUnsafeBufferPointer { entries in
                for index in entries.indices {
                    if let slot = slots[entries[index].entity] {
                        lists[slot].append(entries[index].entry)
                    } else {
                        slots[entries[index].entity] = lists.count
                        lists.append([entries[index].entry])
                    }
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

    /// One chapter's entries, one per entity it refers to, in order of first reference, and those entities in that
    /// order; `entity` gives the entity of an occurrence's key (each is asked once, and its answer kept, not copied).
    static func entries(of chapter: PageID, headings: [Heading], occurrences: [ReferenceOccurrence],
                        entity: (String) -> PageID?) -> (entries: [(entity: PageID, entry: ChapterEntry)], order: [PageID]) {
        // Each occurrence's entity is found once, and its place in `order` kept; the occurrences are then grouped by
        // entity (positions only, counted into place) and each entity's section list is written straight from them.
        // (Gathered as lists of sections of lists of sentences first, each entity of each chapter was three lists
        // made and dropped.) A chapter refers to a few dozen entities at most: each occurrence's is found by looking
        // through them (comparing ids compares their digests first).
        var order: [PageID] = []
        var result: [(entity: PageID, entry: ChapterEntry)] = []
        occurrences.withUnsafeBufferPointer { occurrences in
            var slots = [Int32](repeating: -1, count: occurrences.count)
            var counts: [Int] = []
            for index in occurrences.indices {
                guard let id = entity(occurrences[index].key) else { continue }
                if let existing = order.lastIndex(of: id) {
                    slots[index] = Int32(existing)
                    counts[existing] += 1
                } else {
                    slots[index] = Int32(order.count)
                    order.append(id)
                    counts.append(1)
                }
            }
            // The occurrences of each entity, in document order, one run after another.
            var starts = [Int](repeating: 0, count: order.count + 1)
            for slot in counts.indices { starts[slot + 1] = starts[slot] + counts[slot] }
            var next = starts
            var grouped = [Int32](repeating: 0, count: starts[order.count])
            for index in occurrences.indices where slots[index] >= 0 {
                let slot = Int(slots[index])
                grouped[next[slot]] = Int32(index)
                next[slot] += 1
            }
            var start = StableHash()
            start.add(chapter.description)
            result.reserveCapacity(order.count)
            var builder = SectionList.Builder()
            grouped.withUnsafeBufferPointer { grouped in
                for slot in order.indices {
                    let list = builder.list(headings: headings, occurrences: occurrences,
                                            picks: UnsafeBufferPointer(rebasing: grouped[starts[slot]..<starts[slot + 1]]))
                    var hash = start
                    list.bytes.withUnsafeBytes { hash.add(bytes: $0) }
                    result.append((order[slot], ChapterEntry(chapter: chapter, sections: list, hash: hash)))
                }
            }
        }
        return (result, order)
    }

    /// The chapters referring to `entity`, in reading order.
    public func entries(for entity: PageID) -> [ChapterEntry] { table[entity] ?? [] }
}

extension Backlinks {
    /// The sections of one chapter that refer to one entity, held in one buffer of bytes: the heading's id and
    /// title and the sentences of each section lie together, where entity pages and the link cache read them. (As
    /// strings and lists of their own, a large book's backlinks were hundreds of thousands of objects scattered over
    /// memory, and reading them for the entity pages was mostly waiting for memory.)
    ///
    /// Layout, in 32-bit little-endian numbers: the number of sections, then the offset of each section's record.
    /// A record: the heading id and the heading title (each a length, `none` for nil, then UTF-8 bytes), the number
    /// of sentences, the offset of each, then the sentences (each a length then UTF-8 bytes).
    public struct SectionList: Sendable, Equatable, RandomAccessCollection {
        let bytes: [UInt8]

        static let none = UInt32.max

        /// The list of `sections`.
        public init(_ sections: [SectionEntry]) {
            // Sections and sentences are read in place, by index (copied out, each section was three reference counts
            // and each sentence one, twice over: for every reference of the book).
            var size = Writer.size(sections: sections.count)
            for section in sections {
                size += Writer.size(id: section.headingID, title: section.headingTitle)
                for snippet in section.snippets { size += Writer.size(snippet: snippet) }
            }
            var writer = Writer(sections: sections.count, size: size)
            for section in sections {
                writer.section(id: section.headingID, title: section.headingTitle, snippets: section.snippets.count)
                for snippet in section.snippets { writer.snippet(snippet) }
            }
            bytes = writer.bytes
        }

        /// Writes the layout: the number of sections and the table of their records, then each record in turn. Both
        /// ways of making a list (from sections, and from a chapter's occurrences) write through it.
        private struct Writer {
            private(set) var bytes: [UInt8] = []
            private var table = 0, sectionNumber = 0, offsets = 0, snippetNumber = 0

            /// A list of `count` sections, `size` bytes long in all (as the `size` functions count).
            init(sections count: Int, size: Int) {
                bytes.reserveCapacity(size)
                SectionList.append(UInt32(count), to: &bytes)
                table = bytes.count
                bytes += repeatElement(0, count: 4 * count)
            }

            /// The next section: its heading (nil before the first), and how many sentences follow it.
            mutating func section(id: String?, title: String?, snippets: Int) {
                SectionList.set(UInt32(bytes.count), at: table + 4 * sectionNumber, in: &bytes)
                sectionNumber += 1
                SectionList.append(id, to: &bytes)
                SectionList.append(title, to: &bytes)
                SectionList.append(UInt32(snippets), to: &bytes)
                offsets = bytes.count
                snippetNumber = 0
                bytes += repeatElement(0, count: 4 * snippets)
            }

            /// The next sentence of the section.
            mutating func snippet(_ text: String) {
                SectionList.set(UInt32(bytes.count), at: offsets + 4 * snippetNumber, in: &bytes)
                snippetNumber += 1
                SectionList.append(text, to: &bytes)
            }

            /// The bytes the count and table take; a section's heading and sentence count; one sentence.
            static func size(sections count: Int) -> Int { 4 + 4 * count }
            static func size(id: String?, title: String?) -> Int {
                12 + (id?.utf8.count ?? 0) + (title?.utf8.count ?? 0)
            }
            static func size(snippet: String) -> Int { 8 + snippet.utf8.count }
        }

        /// Writes section lists from a chapter's occurrences, with the same bytes `init(_:)` gives the sections
        /// `Backlinks.entries(of:)` describes; its working lists are kept from list to list.
        struct Builder {
            /// The occurrences whose sentence is kept (a section's repeats left out), and where each section begins
            /// among them.
            private var kept: [Int32] = []
            private var sectionStarts: [Int] = []

            /// The list of the sections of `picks`: positions in `occurrences` of one entity's references, in
            /// document order. A new section begins where the heading differs from the one before; a sentence met
            /// again in its section is left out.
            mutating func list(headings: [Heading], occurrences: UnsafeBufferPointer<ReferenceOccurrence>,
                               picks: UnsafeBufferPointer<Int32>) -> SectionList {
                kept.removeAll(keepingCapacity: true)
                sectionStarts.removeAll(keepingCapacity: true)
                var lastSection = -2
                for pick in picks {
                    let occurrence = Int(pick)
                    let section = occurrences[occurrence].headingIndex ?? -1
                    if section != lastSection {
                        sectionStarts.append(kept.count)
                        kept.append(pick)
                        lastSection = section
                    } else if !kept[sectionStarts[sectionStarts.count - 1]...].contains(where: {
                        occurrences[Int($0)].snippet == occurrences[occurrence].snippet
                    }) {
                        kept.append(pick)
                    }
                }
                let sectionCount = sectionStarts.count
                sectionStarts.append(kept.count)
                func heading(_ number: Int) -> (id: String?, title: String?) {
                    guard let index = occurrences[Int(kept[sectionStarts[number]])].headingIndex else { return (nil, nil) }
                    return (headings[index].id, headings[index].title)
                }
                // The size first, then the bytes in one buffer of that size.
                var size = Writer.size(sections: sectionCount)
                for number in 0..<sectionCount {
                    let (id, title) = heading(number)
                    size += Writer.size(id: id, title: title)
                    for at in sectionStarts[number]..<sectionStarts[number + 1] {
                        size += Writer.size(snippet: occurrences[Int(kept[at])].snippet)
                    }
                }
                var writer = Writer(sections: sectionCount, size: size)
                for number in 0..<sectionCount {
                    let (id, title) = heading(number)
                    writer.section(id: id, title: title, snippets: sectionStarts[number + 1] - sectionStarts[number])
                    for at in sectionStarts[number]..<sectionStarts[number + 1] {
                        writer.snippet(occurrences[Int(kept[at])].snippet)
                    }
                }
                return SectionList(bytes: writer.bytes)
            }
        }

        private init(bytes: [UInt8]) { self.bytes = bytes }

        /// A list read back (from the link cache); nil unless every offset and length lies inside `bytes` and every
        /// text is UTF-8.
        init?(validating bytes: [UInt8]) {
            self.bytes = bytes
            guard bytes.count >= 4 else { return nil }
            let count = Int(word(at: 0))
            guard count <= (bytes.count - 4) / 4 else { return nil }
            for index in 0..<count {
                guard let id = validText(at: Int(word(at: 4 + 4 * index))), let title = validText(at: id.end)
                else { return nil }
                let table = title.end
                guard table + 4 <= bytes.count else { return nil }
                let snippetCount = Int(word(at: table))
                guard snippetCount <= (bytes.count - table - 4) / 4 else { return nil }
                for number in 0..<snippetCount {
                    guard let text = validText(at: Int(word(at: table + 4 + 4 * number))), text.range != nil
                    else { return nil }
                }
            }
        }

        /// The text at `offset` (nil when it is `none`) and where it ends; nil when it does not fit or is not UTF-8.
        private func validText(at offset: Int) -> (range: Range<Int>?, end: Int)? {
            guard offset >= 0, offset + 4 <= bytes.count else { return nil }
            let text = text(at: offset)
            guard text.end <= bytes.count else { return nil }
            if let range = text.range, String(validating: bytes[range], as: UTF8.self) == nil { return nil }
            return text
        }

        public var startIndex: Int { 0 }
        public var endIndex: Int { bytes.isEmpty ? 0 : Int(word(at: 0)) }

        public subscript(position: Int) -> SectionEntry {
            precondition(position >= 0 && position < endIndex, "section out of range")
            return SectionEntry(headingID: headingID(position).map(string),
                                headingTitle: headingTitle(position).map(string),
                                snippets: (0..<snippetCount(position)).map { string(snippet($0, of: position)) })
        }

        /// Where the heading id of section `index` lies in `bytes`; nil before the first heading.
        func headingID(_ index: Int) -> Range<Int>? {
            text(at: record(index)).range
        }

        /// Where the heading title of section `index` lies; nil before the first heading.
        func headingTitle(_ index: Int) -> Range<Int>? {
            text(at: text(at: record(index)).end).range
        }

        func snippetCount(_ index: Int) -> Int {
            Int(word(at: snippetTable(index)))
        }

        /// Where sentence `number` of section `index` lies.
        func snippet(_ number: Int, of index: Int) -> Range<Int> {
            text(at: Int(word(at: snippetTable(index) + 4 + 4 * number))).range ?? 0..<0
        }

        /// The bytes of `range` as a string.
        func string(_ range: Range<Int>) -> String {
            String(decoding: bytes[range], as: UTF8.self)
        }

        private func record(_ index: Int) -> Int { Int(word(at: 4 + 4 * index)) }

        private func snippetTable(_ index: Int) -> Int {
            text(at: text(at: record(index)).end).end
        }

        private func text(at offset: Int) -> (range: Range<Int>?, end: Int) {
            let length = word(at: offset)
            if length == Self.none { return (nil, offset + 4) }
            return (offset + 4..<offset + 4 + Int(length), offset + 4 + Int(length))
        }

        private func word(at offset: Int) -> UInt32 {
            precondition(offset >= 0 && offset + 4 <= bytes.count, "offset out of range")
            return bytes.withUnsafeBytes {
                UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
            }
        }

        private static func append(_ value: UInt32, to bytes: inout [UInt8]) {
            withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
        }

        private static func set(_ value: UInt32, at offset: Int, in bytes: inout [UInt8]) {
            withUnsafeBytes(of: value.littleEndian) { word in
                for index in 0..<4 { bytes[offset + index] = word[index] }
            }
        }

        private static func append(_ text: String?, to bytes: inout [UInt8]) {
            guard let text else { return append(none, to: &bytes) }
            append(text, to: &bytes)
        }

        private static func append(_ text: String, to bytes: inout [UInt8]) {
            text.withUTF8Bytes { utf8 in
                append(UInt32(utf8.count), to: &bytes)
                bytes += utf8
            }
        }
    }
}
