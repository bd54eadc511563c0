import Foundation

/// What linking made of each page, kept on disk from one build run to the next (beside the output folder:
/// `OutputWriter.linkCachePath`), so that a new run links again only the pages whose text, or the book around them,
/// changed (`BuildSession` does the matching; `serve` keeps the same in memory).
///
/// An entry holds everything later stages read of a linked page except its rendered body (heading ids and figure
/// count, headings, figures, section openings, entities referred to, backlink entries, and the page's diagnostics),
/// under the key it was linked with. A page whose key matches is not parsed or linked; if its page must be rendered
/// after all, it is linked then. The file is a cache: a file that is missing, damaged, or written by another build
/// of build-site (or for another display path of the content) is ignored and the run links everything.
struct LinkCache: Sendable {
    struct Entry: Sendable {
        /// The entity kind folder, nil for a chapter.
        var kind: String?
        /// The file's text hash (`Page.textHash`), which fixes `headingIDs` and `figureCount`.
        var textHash: StableHash
        var headingIDs: [String]
        var figureCount: Int
        /// The key the page was linked under (`BuildSession.linkKey`).
        var linkKey: StableHash
        /// The linked page. Its body is not written (an entry read from the file has none).
        var linked: LinkedPage
        var log: DiagnosticLog
        /// A chapter's number and the hash of its search documents (`BuildSession.searchFragments`).
        var search: (number: Int, hash: StableHash)? = nil
    }

    /// Entries by the page file's path relative to the content folder.
    var entries: [String: Entry] = [:]

    static let header = "build-site link cache 4"

