/// Every picture of the book, drawn from the data, and the numbering of figures across the book.
public struct Illustrations: Sendable {
    /// Output path of the book map page.
    public static let mapPage = "map.html"
    /// Output path of the timeline page.
    public static let timelinePage = "timeline.html"
    /// Output path of the list of illustrations.
    public static let listPage = "illustrations.html"

    /// A generated map that is a numbered figure of a chapter.
    public struct ChapterMap: Sendable {
        public var number: Int
        public var id: String
        public var caption: String
        public var map: MapRenderer.Rendered
    }

    /// The map of every place, for the map page.
    public var bookMap: MapRenderer.Rendered?
    /// One map per chapter that refers to places, numbered as figures.
    public var chapterMaps: [PageID: ChapterMap] = [:]
    /// A small locator map per place.
    public var locators: [PageID: MapRenderer.Rendered] = [:]
    /// The book's timeline.
    public var timeline: TimelineRenderer.Rendered?
    /// A small timeline per person with known birth and death.
    public var lifelines: [PageID: TimelineRenderer.Rendered] = [:]
    /// The number of the first Markdown figure of each chapter.
    public var firstFigure: [PageID: Int] = [:]
    /// The data they were drawn from.
    public var data: IllustrationData
    /// What each chapter map shows, so that a later build can tell whether it must draw the map again.
    var chapterMapSpecs: [PageID: MapRenderer.Spec] = [:]
    /// The places of the book map in label priority order.
    var bookMapPlaces: [PageID] = []

    /// Chapter maps drawn for the whole-book page (links relative to it), when asked for.
    var bookPageMaps: [PageID: MapRenderer.Rendered] = [:]

    /// A chapter's map as drawn for the whole-book page (its links relative to that page), when it was asked for.
    public func bookPageMap(_ id: PageID) -> ChapterMap? {
        guard var map = chapterMaps[id], let drawn = bookPageMaps[id] else { return nil }
        map.map = drawn
        return map
    }

