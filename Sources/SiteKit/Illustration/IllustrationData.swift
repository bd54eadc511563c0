import Foundation

/// The data the pictures are drawn from, read from front-matter and map files, with every reference checked.
public struct IllustrationData: Sendable {
    /// One army of a campaign, from a chapter's `armies:`.
    public struct Army: Sendable, Equatable {
        public var name: String
        /// The polity's colour token (`song`, `xia`, …), for the arrow's colour.
        public var colour: String
        public var commanders: [PageID]
        /// Start, then the route, in order.
        public var stops: [PageID]
        public var outcome: String?
    }

    /// A dated entry of the timeline.
    public struct Event: Sendable, Equatable {
        public var title: String
        public var start: TimePoint
        public var end: TimePoint?
        /// The page it links to (an event entity, or the chapter that lists it).
        public var page: PageID
    }

    /// A life (or a reign) on the timeline.
    public struct Life: Sendable, Equatable {
        public var person: PageID
        public var name: String
        public var born: Int
        public var died: Int
        public var reign: ClosedRange<Int>?
    }

    /// A chapter's period on the timeline.
    public struct ChapterBand: Sendable, Equatable {
        public var chapter: PageID
        public var number: Int
        public var title: String
        public var span: TimeSpan
    }

    /// The places that can be drawn (those with coordinates): where each lies, by id. Plain numbers, looked up
    /// thousands of times for each chapter map (a place's name and id kept beside them were copied with each lookup,
    /// a reference count of each of its strings, to read two numbers; the names are the book's).
    public private(set) var coordinates: [PageID: Coordinates] = [:]
    /// Base map lines.
    public var features: [MapFeature] = []
    /// Armies by chapter.
    public var armies: [PageID: [Army]] = [:]
    /// Dated events, sorted by date then title.
    public var events: [Event] = []
    /// Lives, sorted by birth.
    public var lives: [Life] = []
    /// Chapter periods, in reading order.
    public var chapters: [ChapterBand] = []
    /// Colour token of each polity, by id.
    public var colours: [PageID: String] = [:]
}

extension IllustrationData {
    /// Reads the illustration data of a book; unknown places, unreadable dates and missing coordinates are diagnostics.
    public init(book: Book, index: EntityIndex, mapFiles: [SourceFile], log: inout DiagnosticLog) {
        for file in mapFiles { features += MapDataParser.parse(file, log: &log) }
        for page in book.allEntities {
            if let coordinates = page.coordinates {
                self.coordinates[page.id] = coordinates
            }
            if let colour = page.fields.first(where: { $0.key == "colour" })?.value.text {
                colours[page.id] = colour
            }
        }
        for page in book.allEntities {
            var reader = FieldReader(fields: page.fields, file: page.file)
            if let dateValue = reader.value("date") {
                if let start = Self.timePoint(dateValue, log: &log) {
                    let end = reader.value("end").flatMap { Self.timePoint($0, log: &log) }
                    events.append(Event(title: page.title, start: start, end: end, page: page.id))
                }
            }
            if let born = reader.int("born"), let died = reader.int("died"), born <= died {
                var reign: ClosedRange<Int>?
                if let years = reader.value("reign")?.sequence, years.count == 2, let a = years[0].int, let b = years[1].int, a <= b {
                    reign = a...b
                }
                lives.append(Life(person: page.id, name: page.title, born: born, died: died, reign: reign))
            }
        }
        for (number, chapter) in book.chapters.enumerated() {
            if let period = chapter.period {
                if let span = TimeSpan.parse(period) {
                    self.chapters.append(ChapterBand(chapter: chapter.id, number: number + 1, title: chapter.title, span: span))
                } else if let value = chapter.fields.first(where: { $0.key == "period" })?.value {
                    log.warning("period '\(period)' cannot be placed on the timeline: write a year or two years joined by a dash, such as '1081–1082'",
                                at: value.location)
                }
            }
            readTimeline(of: chapter, index: index, book: book, log: &log)
            readArmies(of: chapter, index: index, book: book, log: &log)
        }
        events.sort { ($0.start, $0.title) < ($1.start, $1.title) }
        lives.sort { ($0.born, $0.name) < ($1.born, $1.name) }
    }

