import Foundation

/// Writes a deterministic synthetic history: `chapters` chapters of realistic Markdown and `entities` entities
/// (people, places, polities, events), with about twenty references per chapter in every form.
///
/// The same history can also be written as a Hugo site (`flavour: .hugo`), to measure Hugo on the same text in the
/// same minutes: the same words, headings, lists, quotes, code and images from the same random sequence, each
/// `[[…]]` reference written as the Markdown link build-site would make of it (resolved here, so Hugo has no alias
/// matching to do), each entity a taxonomy term page (`content/people/SLUG/_index.md`) that lists the chapters
/// referring to it, as build-site's backlinks do, and each chapter with its table of contents and its previous and
/// next chapter.
struct CorpusGenerator {
    let chapters: Int
    let entities: Int
    let seed: UInt64
    var flavour = Flavour.buildSite

    enum Flavour { case buildSite, hugo }

    /// Changes whenever the corpus written changes, so that a corpus kept from an earlier version is not measured.
    static let version = 2

    /// SplitMix64: small, fast and the same everywhere.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ range: Range<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
        mutating func pick<T>(_ items: [T]) -> T { items[int(0..<items.count)] }
        mutating func chance(_ percent: Int) -> Bool { int(0..<100) < percent }
    }

    static let syllables = ["an", "bao", "chang", "cheng", "da", "de", "fan", "feng", "gao", "guang", "hai", "han", "hong",
                            "hua", "hui", "jian", "jing", "kang", "lan", "li", "lian", "ling", "long", "ming", "ning",
                            "ping", "qing", "rong", "shan", "shao", "shi", "shun", "tai", "tang", "wei", "wen", "xian",
                            "xin", "xing", "yan", "yang", "yi", "yong", "yuan", "zhao", "zheng", "zhi", "zhong", "zhou", "zu"]
    static let surnames = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu", "Xu", "Sun", "Ma",
                           "Zhu", "Hu", "Guo", "He", "Gao", "Lin", "Luo", "Zheng", "Liang", "Xie", "Song", "Tang", "Han",
                           "Feng", "Deng", "Cao", "Peng", "Zeng", "Xiao", "Tian", "Dong", "Pan", "Yuan", "Cai", "Jiang"]
    static let han = Array("王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐韩冯邓曹彭曾萧田董潘袁蔡蒋安石宗昌祚州城关河")
    static let words = ["the", "army", "court", "river", "march", "supplies", "frontier", "generals", "emperor", "campaign",
                        "siege", "walls", "grain", "winter", "cavalry", "envoys", "treaty", "rivals", "order", "road",
                        "camp", "scouts", "prefecture", "garrison", "fortress", "valley", "season", "report", "letters",
                        "reform", "officials", "taxes", "harvest", "border", "retreat", "victory", "defeat", "news"]

    struct Entity {
        var folder: String
        var slug: String
        var name: String
        var alias: String
        var chinese: String
    }

    /// Writes the corpus into `root` (which must not exist) and returns the number of bytes of Markdown written.
    func write(to root: URL) throws -> Int {
        var random = Random(state: seed)
        let fm = FileManager.default
        if flavour == .hugo {
            try writeHugoSite(to: root)
        } else {
            try writeSiteFiles(to: root)
        }

        var all: [Entity] = []
        let counts = [("people", entities * 50 / 100), ("places", entities * 40 / 100), ("polities", max(4, entities * 2 / 100)),
                      ("events", 0)]
        var remaining = entities
        for (index, (folder, count)) in counts.enumerated() {
            let n = index == counts.count - 1 ? remaining : min(count, remaining)
            remaining -= n
            for i in 0..<n {
                let first = random.pick(Self.syllables).capitalized + random.pick(Self.syllables)
                let name: String
                switch folder {
                case "people": name = "\(random.pick(Self.surnames)) \(first)"
                case "places": name = "\(first)zhou"
                case "polities": name = "Kingdom of \(first)"
                default: name = "Battle of \(first)"
                }
                let slug = "\(folder.prefix(2))-\(i)-" + name.lowercased().replacingOccurrences(of: " ", with: "-")
                let chinese = String((0..<random.int(2..<4)).map { _ in random.pick(Self.han) })
                all.append(Entity(folder: folder, slug: slug, name: "\(name) \(i)", alias: "\(first) the \(folder.prefix(3))\(i)",
                                  chinese: chinese + "\(i)"))
            }
        }
        for entity in all {
            var text = flavour == .hugo
                ? "---\ntitle: \"\(entity.name)\"\nothernames: [\"\(entity.alias)\"]\nchinese: \"\(entity.chinese)\"\n"
                : "---\nname: \"\(entity.name)\"\naliases: [\"\(entity.alias)\"]\nchinese: \"\(entity.chinese)\"\n"
            text += "summary: \"A \(entity.folder.dropLast()) of the synthetic history.\"\n"
            switch entity.folder {
            case "people":
                let born = random.int(950..<1250)
                text += "born: \(born)\ndied: \(born + random.int(20..<80))\nrole: general\n"
            case "places":
                let lat = Double(random.int(2200..<4200)) / 100, lon = Double(random.int(9800..<12200)) / 100
                text += "coordinates: [\(lat), \(lon)]\nmodern: \"Somewhere\"\n"
            case "polities":
                text += "founded: \(random.int(900..<1100))\ncolour: song\n"
            default:
                text += "date: \"\(random.int(960..<1280))\"\n"
            }
            let mentioned = random.pick(all)
            text += "---\nA short body mentioning \(reference(to: mentioned, "[[\(mentioned.slug)]]", text: mentioned.name)).\n"
            if flavour == .hugo {
                let folder = root.appendingPathComponent("content/\(entity.folder)/\(entity.slug)")
                try fm.createDirectory(at: folder, withIntermediateDirectories: true)
                try text.write(to: folder.appendingPathComponent("_index.md"), atomically: false, encoding: .utf8)
            } else {
                try text.write(to: root.appendingPathComponent("\(entity.folder)/\(entity.slug).md"), atomically: false, encoding: .utf8)
            }
        }

        var bytes = 0
        let width = String(chapters).count
        func fileName(_ index: Int) -> String {
            let number = String(index + 1)
            return String(repeating: "0", count: max(0, width - number.count)) + number + "-chapter-\(index + 1).md"
        }
        // Every entity is referred to by some chapter: entity i goes to chapter i % chapters.
        for c in 0..<chapters {
            var text = "---\ntitle: \"Chapter \(c + 1): \(random.pick(Self.words).capitalized) and \(random.pick(Self.words))\"\n"
            let year = random.int(960..<1270)
            text += "summary: \"What happened to the \(random.pick(Self.words)) in \(year).\"\nperiod: \"\(year)–\(year + random.int(0..<5))\"\n"
            let frontMatterEnd = text.endIndex
            var referred: [String: Set<String>] = [:]
            text += "---\n"
            var owed = stride(from: c, to: all.count, by: max(chapters, 1)).map { all[$0] }
            for section in 0..<5 {
                text += "\n## Section \(section + 1) of chapter \(c + 1)\n\n"
                for paragraph in 0..<4 {
                    var sentence: [String] = []
                    // One reference per paragraph: twenty per chapter, as issue #6 specifies the corpus.
                    for w in 0..<random.int(50..<75) {
                        if w == 25 {
                            let entity = owed.popLast() ?? random.pick(all)
                            referred[entity.folder, default: []].insert(entity.slug)
                            switch random.int(0..<5) {
                            case 0: sentence.append(reference(to: entity, "[[\(entity.slug)]]", text: entity.name))
                            case 1: sentence.append(reference(to: entity, "[[\(entity.name)]]", text: entity.name))
                            case 2: sentence.append(reference(to: entity, "[[\(entity.alias)]]", text: entity.alias))
                            case 3:
                                let label = "the \(random.pick(Self.words))"
                                sentence.append(reference(to: entity, "[[\(entity.slug)|\(label)]]", text: label))
                            default: sentence.append(reference(to: entity, "[[\(entity.chinese)]]", text: entity.chinese))
                            }
                        } else {
                            sentence.append(random.pick(Self.words))
                        }
                        if w % 15 == 14 { sentence[sentence.count - 1] += "." }
                    }
                    text += sentence.joined(separator: " ").capitalizedFirst + ".\n\n"
                    if paragraph == 1 && section % 2 == 0 {
                        text += "- the *\(random.pick(Self.words))* of the \(random.pick(Self.words))\n- a `[[not-a-reference]]` in code\n- **\(random.pick(Self.words))**\n\n"
                    }
                    if paragraph == 2 && section == 1 {
                        text += "> \"A quotation about the \(random.pick(Self.words)),\" wrote the chronicler.\n\n"
                    }
                }
                if section == 2 && c > 0 {
                    let target = random.int(0..<c)
                    let chapter = flavour == .hugo ? "/chapters/\(fileName(target).dropLast(3))/" : fileName(target)
                    text += "See [an earlier chapter](\(chapter)#section-\(random.int(1..<6))-of-chapter-\(target + 1)) for more.\n\n"
                }
                if section == 3 && c % 10 == 0 {
                    let image = flavour == .hugo ? "/images/plate.svg" : "../images/plate.svg"
                    text += "![A plate of the \(random.pick(Self.words))](\(image) \"Plate \(c + 1)\")\n\n"
                }
                if section == 4 && c % 7 == 0 {
                    text += "```\nraw [[code-block]] text\n```\n\n"
                }
            }
            if flavour == .hugo {
                // The entities the chapter refers to, as taxonomy terms: Hugo lists the chapter on their pages.
                var terms = "weight: \(c + 1)\n"
                for (folder, slugs) in referred.sorted(by: { $0.key < $1.key }) {
                    terms += "\(folder): [" + slugs.sorted().map { "\"\($0)\"" }.joined(separator: ", ") + "]\n"
                }
                text.insert(contentsOf: terms, at: frontMatterEnd)
                bytes += text.utf8.count
                try text.write(to: root.appendingPathComponent("content/chapters/\(fileName(c))"), atomically: false, encoding: .utf8)
            } else {
                bytes += text.utf8.count
                try text.write(to: root.appendingPathComponent("chapters/\(fileName(c))"), atomically: false, encoding: .utf8)
            }
        }
        return bytes
    }

    /// site.yaml, the base map and the image, and the folders of a build-site corpus.
    func writeSiteFiles(to root: URL) throws {
        let fm = FileManager.default
        for folder in ["chapters", "people", "places", "polities", "events", "images", "maps"] {
            try fm.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try "title: A Synthetic History\nsubtitle: \(chapters) chapters, \(entities) entities\nkinds: [polities, events]\nupdated: 2026-01-01\n"
            .write(to: root.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
        try "features:\n  - name: Long River\n    kind: river\n    points: [[30, 100], [32, 105], [31, 110], [33, 115], [31, 121]]\n"
            .write(to: root.appendingPathComponent("maps/base.yaml"), atomically: true, encoding: .utf8)
        try "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 4 3\"><title>Plate</title><rect width=\"4\" height=\"3\"/></svg>\n"
            .write(to: root.appendingPathComponent("images/plate.svg"), atomically: true, encoding: .utf8)
    }

    /// The configuration, templates and image of the Hugo site: taxonomies for the entity kinds (their term pages are
    /// the entity pages), a sitemap, no feeds (Hugo would make one for every section and entity, build-site makes one),
    /// raw HTML off as in build-site. Each chapter lists the entities it refers to, by `site.GetPage` (Hugo 0.111's
    /// `.GetTerms` took half a minute more for 10,000 chapters).
    func writeHugoSite(to root: URL) throws {
        let fm = FileManager.default
        for folder in ["content/chapters", "layouts/_default", "static/images"] {
            try fm.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        let files = [
            "config.toml": """
                baseURL = "/"
                title = "A Synthetic History"
                disableKinds = ["RSS", "robotsTXT"]
                [taxonomies]
                person = "people"
                place = "places"
                polity = "polities"
                event = "events"
                [markup.goldmark.renderer]
                unsafe = false
                [markup.tableOfContents]
                startLevel = 2
                endLevel = 3

                """,
            "content/_index.md": "---\ntitle: \"A Synthetic History\"\n---\n",
            "content/chapters/_index.md": "---\ntitle: \"Chapters\"\n---\n",
            "layouts/_default/baseof.html": """
                <!DOCTYPE html>
                <html lang="en">
                <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <title>{{ .Title }} · {{ .Site.Title }}</title><link rel="stylesheet" href="/style.css"></head>
                <body>
                <header><a href="/">{{ .Site.Title }}</a>
                <nav><a href="/chapters/">Chapters</a> <a href="/people/">People</a> <a href="/places/">Places</a>
                <a href="/polities/">Polities</a> <a href="/events/">Events</a></nav></header>
                <main>{{ block "main" . }}{{ end }}</main>
                </body>
                </html>

                """,
            "layouts/_default/single.html": """
                {{ define "main" }}<article>
                <h1>{{ .Title }}</h1>
                <p class="summary">{{ .Params.summary }}</p><p class="period">{{ .Params.period }}</p>
                <nav class="toc">{{ .TableOfContents }}</nav>
                {{ .Content }}
                <aside><h2>People and places</h2><ul>
                {{ range $taxonomy := (slice "people" "places" "polities" "events") }}{{ range index $.Params $taxonomy }}{{ with site.GetPage (printf "/%s/%s" $taxonomy .) }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}{{ end }}{{ end }}
                </ul></aside>
                <nav class="pager">{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
                {{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
                </article>{{ end }}

                """,
            "layouts/_default/list.html": """
                {{ define "main" }}<h1>{{ .Title }}</h1>
                <ol>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.summary }}</li>{{ end }}</ol>{{ end }}

                """,
            "layouts/_default/terms.html": """
                {{ define "main" }}<h1>{{ .Title }}</h1>
                <ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <span lang="zh">{{ .Params.chinese }}</span></li>{{ end }}</ul>{{ end }}

                """,
            "layouts/_default/term.html": """
                {{ define "main" }}<article>
                <h1>{{ .Title }} <span lang="zh">{{ .Params.chinese }}</span></h1>
                <p>{{ delimit .Params.othernames ", " }}</p><p>{{ .Params.summary }}</p>
                {{ .Content }}
                <h2>Mentioned in</h2>
                <ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
                </article>{{ end }}

                """,
            "static/style.css": "body { max-width: 40em; margin: auto; font-family: serif; }\n",
            "static/images/plate.svg": """
                <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 3"><title>Plate</title><rect width="4" height="3"/></svg>

                """,
        ]
        for (path, text) in files {
            try text.write(to: root.appendingPathComponent(path), atomically: false, encoding: .utf8)
        }
    }

    /// A reference to `entity` as the chapter writes it: `[[…]]` for build-site; for Hugo, the link build-site makes of
    /// it (the text shown and the entity's page).
    func reference(to entity: Entity, _ written: String, text: String) -> String {
        flavour == .hugo ? "[\(text)](/\(entity.folder)/\(entity.slug)/)" : written
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
