import Foundation

/// Writes a deterministic synthetic history: `chapters` chapters of realistic Markdown and `entities` entities
/// (people, places, polities, events), with about twenty references per chapter in every form.
struct CorpusGenerator {
    let chapters: Int
    let entities: Int
    let seed: UInt64

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
        for folder in ["chapters", "people", "places", "polities", "events", "images", "maps"] {
            try fm.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try "title: A Synthetic History\nsubtitle: \(chapters) chapters, \(entities) entities\nkinds: [polities, events]\nupdated: 2026-01-01\n"
            .write(to: root.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
        try "features:\n  - name: Long River\n    kind: river\n    points: [[30, 100], [32, 105], [31, 110], [33, 115], [31, 121]]\n"
            .write(to: root.appendingPathComponent("maps/base.yaml"), atomically: true, encoding: .utf8)
        try "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 4 3\"><title>Plate</title><rect width=\"4\" height=\"3\"/></svg>\n"
            .write(to: root.appendingPathComponent("images/plate.svg"), atomically: true, encoding: .utf8)

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
            var text = "---\nname: \"\(entity.name)\"\naliases: [\"\(entity.alias)\"]\nchinese: \"\(entity.chinese)\"\n"
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
            text += "---\nA short body mentioning [[\(random.pick(all).slug)]].\n"
            try text.write(to: root.appendingPathComponent("\(entity.folder)/\(entity.slug).md"), atomically: false, encoding: .utf8)
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
            text += "summary: \"What happened to the \(random.pick(Self.words)) in \(year).\"\nperiod: \"\(year)–\(year + random.int(0..<5))\"\n---\n"
            var owed = stride(from: c, to: all.count, by: max(chapters, 1)).map { all[$0] }
            for section in 0..<5 {
                text += "\n## Section \(section + 1) of chapter \(c + 1)\n\n"
                for paragraph in 0..<4 {
                    var sentence: [String] = []
                    // One reference per paragraph: twenty per chapter, as issue #6 specifies the corpus.
                    for w in 0..<random.int(50..<75) {
                        if w == 25 {
                            let entity = owed.popLast() ?? random.pick(all)
                            switch random.int(0..<5) {
                            case 0: sentence.append("[[\(entity.slug)]]")
                            case 1: sentence.append("[[\(entity.name)]]")
                            case 2: sentence.append("[[\(entity.alias)]]")
                            case 3: sentence.append("[[\(entity.slug)|the \(random.pick(Self.words))]]")
                            default: sentence.append("[[\(entity.chinese)]]")
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
                    text += "See [an earlier chapter](\(fileName(target))#section-\(random.int(1..<6))-of-chapter-\(target + 1)) for more.\n\n"
                }
                if section == 3 && c % 10 == 0 {
                    text += "![A plate of the \(random.pick(Self.words))](../images/plate.svg \"Plate \(c + 1)\")\n\n"
                }
                if section == 4 && c % 7 == 0 {
                    text += "```\nraw [[code-block]] text\n```\n\n"
                }
            }
            bytes += text.utf8.count
            try text.write(to: root.appendingPathComponent("chapters/\(fileName(c))"), atomically: false, encoding: .utf8)
        }
        return bytes
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