    private static func timePoint(_ value: YAMLValue, log: inout DiagnosticLog) -> TimePoint? {
        if let text = value.text, let point = TimePoint.parse(text) { return point }
        log.error("cannot read date '\(value.text ?? value.shapeDescription)': expected a year such as '1081' or a year and month such as '1081-08'",
                  at: value.location)
        return nil
    }

    private mutating func readTimeline(of chapter: Page, index: EntityIndex, book: Book, log: inout DiagnosticLog) {
        guard let items = chapter.fields.first(where: { $0.key == "timeline" })?.value else { return }
        guard let list = items.sequence else {
            log.error("'timeline' must be a list of {date, text, ref}", at: items.location)
            return
        }
        for item in list {
            guard let dateValue = item["date"], let text = item["text"]?.text else {
                log.error("each timeline entry needs a 'date' and a 'text'", at: item.location)
                continue
            }
            guard let date = Self.timePoint(dateValue, log: &log) else { continue }
            var page = chapter.id
            if let ref = item["ref"] {
                guard let id = Self.entity(ref, index: index, book: book, expecting: nil, log: &log) else { continue }
                page = id
            }
            let entry = Event(title: text, start: date, end: nil, page: page)
            if !events.contains(where: { $0.page == page && $0.start == date && page != chapter.id }) {
                events.append(entry)
            }
        }
    }

    private mutating func readArmies(of chapter: Page, index: EntityIndex, book: Book, log: inout DiagnosticLog) {
        guard let value = chapter.fields.first(where: { $0.key == "armies" })?.value else { return }
        guard let list = value.sequence else {
            log.error("'armies' must be a list of {name, polity, commanders, start, route, outcome}", at: value.location)
            return
        }
        var result: [Army] = []
        for item in list {
            guard let name = item["name"]?.text else {
                log.error("each army needs a 'name'", at: item.location)
                continue
            }
            var colour = "song"
            if let polity = item["polity"], let id = Self.entity(polity, index: index, book: book, expecting: nil, log: &log) {
                colour = colours[id] ?? colour
            }
            let commanders = (item["commanders"]?.sequence ?? item["commanders"].map { [$0] } ?? []).compactMap {
                Self.entity($0, index: index, book: book, expecting: "people", log: &log)
            }
            var stops: [PageID] = []
            let stopValues = (item["start"].map { [$0] } ?? []) + (item["route"]?.sequence ?? [])
            if stopValues.count < 2 {
                log.error("army '\(name)' needs a 'start' and a 'route' of at least one place", at: item.location)
            }
            for stop in stopValues {
                guard let id = Self.entity(stop, index: index, book: book, expecting: "places", log: &log) else { continue }
                guard coordinates[id] != nil else {
                    log.error("place '\(id.slug)' has no coordinates, but the route of '\(name)' needs them", at: stop.location,
                              notes: ["add 'coordinates: [latitude, longitude]' to \(book.pages[id]?.file.displayPath ?? id.slug)"])
                    continue
                }
                stops.append(id)
            }
            result.append(Army(name: name, colour: colour, commanders: commanders, stops: stops, outcome: item["outcome"]?.text))
        }
        armies[chapter.id] = result
    }

    /// Resolves a slug (or name) written in front-matter to an entity, optionally of one kind.
    private static func entity(_ value: YAMLValue, index: EntityIndex, book: Book, expecting folder: String?,
                               log: inout DiagnosticLog) -> PageID? {
        guard let text = value.text else {
            log.error("expected the slug of an entity, found \(value.shapeDescription)", at: value.location)
            return nil
        }
        switch index.resolve(text) {
        case .found(let id):
            if let folder, id.folder != folder {
                log.error("'\(text)' is a \(book.pages[id]?.kind?.singular ?? id.folder), not one of \(folder)", at: value.location)
                return nil
            }
            return id
        case .ambiguous(let ids):
            log.error("ambiguous reference '\(text)': it names \(ids.map { "'\($0.slug)'" }.joined(separator: ", "))", at: value.location)
            return nil
        case .unknown(let suggestion):
            let what = folder == "places" ? "unknown place" : folder == "people" ? "unknown person" : "unknown entity"
            log.error("\(what) '\(text)'", at: value.location, notes: suggestion.map { ["did you mean '\($0)'?"] } ?? [])
            return nil
        }
    }
}
