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
    /// What each chapter map shows, to draw it again for another page (the whole-book page).
    var chapterMapSpecs: [PageID: MapRenderer.Spec] = [:]
    let mapRenderer: MapRenderer

    /// A chapter's map drawn for the page at `pagePath` (its links relative to that page).
    public func chapterMap(_ id: PageID, on pagePath: String) -> ChapterMap? {
        guard var map = chapterMaps[id], var spec = chapterMapSpecs[id] else { return nil }
        spec.pagePath = pagePath
        map.map = mapRenderer.render(spec)
        return map
    }

    /// Draws everything: needs the linked chapters (which places each refers to) and the backlinks (importance).
    public init(book: Book, data: IllustrationData, linked: [PageID: LinkedPage], backlinks: Backlinks) {
        self.data = data
        var names: [PageID: String] = [:]
        for page in book.allEntities { names[page.id] = page.title }
        let renderer = MapRenderer(data: data, names: names)
        mapRenderer = renderer
        let allPlaces = data.places.keys.sorted { a, b in
            let (ca, cb) = (backlinks.entries(for: a).count, backlinks.entries(for: b).count)
            return ca != cb ? ca > cb : (names[a] ?? "", a) < (names[b] ?? "", b)
        }
        let extent = allPlaces.compactMap { data.places[$0]?.coordinates }
        if !allPlaces.isEmpty {
            bookMap = renderer.render(MapRenderer.Spec(id: "book-map", title: "Map of the places in \(book.config.title)",
                                                       places: allPlaces, pagePath: Self.mapPage, width: 900))
        }
        var number = 1
        for (index, chapter) in book.chapters.enumerated() {
            let armies = data.armies[chapter.id] ?? []
            var places: [PageID] = []
            for army in armies { for stop in army.stops where !places.contains(stop) { places.append(stop) } }
            for id in linked[chapter.id]?.occurrences.compactMap({ EntityKey.id($0.key) }) ?? []
                where data.places[id] != nil && !places.contains(id) {
                places.append(id)
            }
            if !places.isEmpty {
                let box = places.compactMap { data.places[$0]?.coordinates }
                let labelled = Set(places)
                let context = Self.nearest(Self.contextLimit, to: box, among: allPlaces.filter {
                    !labelled.contains($0) && Self.isNear(data.places[$0]!.coordinates, box)
                }, data: data)
                let id = "figure-\(number)"
                let caption = armies.isEmpty
                    ? "Places in chapter \(index + 1), \(chapter.title)."
                    : "The routes of the armies and the places of chapter \(index + 1), \(chapter.title)."
                let spec = MapRenderer.Spec(id: "map-\(chapter.id.slug)", title: caption, places: places,
                                            context: context, armies: armies, pagePath: SitePaths.page(chapter.id))
                let map = renderer.render(spec)
                chapterMapSpecs[chapter.id] = spec
                chapterMaps[chapter.id] = ChapterMap(number: number, id: id, caption: caption, map: map)
                number += 1
            }
            firstFigure[chapter.id] = number
            number += chapter.document.figureCount
        }
        for id in allPlaces {
            let here = [data.places[id]!.coordinates]
            let context = Self.nearest(Self.contextLimit, to: here, among: allPlaces.filter { $0 != id }, data: data)
            locators[id] = renderer.render(MapRenderer.Spec(id: "locator", title: "Where \(names[id] ?? id.slug) is",
                                                            places: [id], context: context,
                                                            extent: extent, pagePath: SitePaths.page(id), small: true))
        }
        let rows = TimelineRenderer.bookRows(data)
        if !rows.isEmpty {
            timeline = TimelineRenderer.render(id: "book-timeline", title: "Timeline of \(book.config.title)", rows: rows,
                                               pagePath: Self.timelinePage, width: 900)
        }
        for life in data.lives {
            guard let rows = TimelineRenderer.personRows(data, person: life.person) else { continue }
            lifelines[life.person] = TimelineRenderer.render(id: "lifeline", title: "The life of \(life.name) and the events of the book",
                                                             rows: rows, pagePath: SitePaths.page(life.person))
        }
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

    /// True when `point` lies within the box of `points`, widened by a degree.
    static func isNear(_ point: Coordinates, _ points: [Coordinates]) -> Bool {
        guard let minLat = points.map(\.latitude).min(), let maxLat = points.map(\.latitude).max(),
              let minLon = points.map(\.longitude).min(), let maxLon = points.map(\.longitude).max() else { return false }
        return (minLat - 1...maxLat + 1).contains(point.latitude) && (minLon - 1...maxLon + 1).contains(point.longitude)
    }
}