    /// Draws everything: needs the linked chapters (which places each refers to) and the backlinks (importance).
    /// With `previous` from an earlier build whose global inputs were the same (`sameInputs`), drawings whose own
    /// inputs did not change are reused instead of drawn again.
    public init(book: Book, data: IllustrationData, linked: [PageID: LinkedPage], backlinks: Backlinks,
                previous: Illustrations? = nil, sameInputs: Bool = false, forBookPage: Bool = false) {
        let reusable = sameInputs ? previous : nil
        self.data = data
        var names: [PageID: String] = [:]
        for page in book.allEntities { names[page.id] = page.title }
        let renderer = MapRenderer(data: data, names: names)
        let allPlaces = data.places.keys.sorted { a, b in
            let (ca, cb) = (backlinks.entries(for: a).count, backlinks.entries(for: b).count)
            return ca != cb ? ca > cb : (names[a] ?? "", a) < (names[b] ?? "", b)
        }
        let extent = allPlaces.compactMap { data.places[$0]?.coordinates }
        bookMapPlaces = allPlaces
        if let reusable, reusable.bookMapPlaces == allPlaces {
            bookMap = reusable.bookMap
        } else if !allPlaces.isEmpty {
            bookMap = renderer.render(MapRenderer.Spec(id: "book-map", title: "Map of the places in \(book.config.title)",
                                                       places: allPlaces, pagePath: Self.mapPage, width: 900))
        }
        var number = 1
        var mapJobs: [(PageID, Int, String, MapRenderer.Spec)] = []
        for (index, chapter) in book.chapters.enumerated() {
            let armies = data.armies[chapter.id] ?? []
            var places: [PageID] = []
            var seen = Set<PageID>()
            for army in armies { for stop in army.stops where seen.insert(stop).inserted { places.append(stop) } }
            for id in linked[chapter.id]?.occurrences.compactMap({ EntityKey.id($0.key) }) ?? []
                where data.places[id] != nil && seen.insert(id).inserted {
                places.append(id)
            }
            if !places.isEmpty {
                let context: [PageID]
                if let old = reusable?.chapterMapSpecs[chapter.id], old.places == places, old.armies == armies {
                    context = old.context
                } else {
                    let box = places.compactMap { data.places[$0]?.coordinates }
                    let bounds = Bounds(box)
                    context = Self.nearest(Self.contextLimit, to: box, among: allPlaces.filter {
                        !seen.contains($0) && bounds.contains(data.places[$0]!.coordinates, margin: 1)
                    }, data: data)
                }
                let caption = armies.isEmpty
                    ? "Places in chapter \(index + 1), \(chapter.title)."
                    : "The routes of the armies and the places of chapter \(index + 1), \(chapter.title)."
                let spec = MapRenderer.Spec(id: "map-\(chapter.id.slug)", title: caption, places: places,
                                            context: context, armies: armies, pagePath: SitePaths.page(chapter.id))
                mapJobs.append((chapter.id, number, caption, spec))
                chapterMapSpecs[chapter.id] = spec
                number += 1
            }
            firstFigure[chapter.id] = number
            number += chapter.document.figureCount
        }
        let maps = parallelMap(mapJobs.map { job in (job.0, job.3) }) { id, spec -> MapRenderer.Rendered in
            if let reusable, reusable.chapterMapSpecs[id] == spec, let map = reusable.chapterMaps[id]?.map { return map }
            return renderer.render(spec)
        }
        if forBookPage {
            let bookMaps = parallelMap(mapJobs.map { job in (job.0, job.3) }) { id, spec -> MapRenderer.Rendered in
                var onBook = spec
                onBook.pagePath = SitePaths.book
                if let reusable, reusable.chapterMapSpecs[id] == spec, let map = reusable.bookPageMaps[id] { return map }
                return renderer.render(onBook)
            }
            for (job, map) in zip(mapJobs, bookMaps) { bookPageMaps[job.0] = map }
        }
        for (job, map) in zip(mapJobs, maps) {
            chapterMaps[job.0] = ChapterMap(number: job.1, id: "figure-\(job.1)", caption: job.2, map: map)
        }
        if let reusable {
            locators = reusable.locators
            timeline = reusable.timeline
            lifelines = reusable.lifelines
            return
        }
        let locatorSpecs = allPlaces.map { id -> MapRenderer.Spec in
            let here = [data.places[id]!.coordinates]
            let context = Self.nearest(Self.contextLimit, to: here, among: allPlaces.filter { $0 != id }, data: data)
            return MapRenderer.Spec(id: "locator", title: "Where \(names[id] ?? id.slug) is", places: [id], context: context,
                                    extent: extent, pagePath: SitePaths.page(id), small: true)
        }
        for (id, map) in zip(allPlaces, parallelMap(locatorSpecs) { renderer.render($0) }) { locators[id] = map }
        let rows = TimelineRenderer.bookRows(data)
        if !rows.isEmpty {
            timeline = TimelineRenderer.render(id: "book-timeline", title: "Timeline of \(book.config.title)", rows: rows,
                                               pagePath: Self.timelinePage, width: 900)
        }
        let eventRows = rows.filter { $0.group == .events }
        let lives = parallelMap(data.lives) { life -> (PageID, TimelineRenderer.Rendered?) in
            guard let rows = TimelineRenderer.personRows(data, person: life.person, bookRows: eventRows) else {
                return (life.person, nil)
            }
            return (life.person, TimelineRenderer.render(id: "lifeline", title: "The life of \(life.name) and the events of the book",
                                                         rows: rows, pagePath: SitePaths.page(life.person)))
        }
        for (id, line) in lives { lifelines[id] = line }
    }

    /// Context dots drawn around a map's own places: enough to orient, few enough to keep pages small.
    static let contextLimit = 40

    /// The `count` places nearest to the centre of `points`, nearest first (ties by id).
    static func nearest(_ count: Int, to points: [Coordinates], among candidates: [PageID], data: IllustrationData) -> [PageID] {
        guard candidates.count > count, !points.isEmpty else { return candidates }
        let lat = points.map(\.latitude).reduce(0, +) / Double(points.count)
        let lon = points.map(\.longitude).reduce(0, +) / Double(points.count)
        func distance(_ id: PageID) -> Double {
            guard let c = data.places[id]?.coordinates else { return .infinity }
            return (c.latitude - lat) * (c.latitude - lat) + (c.longitude - lon) * (c.longitude - lon)
        }
        return candidates.map { ($0, distance($0)) }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(count).map(\.0)
    }

    /// The latitude and longitude range of some points.
    struct Bounds {
        var minLat = Double.infinity, maxLat = -Double.infinity, minLon = Double.infinity, maxLon = -Double.infinity

        init(_ points: [Coordinates]) {
            for p in points {
                minLat = min(minLat, p.latitude); maxLat = max(maxLat, p.latitude)
                minLon = min(minLon, p.longitude); maxLon = max(maxLon, p.longitude)
            }
        }

        func contains(_ p: Coordinates, margin: Double) -> Bool {
            p.latitude >= minLat - margin && p.latitude <= maxLat + margin && p.longitude >= minLon - margin && p.longitude <= maxLon + margin
        }
    }
}
