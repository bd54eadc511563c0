import Dispatch

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
        public var caption: String
        public var map: MapRenderer.Rendered
        /// The element id, for links: `figure-3`.
        public var id: String { Figure.id(number) }
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
    /// The link key of each chapter these were drawn from: a later build with the same global inputs reuses the map
    /// (or the absence of one) of every chapter whose key did not change, without looking at its references.
    var chapterKeys: [PageID: StableHash] = [:]
    /// The places of the book map in label priority order.
    var bookMapPlaces: [PageID] = []

    /// Chapter maps drawn for the whole-book page (links relative to it), when asked for.
    var bookPageMaps: [PageID: MapRenderer.Rendered] = [:]

    /// Chapter maps planned but drawn only when asked for (`chapterMap`), with what draws them: a build that streams
    /// its pages out draws each map for its page and lets it go, rather than holding every map of the book at once.
    private var undrawn: [PageID: (number: Int, caption: String)] = [:]
    private var mapRenderer: MapRenderer?
    /// For maps drawn later: the places to choose context places from (their specs are kept without them).
    private var placeTable: PlaceTable?

    /// The map of a chapter, drawn now when it was left for later (its context places chosen then too: a build that
    /// keeps most pages from its previous output never draws most maps).
    public func chapterMap(_ id: PageID) -> ChapterMap? {
        if let map = chapterMaps[id] { return map }
        guard let figure = undrawn[id], var spec = chapterMapSpecs[id], let mapRenderer, let placeTable else { return nil }
        // Only where the context places are: the drawing does not name them, and this spec is not kept.
        spec.contextCoordinates = Self.contextPositions(of: spec.places, in: placeTable, data: data)
            .map { placeTable.coordinates[$0] }
        return ChapterMap(number: figure.number, caption: figure.caption, map: mapRenderer.render(spec))
    }

    /// The context places of a chapter map: the nearest places around its own, within a degree of them; and where
    /// they are.
    private static func context(of places: [PageID], in table: PlaceTable,
                                data: IllustrationData) -> (places: [PageID], coordinates: [Coordinates]) {
        let found = contextPositions(of: places, in: table, data: data)
        return (found.map { table.places[$0] }, found.map { table.coordinates[$0] })
    }

    /// The positions in `table` of a chapter map's context places.
    private static func contextPositions(of places: [PageID], in table: PlaceTable, data: IllustrationData) -> [Int] {
        let box = places.compactMap { data.coordinates[$0] }
        return table.nearest(contextLimit, to: box, excluding: Set(places.compactMap(table.position)),
                             within: (Bounds(box), margin: 1))
    }

    /// A chapter map's figure number, anchor and caption, without drawing it.
    public func chapterMapFigure(_ id: PageID) -> (number: Int, id: String, caption: String)? {
        if let map = chapterMaps[id] { return (map.number, map.id, map.caption) }
        guard let figure = undrawn[id] else { return nil }
        return (figure.number, Figure.id(figure.number), figure.caption)
    }

    /// A chapter's map as drawn for the whole-book page (its links relative to that page), when it was asked for.
    public func bookPageMap(_ id: PageID) -> ChapterMap? {
        guard var map = chapterMaps[id], let drawn = bookPageMaps[id] else { return nil }
        map.map = drawn
        return map
    }

    /// Draws everything: needs the linked chapters (which places each refers to) and the backlinks (importance).
    /// With `previous` from an earlier build whose global inputs were the same (`sameInputs`), drawings whose own
    /// inputs did not change are reused instead of drawn again.
    /// With `drawChapterMapsLater`, chapter maps are planned and numbered but drawn by `chapterMap` (and cannot be
    /// reused by a later build).
    public init(book: Book, data: IllustrationData, linked: [PageID: LinkedPage], backlinks: Backlinks,
                previous: Illustrations? = nil, sameInputs: Bool = false, forBookPage: Bool = false,
                chapterKeys: [PageID: StableHash] = [:], drawChapterMapsLater: Bool = false) {
        let reusable = sameInputs ? previous : nil
        self.data = data
        self.chapterKeys = chapterKeys
        var names: [PageID: String] = [:]
        var hrefs: [PageID: String] = [:]
        for page in book.allEntities {
            names[page.id] = page.title
            hrefs[page.id] = page.hrefFromOtherFolder
        }
        let renderer = MapRenderer(data: data, names: names, hrefs: hrefs)
        // Each place's count of referring chapters, found once (not twice for every comparison of the sort).
        var referrals: [PageID: Int] = [:]
        for id in data.coordinates.keys { referrals[id] = backlinks.entries(for: id).count }
        let allPlaces = data.coordinates.keys.sorted { a, b in
            let (ca, cb) = (referrals[a] ?? 0, referrals[b] ?? 0)
            return ca != cb ? ca > cb : (names[a] ?? "", a) < (names[b] ?? "", b)
        }
        let extent = allPlaces.compactMap { data.coordinates[$0] }
        // Every place's coordinates by its position in `allPlaces`, so that choosing context places is arithmetic over
        // arrays rather than dictionary lookups.
        let table = PlaceTable(places: allPlaces, coordinates: allPlaces.map { data.coordinates[$0]! })
        bookMapPlaces = allPlaces
        // The book's map and timeline are single drawings: each is drawn on a thread of its own while the chapter maps,
        // locators and lifelines are drawn on every core (drawn in turn, they left a core idle).
        let bookMapDrawn = Eventually<MapRenderer.Rendered?>()
        if let reusable, reusable.bookMapPlaces == allPlaces {
            bookMapDrawn.set(reusable.bookMap)
        } else if !allPlaces.isEmpty {
            let spec = MapRenderer.Spec(id: "book-map", title: "Map of the places in \(book.config.title)",
                                        places: allPlaces, pagePath: Self.mapPage, width: 900)
            DispatchQueue.global().async { bookMapDrawn.set(renderer.render(spec)) }
        } else {
            bookMapDrawn.set(nil)
        }
        defer { bookMap = bookMapDrawn.value }
        // Which chapters have a map, and the figure numbers, in reading order; the maps themselves (choosing the context
        // places is a search over every place) are drawn in parallel.
        // A chapter whose link key did not change keeps its map (or the absence of one) from the previous build: its
        // entry is carried over, renumbered only when a figure before it came or went.
        var number = 1
        var planned: [(id: PageID, number: Int, caption: String, places: [PageID], armies: [IllustrationData.Army], path: String)] = []
        if let reusable {
            chapterMaps = reusable.chapterMaps
            chapterMapSpecs = reusable.chapterMapSpecs
            bookPageMaps = reusable.bookPageMaps
        }
        // Each chapter's map places and caption (a chapter whose map is kept needs none), found on every core;
        // numbered below, in reading order.
        func kept(_ chapter: Page) -> Bool {
            guard let reusable, let key = chapterKeys[chapter.id] else { return false }
            return reusable.chapterKeys[chapter.id] == key
        }
        let toPlan = book.chapters.indices.filter { !kept(book.chapters[$0]) }
        var proposals = [(places: [PageID], caption: String)?](repeating: nil, count: book.chapters.count)
        for (index, proposal) in zip(toPlan, parallelMap(toPlan) { index -> (places: [PageID], caption: String)? in
            let chapter = book.chapters[index]
            let armies = data.armies[chapter.id] ?? []
            // A chapter's places are a few dozen at most: repeats are found by looking through them, and its entities
            // are read in place (each copied into a set as well, and out of the list, was four reference counts).
            var places: [PageID] = []
            for army in armies { for stop in army.stops where !places.contains(stop) { places.append(stop) } }
            linked[chapter.id]?.entitiesInOrder.withUnsafeBufferPointer { ids in
                for index in ids.indices where data.coordinates[ids[index]] != nil && !places.contains(ids[index]) {
                    places.append(ids[index])
                }
            }
            guard !places.isEmpty else { return nil }
            let caption = armies.isEmpty
                ? "Places in chapter \(index + 1), \(chapter.title)."
                : "The routes of the armies and the places of chapter \(index + 1), \(chapter.title)."
            return (places, caption)
        }) {
            proposals[index] = proposal
        }
        for (index, chapter) in book.chapters.enumerated() {
            if kept(chapter) {
                if var map = chapterMaps[chapter.id] {
                    if map.number != number {
                        map.number = number
                        chapterMaps[chapter.id] = map
                    }
                    number += 1
                }
                firstFigure[chapter.id] = number
                number += chapter.document.figureCount
                continue
            }
            if reusable != nil {
                chapterMaps[chapter.id] = nil
                chapterMapSpecs[chapter.id] = nil
                bookPageMaps[chapter.id] = nil
            }
            if let proposal = proposals[index] {
                planned.append((chapter.id, number, proposal.caption, proposal.places, data.armies[chapter.id] ?? [],
                                chapter.path))
                number += 1
            }
            firstFigure[chapter.id] = number
            number += chapter.document.figureCount
        }
        let drawn = parallelMap(planned) { plan -> (MapRenderer.Spec, MapRenderer.Rendered?) in
            var context: (places: [PageID], coordinates: [Coordinates]) = ([], [])
            if let old = reusable?.chapterMapSpecs[plan.id], old.places == plan.places, old.armies == plan.armies {
                context = (old.context, old.contextCoordinates)
            } else if !drawChapterMapsLater {
                context = Self.context(of: plan.places, in: table, data: data)
            }
            var spec = MapRenderer.Spec(id: "map-\(plan.id.slug)", title: plan.caption, places: plan.places,
                                        context: context.places, armies: plan.armies, pagePath: plan.path)
            spec.contextCoordinates = context.coordinates
            if let reusable, reusable.chapterMapSpecs[plan.id] == spec, let map = reusable.chapterMaps[plan.id]?.map {
                return (spec, map)
            }
            return (spec, drawChapterMapsLater ? nil : renderer.render(spec))
        }
        // The plans and drawings are read in place, by index (gathered into lists of jobs first, each map's spec was
        // copied three times: a tenth of a million reference counts in a large book).
        for index in planned.indices { chapterMapSpecs[planned[index].id] = drawn[index].0 }
        if forBookPage {
            let planned = planned
            let bookMaps = parallelMap(Array(planned.indices)) { index -> MapRenderer.Rendered in
                let id = planned[index].id
                if let reusable, reusable.chapterMapSpecs[id] == drawn[index].0, let map = reusable.bookPageMaps[id] {
                    return map
                }
                var onBook = drawn[index].0
                onBook.pagePath = SitePaths.book
                return renderer.render(onBook)
            }
            for index in planned.indices { bookPageMaps[planned[index].id] = bookMaps[index] }
        }
        for index in planned.indices {
            if let map = drawn[index].1 {
                chapterMaps[planned[index].id] = ChapterMap(number: planned[index].number, caption: planned[index].caption,
                                                            map: map)
            } else {
                undrawn[planned[index].id] = (planned[index].number, planned[index].caption)
            }
        }
        if !undrawn.isEmpty {
            mapRenderer = renderer
            placeTable = table
        }
        if let reusable {
            locators = reusable.locators
            timeline = reusable.timeline
            lifelines = reusable.lifelines
            return
        }
        let placeNames = names
        let drawnLocators = parallelMap(Array(allPlaces.indices)) { index -> MapRenderer.Rendered in
            let id = allPlaces[index]
            let context = table.nearest(Self.contextLimit, to: [table.coordinates[index]], excluding: [index])
            var spec = MapRenderer.Spec(id: "locator", title: "Where \(placeNames[id] ?? id.slug) is", places: [id],
                                        context: context.map { table.places[$0] }, extent: extent,
                                        pagePath: SitePaths.page(id), small: true)
            spec.contextCoordinates = context.map { table.coordinates[$0] }
            return renderer.render(spec)
        }
        for (id, map) in zip(allPlaces, drawnLocators) { locators[id] = map }
        let rows = TimelineRenderer.bookRows(data)
        let timelineDrawn = Eventually<TimelineRenderer.Rendered?>()
        if !rows.isEmpty {
            let title = "Timeline of \(book.config.title)"
            DispatchQueue.global().async {
                timelineDrawn.set(TimelineRenderer.render(id: "book-timeline", title: title, rows: rows,
                                                          pagePath: Self.timelinePage, width: 900))
            }
        } else {
            timelineDrawn.set(nil)
        }
        defer { timeline = timelineDrawn.value }
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

    /// The places that can be drawn, by position: ids, coordinates, and each id's rank in id order (for ties).
    ///
    /// Choosing context places looks at every place for every map, from every core at once: done over buffers of
    /// plain numbers, it touches no reference count (two cores updating the same counts were measured at a sixth of
    /// the drawing stage).
    struct PlaceTable: Sendable {
        let places: [PageID]
        let coordinates: [Coordinates]
        private let rank: [Int]
        private let positions: [PageID: Int]
        /// A square grid over the places: positions cell by cell (`cellStart[c]..<cellStart[c + 1]` in `cellItems`),
        /// so that a search visits the cells around its centre, ring by ring, and stops at the ring that is farther
        /// than the places it has.
        private let grid: Grid

        struct Grid: Sendable {
            var minLat = 0.0, minLon = 0.0
            /// Side of a cell, in degrees; cells per side.
            var cell = 1.0
            var side = 1
            var cellStart: [Int] = [0, 0]
            var cellItems: [Int] = []

            init() {}

            init(_ coordinates: [Coordinates]) {
                guard let first = coordinates.first else { return }
                var (minLat, maxLat, minLon, maxLon) = (first.latitude, first.latitude, first.longitude, first.longitude)
                for c in coordinates {
                    minLat = min(minLat, c.latitude); maxLat = max(maxLat, c.latitude)
                    minLon = min(minLon, c.longitude); maxLon = max(maxLon, c.longitude)
                }
                // About two places to a cell.
                let side = max(1, Int(Double(coordinates.count / 2).squareRoot()))
                let span = max(maxLat - minLat, maxLon - minLon)
                let cell = span > 0 ? span / Double(side) : 1
                (self.minLat, self.minLon, self.cell, self.side) = (minLat, minLon, cell, side)
                var counts = [Int](repeating: 0, count: side * side + 1)
                let cells = coordinates.map { cellOf($0) }
                for c in cells { counts[c + 1] += 1 }
                for i in 1..<counts.count { counts[i] += counts[i - 1] }
                cellStart = counts
                var next = counts
                cellItems = [Int](repeating: 0, count: coordinates.count)
                for (index, c) in cells.enumerated() {
                    cellItems[next[c]] = index
                    next[c] += 1
                }
            }

            /// Column and row of a point, clamped to the grid (infinite bounds included).
            func column(_ longitude: Double) -> Int { clamp((longitude - minLon) / cell) }
            func row(_ latitude: Double) -> Int { clamp((latitude - minLat) / cell) }

            private func clamp(_ position: Double) -> Int {
                guard position >= 0 else { return 0 }
                guard position < Double(side) else { return side - 1 }
                return Int(position)
            }

            /// Whether a point lies within the grid's square (a search from outside it looks at every cell).
            func covers(latitude: Double, longitude: Double) -> Bool {
                let span = cell * Double(side)
                return latitude >= minLat && latitude <= minLat + span && longitude >= minLon && longitude <= minLon + span
            }
            func cellOf(_ c: Coordinates) -> Int { row(c.latitude) * side + column(c.longitude) }
        }

        init(places: [PageID], coordinates: [Coordinates]) {
            self.places = places
            self.coordinates = coordinates
            var rank = [Int](repeating: 0, count: places.count)
            for (order, index) in places.indices.sorted(by: { places[$0] < places[$1] }).enumerated() { rank[index] = order }
            self.rank = rank
            var positions: [PageID: Int] = [:]
            for (index, id) in places.enumerated() { positions[id] = index }
            self.positions = positions
            grid = Grid(coordinates)
        }

        func position(_ id: PageID) -> Int? { positions[id] }

        /// The positions of the `count` places nearest to the centre of `points`, nearest first (ties by id), leaving
        /// out `excluded` positions and, with `within`, places outside those bounds. The result does not depend on the
        /// order of `places` (which follows how often each place is referred to), so a map whose own places did not
        /// change can be kept by a rebuild.
        func nearest(_ count: Int, to points: [Coordinates], excluding excluded: Set<Int>,
                     within: (bounds: Bounds, margin: Double)? = nil) -> [Int] {
            guard count > 0, !coordinates.isEmpty else { return [] }
            let lat = points.isEmpty ? 0 : points.map(\.latitude).reduce(0, +) / Double(points.count)
            let lon = points.isEmpty ? 0 : points.map(\.longitude).reduce(0, +) / Double(points.count)
            let (minLat, maxLat, minLon, maxLon) = within.map {
                ($0.bounds.minLat - $0.margin, $0.bounds.maxLat + $0.margin, $0.bounds.minLon - $0.margin, $0.bounds.maxLon + $0.margin)
            } ?? (-Double.infinity, Double.infinity, -Double.infinity, Double.infinity)
            // The best `count` so far, in order, in a fixed buffer: most candidates are farther than the last of them
            // and cost one comparison (sorting all of them was a tenth of the drawing stage), and the excluded places
            // are only looked for among the others. (The search is a value with mutating methods: as nested functions
            // capturing variables, every place looked at paid dynamic exclusivity checks, a hundredth of a build.)
            return withUnsafeTemporaryAllocation(of: NearestSearch.Candidate.self, capacity: count) { best in
                coordinates.withUnsafeBufferPointer { coordinates in
                    rank.withUnsafeBufferPointer { rank in
                        var search = NearestSearch(best: best, coordinates: coordinates, rank: rank, excluded: excluded,
                                                   centre: points.isEmpty ? nil : (lat, lon),
                                                   bounds: (minLat, maxLat, minLon, maxLon))
                        guard search.centre != nil else {
                            for index in 0..<coordinates.count { search.consider(index) }
                            return search.positions
                        }
                        // Ring after ring of cells around the centre's cell (cells outside the bounds skipped), until the
                        // ring is farther than the farthest place kept: every place of a later ring is at least
                        // `ring × cell` from the centre (a place at exactly that distance may still win by rank, so
                        // the ring that reaches it is looked at).
                        let grid = self.grid
                        let (row, column) = (grid.row(lat), grid.column(lon))
                        let rows = grid.row(minLat)...grid.row(maxLat)
                        let columns = grid.column(minLon)...grid.column(maxLon)
                        return grid.cellStart.withUnsafeBufferPointer { cellStart in
                            grid.cellItems.withUnsafeBufferPointer { cellItems in
                                func visit(_ r: Int, _ c: Int, _ search: inout NearestSearch) {
                                    guard rows.contains(r), columns.contains(c) else { return }
                                    let cell = r * grid.side + c
                                    for item in cellStart[cell]..<cellStart[cell + 1] { search.consider(cellItems[item]) }
                                }
                                let inside = grid.covers(latitude: lat, longitude: lon)
                                var ring = 0
                                while ring < grid.side {
                                    if search.isFull, inside {
                                        let reach = Double(ring - 1) * grid.cell
                                        if ring > 0, reach * reach > search.farthest { break }
                                    }
                                    if ring == 0 {
                                        visit(row, column, &search)
                                    } else {
                                        for c in (column - ring)...(column + ring) {
                                            visit(row - ring, c, &search)
                                            visit(row + ring, c, &search)
                                        }
                                        for r in (row - ring + 1)..<(row + ring) {
                                            visit(r, column - ring, &search)
                                            visit(r, column + ring, &search)
                                        }
                                    }
                                    ring += 1
                                }
                                return search.positions
                            }
                        }
                    }
                }
            }
        }
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

/// The search of `PlaceTable.nearest`: the best places so far, nearest first, in a buffer of the count asked for.
private struct NearestSearch {
    struct Candidate {
        var distance: Double
        var rank: Int
        var index: Int
    }

    let best: UnsafeMutableBufferPointer<Candidate>
    let coordinates: UnsafeBufferPointer<Coordinates>
    let rank: UnsafeBufferPointer<Int>
    let excluded: Set<Int>
    /// The centre, or nil: then the order of the places decides.
    let centre: (latitude: Double, longitude: Double)?
    let bounds: (minLat: Double, maxLat: Double, minLon: Double, maxLon: Double)
    private(set) var filled = 0

    var isFull: Bool { filled == best.count }
    /// The squared distance of the farthest place kept (when full).
    var farthest: Double { best[best.count - 1].distance }
    /// The positions kept, nearest first.
    var positions: [Int] { (0..<filled).map { best[$0].index } }

    /// Keeps the place at `index` if it is in the bounds, not excluded, and nearer than the farthest kept.
    mutating func consider(_ index: Int) {
        let c = coordinates[index]
        guard c.latitude >= bounds.minLat, c.latitude <= bounds.maxLat, c.longitude >= bounds.minLon,
              c.longitude <= bounds.maxLon else { return }
        let distance: Double
        if let centre {
            distance = (c.latitude - centre.latitude) * (c.latitude - centre.latitude)
                + (c.longitude - centre.longitude) * (c.longitude - centre.longitude)
        } else {
            distance = Double(index)
        }
        let candidate = Candidate(distance: distance, rank: rank[index], index: index)
        func before(_ a: Candidate, _ b: Candidate) -> Bool {
            a.distance != b.distance ? a.distance < b.distance : a.rank < b.rank
        }
        let count = best.count
        if filled == count, !before(candidate, best[count - 1]) { return }
        if excluded.contains(index) { return }
        var slot = filled == count ? count - 1 : filled
        while slot > 0, before(candidate, best[slot - 1]) {
            best[slot] = best[slot - 1]
            slot -= 1
        }
        best[slot] = candidate
        if filled < count { filled += 1 }
    }
}