    /// The cache in `path`, or nil when there is none or it is not for `identity`.
    static func load(_ path: String, identity: String) -> LinkCache? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? decode([UInt8](data), identity: identity)
    }

    /// Writes the cache into the file `path` (replaced), a megabyte at a time: it is never held whole (tens of
    /// megabytes for a large book). False when it could not be written (the file is then removed).
    func write(to path: String, identity: String) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return false }
        var failed = false
        let out = Writer { buffer in
            guard !failed else { return }
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0, errno == EINTR { continue }
                if n <= 0 { failed = true; return }
                offset += n
            }
        }
        encode(into: out, identity: identity)
        out.flush()
        if close(fd) != 0 { failed = true }
        if failed { try? FileManager.default.removeItem(atPath: path) }
        return !failed
    }

    // MARK: Format

    // The header line, the identity, the number of entries, then each entry: its path and fields in a fixed order.
    // Numbers are LEB128 varints (signed ones zigzag-encoded), strings a length and UTF-8 bytes, optionals a flag.
    // What an entry would repeat is written once (a large book's cache is tens of megabytes, written on every build):
    // a heading's file when it is the one before's, the entities referred to when they are the backlink entries'
    // entities in order, and a backlink entry's chapter when it is the page. A backlink entry's sections are the bytes
    // of their `Backlinks.SectionList`, checked when read back.

    /// The cache as bytes.
    func encoded(identity: String) -> [UInt8] {
        var bytes: [UInt8] = []
        let out = Writer { bytes.append(contentsOf: $0) }
        encode(into: out, identity: identity)
        out.flush()
        return bytes
    }

    private func encode(into out: Writer, identity: String) {
        out.string(Self.header)
        out.string(identity)
        out.count(entries.count)
        // The entries are read in place, in order of their paths (each copied out of the sorted list was ten
        // reference counts on memory no longer in the cache).
        Array(entries).sorted { $0.key < $1.key }.withUnsafeBufferPointer { sorted in
            for index in sorted.indices { encode(sorted[index].key, sorted[index].value, into: out) }
        }
    }

    private func encode(_ path: String, _ entry: borrowing Entry, into out: Writer) {
        out.string(path)
        out.optional(entry.kind) { $0.string($1) }
        out.hash(entry.textHash)
        out.strings(entry.headingIDs)
        out.int(entry.figureCount)
        out.hash(entry.linkKey)
        let linked = entry.linked
        out.pageID(linked.id)
        out.count(linked.headings.count)
        // Lists are read in place, here and below (each element copied out was a retain and a release of each
        // of its strings, for a hundred thousand headings and backlink entries).
        linked.headings.withUnsafeBufferPointer { headings in
            for index in headings.indices {
                out.int(headings[index].level)
                out.string(headings[index].title)
                out.string(headings[index].id)
                if index > 0, headings[index].location.path == headings[index - 1].location.path {
                    out.byte(0)
                } else {
                    out.byte(1)
                    out.string(headings[index].location.path)
                }
                out.optional(headings[index].location.line) { $0.int($1) }
                out.optional(headings[index].location.column) { $0.int($1) }
            }
        }
        out.count(linked.figures.count)
        for figure in linked.figures {
            out.optional(figure.number) { $0.int($1) }
            out.string(figure.caption)
            out.string(figure.id)
        }
        out.strings(linked.sectionIntros)
        let backlinks = linked.backlinkEntries
        // Compared and searched in place (copying ids and headings out to compare them was a third of writing
        // the cache).
        let sameEntities = linked.entitiesInOrder.withUnsafeBufferPointer { entities in
            backlinks.withUnsafeBufferPointer { backlinks in
                entities.count == backlinks.count && entities.indices.allSatisfy { entities[$0] == backlinks[$0].entity }
            }
        }
        if sameEntities {
            out.byte(0)
        } else {
            out.byte(1)
            out.count(linked.entitiesInOrder.count)
            for id in linked.entitiesInOrder { out.pageID(id) }
        }
        out.count(backlinks.count)
        let id = linked.id
        backlinks.withUnsafeBufferPointer { backlinks in
            for index in backlinks.indices {
                out.pageID(backlinks[index].entity)
                if backlinks[index].entry.chapter == id {
                    out.byte(0)
                } else {
                    out.byte(1)
                    out.pageID(backlinks[index].entry.chapter)
                }
                out.hash(backlinks[index].entry.hash)
                out.bytes(backlinks[index].entry.sections.bytes)
            }
        }
        out.count(entry.log.all.count)
        for diagnostic in entry.log.all {
            out.string(diagnostic.severity.rawValue)
            out.string(diagnostic.message)
            out.optional(diagnostic.location) { $0.location($1) }
            out.strings(diagnostic.notes)
        }
        out.optional(entry.search) { out, search in
            out.int(search.number)
            out.hash(search.hash)
        }
    }

    struct Malformed: Error {}

    static func decode(_ bytes: [UInt8], identity: String) throws -> LinkCache {
        var input = Reader(bytes: bytes)
        guard try input.string() == header, try input.string() == identity else { throw Malformed() }
        var cache = LinkCache()
        let count = try input.count()
        for _ in 0..<count {
            let path = try input.string()
            let kind = try input.optional { try $0.string() }
            let textHash = try input.hash()
            let headingIDs = try input.strings()
            let figureCount = try input.int()
            let linkKey = try input.hash()
            let id = try input.pageID()
            var headings: [Heading] = []
            var lastPath: String?
            for _ in 0..<(try input.count()) {
                let level = try input.int(), title = try input.string(), id = try input.string()
                switch try input.byte() {
                case 0: break
                case 1: lastPath = try input.string()
                default: throw Malformed()
                }
                guard let path = lastPath else { throw Malformed() }
                let location = SourceLocation(path: path, line: try input.optional { try $0.int() },
                                              column: try input.optional { try $0.int() })
                headings.append(Heading(level: level, title: title, id: id, location: location))
            }
            var figures: [Figure] = []
            for _ in 0..<(try input.count()) {
                figures.append(Figure(number: try input.optional { try $0.int() }, caption: try input.string(),
                                      id: try input.string()))
            }
            let intros = try input.strings()
            var entities: [PageID]?
            switch try input.byte() {
            case 0: break
            case 1:
                var list: [PageID] = []
                for _ in 0..<(try input.count()) { list.append(try input.pageID()) }
                entities = list
            default: throw Malformed()
            }
            var backlinks: [(entity: PageID, entry: Backlinks.ChapterEntry)] = []
            for _ in 0..<(try input.count()) {
                let entity = try input.pageID()
                let chapter: PageID
                switch try input.byte() {
                case 0: chapter = id
                case 1: chapter = try input.pageID()
                default: throw Malformed()
                }
                let hash = try input.hash()
                guard let sections = Backlinks.SectionList(validating: try input.byteArray()) else { throw Malformed() }
                backlinks.append((entity, Backlinks.ChapterEntry(chapter: chapter, sections: sections, hash: hash)))
            }
            var log = DiagnosticLog()
            for _ in 0..<(try input.count()) {
                guard let severity = Diagnostic.Severity(rawValue: try input.string()) else { throw Malformed() }
                let message = try input.string()
                let location = try input.optional { try $0.location() }
                log.add(Diagnostic(severity, message, at: location, notes: try input.strings()))
            }
            let search = try input.optional { input in (number: try input.int(), hash: try input.hash()) }
            let linked = LinkedPage(id: id, headings: headings, figures: figures, sectionIntros: intros,
                                    entitiesInOrder: entities ?? backlinks.map(\.entity), backlinkEntries: backlinks)
            cache.entries[path] = Entry(kind: kind, textHash: textHash, headingIDs: headingIDs, figureCount: figureCount,
                                        linkKey: linkKey, linked: linked, log: log, search: search)
        }
        guard input.atEnd else { throw Malformed() }
        return cache
    }

    /// Encodes into a buffer of its own, handed to `sink` whenever it is nearly full (a megabyte at a time) and at
    /// `flush`. Bytes are stored through a pointer (appending to an array byte by byte was most of the cost of
    /// writing the cache).
    private final class Writer {
        private let capacity = 1 << 20
        private let buffer: UnsafeMutablePointer<UInt8>
        private var count = 0
        let sink: (UnsafeRawBufferPointer) -> Void

        init(sink: @escaping (UnsafeRawBufferPointer) -> Void) {
            self.sink = sink
            buffer = .allocate(capacity: capacity)
        }

        deinit { buffer.deallocate() }

        func flush() {
            sink(UnsafeRawBufferPointer(start: buffer, count: count))
            count = 0
        }

        private func reserve(_ needed: Int) {
            if count + needed > capacity { flush() }
        }

        func unsigned(_ value: UInt64) {
            reserve(10)
            var value = value
            while value >= 0x80 {
                buffer[count] = UInt8(value & 0x7F) | 0x80
                count += 1
                value >>= 7
            }
            buffer[count] = UInt8(value)
            count += 1
        }

        func count(_ value: Int) { unsigned(UInt64(value)) }

        func int(_ value: Int) {
            let wide = Int64(value)
            unsigned(UInt64(bitPattern: (wide << 1) ^ (wide >> 63)))
        }

        func byte(_ value: UInt8) {
            reserve(1)
            buffer[count] = value
            count += 1
        }

        private func raw(_ bytes: UnsafeBufferPointer<UInt8>) {
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
            if bytes.count > capacity - count {
                flush()
                if bytes.count > capacity { return sink(UnsafeRawBufferPointer(bytes)) }
            }
            (buffer + count).update(from: base, count: bytes.count)
            count += bytes.count
        }

        func string(_ value: String) {
            if let done: Void = value.utf8.withContiguousStorageIfAvailable({ utf8 in
                unsigned(UInt64(utf8.count))
                raw(utf8)
            }) { return done }
            var copy = value
            copy.withUTF8 { utf8 in
                unsigned(UInt64(utf8.count))
                raw(utf8)
            }
        }

        func bytes(_ values: [UInt8]) {
            count(values.count)
            values.withUnsafeBufferPointer { raw($0) }
        }

        func strings(_ values: [String]) {
            count(values.count)
            values.withUnsafeBufferPointer { values in
                for index in values.indices { string(values[index]) }
            }
        }

        func hash(_ value: StableHash) { unsigned(value.value) }

        func pageID(_ id: PageID) {
            string(id.folder)
            string(id.slug)
        }

        func location(_ location: SourceLocation) {
            string(location.path)
            optional(location.line) { $0.int($1) }
            optional(location.column) { $0.int($1) }
        }

        func optional<T>(_ value: T?, _ write: (Writer, T) -> Void) {
            guard let value else { return byte(0) }
            byte(1)
            write(self, value)
        }
    }

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0

        var atEnd: Bool { offset == bytes.count }

        mutating func byte() throws -> UInt8 {
            guard offset < bytes.count else { throw Malformed() }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func unsigned() throws -> UInt64 {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let byte = try self.byte()
                guard shift < 64 else { throw Malformed() }
                result |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return result }
                shift += 7
            }
        }

        mutating func int() throws -> Int {
            let raw = try unsigned()
            return Int(Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1))))
        }

        /// A count of items that follow (each at least one byte, so never more than the bytes left).
        mutating func count() throws -> Int {
            let value = try unsigned()
            guard value <= UInt64(bytes.count - offset) else { throw Malformed() }
            return Int(value)
        }

        mutating func string() throws -> String {
            let length = try count()
            defer { offset += length }
            return String(decoding: bytes[offset..<offset + length], as: UTF8.self)
        }

        mutating func byteArray() throws -> [UInt8] {
            let length = try count()
            defer { offset += length }
            return Array(bytes[offset..<offset + length])
        }

        mutating func strings() throws -> [String] {
            var result: [String] = []
            for _ in 0..<(try count()) { result.append(try string()) }
            return result
        }

        mutating func hash() throws -> StableHash { StableHash(value: try unsigned()) }

        mutating func pageID() throws -> PageID { PageID(folder: try string(), slug: try string()) }

        mutating func location() throws -> SourceLocation {
            SourceLocation(path: try string(), line: try optional { try $0.int() }, column: try optional { try $0.int() })
        }

        mutating func optional<T>(_ read: (inout Reader) throws -> T) throws -> T? {
            switch try byte() {
            case 0: return nil
            case 1: return try read(&self)
            default: throw Malformed()
            }
        }
    }
}
