/// The values templates see. Built in Swift (lists sorted, hrefs relative), handed over as plain data.
//
// Each context is a `TemplateObject` and answers the names templates use in its own body: `member` (read by the
// compiled renderer, CompiledTemplates, and through PageContexts+Mustache.swift by swift-mustache). The contexts
// every page shows many times also write their text and number members for variable tags themselves
// (`appendMember`, the same names as `member`: `ContextMembersTests` checks the two agree); the others use the
// default, which asks `member`. The classes that are shared between threads are immutable (`let` fields only) and
// `@unchecked Sendable`: a subclass cannot have its sendability checked.

/// A link: text and relative href. (Immutable classes, as are the other list elements below: a list element is
/// handed to the templates as a reference, not copied into a box of its own each time.)
public final class LinkContext: TemplateObject, Equatable, @unchecked Sendable {
    public let title: String
    public let href: String

    public init(title: String, href: String) {
        self.title = title
        self.href = href
    }

    public static func == (a: LinkContext, b: LinkContext) -> Bool { a.title == b.title && a.href == b.href }

    override public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .title: return self.title.asTemplateValue
        case .href: return self.href.asTemplateValue
        default: return .null
        }
    }

    override public func appendMember(_ name: TemplateName, escaped: Bool, to output: inout [UInt8]) -> Bool {
        switch name.key {
        case .title: return TemplateOutput.append(self.title, escaped: escaped, to: &output)
        case .href: return TemplateOutput.append(self.href, escaped: escaped, to: &output)
        default: return TemplateOutput.append(member(name), escaped: escaped, to: &output)
        }
    }
}

/// A navigation entry of the site header.
public final class NavItem: TemplateObject, Equatable, @unchecked Sendable {
    public let label: String
    public let href: String
    /// True on the page (or section) it leads to.
    public let current: Bool

    public init(label: String, href: String, current: Bool) {
        self.label = label
        self.href = href
        self.current = current
    }

    public static func == (a: NavItem, b: NavItem) -> Bool {
        a.label == b.label && a.href == b.href && a.current == b.current
    }

    override public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .label: return self.label.asTemplateValue
        case .href: return self.href.asTemplateValue
        case .current: return self.current.asTemplateValue
        default: return .null
        }
    }

    override public func appendMember(_ name: TemplateName, escaped: Bool, to output: inout [UInt8]) -> Bool {
        switch name.key {
        case .label: return TemplateOutput.append(self.label, escaped: escaped, to: &output)
        case .href: return TemplateOutput.append(self.href, escaped: escaped, to: &output)
        default: return TemplateOutput.append(member(name), escaped: escaped, to: &output)
        }
    }
}

/// What every page template sees. (A class, as is `SiteContext`: a page's templates look `common.…` up some fifty
/// times, and each lookup is handed a reference instead of a box filled field by field.)
public final class CommonContext: TemplateObject {
    /// The book: title, subtitle, author, language.
    public var site: SiteContext
    /// Relative prefix to the output root: `""` or `"../"`.
    public var root: String
    /// The `<title>` text of the page.
    public var pageTitle: String
    /// The page's own title, for the last breadcrumb.
    public var heading: String
    /// `<meta name="description">` text.
    public var description: String
    /// Absolute URL of this page when site.yaml sets `base_url`.
    public var canonical: String?
    /// Header navigation: contents and one entry per entity kind.
    public var nav: [NavItem]
    /// The map, timeline and illustrations pages, when the templates have them.
    public var extras: [NavItem]
    /// The trail from the home page to this page's parent.
    public var breadcrumbs: [LinkContext]
    /// `website` for the home page, `article` for the others (Open Graph).
    public var ogType: String
    /// Href of the search page and of the Atom feed.
    public var searchHref: String
    public var feedHref: String
    /// Href of the whole-book page, when it exists.
    public var bookHref: String?

    public init(site: SiteContext, root: String, pageTitle: String, heading: String, description: String,
                canonical: String?, nav: [NavItem], extras: [NavItem], breadcrumbs: [LinkContext], ogType: String,
                searchHref: String, feedHref: String, bookHref: String?) {
        self.site = site
        self.root = root
        self.pageTitle = pageTitle
        self.heading = heading
        self.description = description
        self.canonical = canonical
        self.nav = nav
        self.extras = extras
        self.breadcrumbs = breadcrumbs
        self.ogType = ogType
        self.searchHref = searchHref
        self.feedHref = feedHref
        self.bookHref = bookHref
    }

    override public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .site: return self.site.asTemplateValue
        case .root: return self.root.asTemplateValue
        case .pageTitle: return self.pageTitle.asTemplateValue
        case .heading: return self.heading.asTemplateValue
        case .description: return self.description.asTemplateValue
        case .canonical: return self.canonical.asTemplateValue
        case .nav: return self.nav.asTemplateValue
        case .extras: return self.extras.asTemplateValue
        case .breadcrumbs: return self.breadcrumbs.asTemplateValue
        case .ogType: return self.ogType.asTemplateValue
        case .searchHref: return self.searchHref.asTemplateValue
        case .feedHref: return self.feedHref.asTemplateValue
        case .bookHref: return self.bookHref.asTemplateValue
        default: return .null
        }
    }

    override public func appendMember(_ name: TemplateName, escaped: Bool, to output: inout [UInt8]) -> Bool {
        switch name.key {
        case .root: return TemplateOutput.append(self.root, escaped: escaped, to: &output)
        case .pageTitle: return TemplateOutput.append(self.pageTitle, escaped: escaped, to: &output)
        case .heading: return TemplateOutput.append(self.heading, escaped: escaped, to: &output)
        case .description: return TemplateOutput.append(self.description, escaped: escaped, to: &output)
        case .canonical: return TemplateOutput.append(self.canonical, escaped: escaped, to: &output)
        case .ogType: return TemplateOutput.append(self.ogType, escaped: escaped, to: &output)
        case .searchHref: return TemplateOutput.append(self.searchHref, escaped: escaped, to: &output)
        case .feedHref: return TemplateOutput.append(self.feedHref, escaped: escaped, to: &output)
        case .bookHref: return TemplateOutput.append(self.bookHref, escaped: escaped, to: &output)
        default: return TemplateOutput.append(member(name), escaped: escaped, to: &output)
        }
    }
}

/// The book's settings as templates see them; immutable, so shared by every page of a build.
public final class SiteContext: TemplateObject, @unchecked Sendable {
    public let title: String
    public let subtitle: String?
    public let author: String?
    public let language: String
    /// Language tag for Han characters.
    public let chineseLanguage: String
    /// Every key of site.yaml.
    public let meta: TemplateFields

    public init(title: String, subtitle: String?, author: String?, language: String, chineseLanguage: String,
                meta: TemplateFields) {
        self.title = title
        self.subtitle = subtitle
        self.author = author
        self.language = language
        self.chineseLanguage = chineseLanguage
        self.meta = meta
    }

    override public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .title: return self.title.asTemplateValue
        case .subtitle: return self.subtitle.asTemplateValue
        case .author: return self.author.asTemplateValue
        case .language: return self.language.asTemplateValue
        case .chineseLanguage: return self.chineseLanguage.asTemplateValue
        case .meta: return self.meta.asTemplateValue
        default: return .null
        }
    }

    override public func appendMember(_ name: TemplateName, escaped: Bool, to output: inout [UInt8]) -> Bool {
        switch name.key {
        case .title: return TemplateOutput.append(self.title, escaped: escaped, to: &output)
        case .subtitle: return TemplateOutput.append(self.subtitle, escaped: escaped, to: &output)
        case .author: return TemplateOutput.append(self.author, escaped: escaped, to: &output)
        case .language: return TemplateOutput.append(self.language, escaped: escaped, to: &output)
        case .chineseLanguage: return TemplateOutput.append(self.chineseLanguage, escaped: escaped, to: &output)
        default: return TemplateOutput.append(member(name), escaped: escaped, to: &output)
        }
    }
}

/// A chapter in a table of contents.
public final class ChapterSummary: TemplateObject {
    public let number: Int
    public let title: String
    public let href: String
    public let summary: String?
    public let period: String?

    public init(number: Int, title: String, href: String, summary: String?, period: String?) {
        self.number = number
        self.title = title
        self.href = href
        self.summary = summary
        self.period = period
    }

    override public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .number: return self.number.asTemplateValue
        case .title: return self.title.asTemplateValue
        case .href: return self.href.asTemplateValue
        case .summary: return self.summary.asTemplateValue
        case .period: return self.period.asTemplateValue
        default: return .null
        }
    }

    override public func appendMember(_ name: TemplateName, escaped: Bool, to output: inout [UInt8]) -> Bool {
        switch name.key {
        case .number: return TemplateOutput.append(self.number, escaped: escaped, to: &output)
        case .title: return TemplateOutput.append(self.title, escaped: escaped, to: &output)
        case .href: return TemplateOutput.append(self.href, escaped: escaped, to: &output)
        case .summary: return TemplateOutput.append(self.summary, escaped: escaped, to: &output)
        case .period: return TemplateOutput.append(self.period, escaped: escaped, to: &output)
        default: return TemplateOutput.append(member(name), escaped: escaped, to: &output)
        }
    }
}

/// An entity in a list.
public final class EntityLink: TemplateObject, @unchecked Sendable {
    public let name: String
    public let chinese: String?
    /// The language tag of `chinese`.
    public let lang: String
    public let href: String
    public let summary: String?
    /// `person`, `place`, …
    public let kind: String

    public init(name: String, chinese: String?, lang: String, href: String, summary: String?, kind: String) {
        self.name = name
        self.chinese = chinese
        self.lang = lang
        self.href = href
        self.summary = summary
        self.kind = kind
    }

    override public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .name: return self.name.asTemplateValue
        case .chinese: return self.chinese.asTemplateValue
        case .lang: return self.lang.asTemplateValue
        case .href: return self.href.asTemplateValue
        case .summary: return self.summary.asTemplateValue
        case .kind: return self.kind.asTemplateValue
        default: return .null
        }
    }

    override public func appendMember(_ name: TemplateName, escaped: Bool, to output: inout [UInt8]) -> Bool {
        // (A link shown on many pages is rendered once and copied: see `keepRenderings`.)
        switch name.key {
        case .name: return TemplateOutput.append(self.name, escaped: escaped, to: &output)
        case .chinese: return TemplateOutput.append(self.chinese, escaped: escaped, to: &output)
        case .lang: return TemplateOutput.append(self.lang, escaped: escaped, to: &output)
        case .href: return TemplateOutput.append(self.href, escaped: escaped, to: &output)
        case .summary: return TemplateOutput.append(self.summary, escaped: escaped, to: &output)
        case .kind: return TemplateOutput.append(self.kind, escaped: escaped, to: &output)
        default: return TemplateOutput.append(member(name), escaped: escaped, to: &output)
        }
    }
}

/// Entities of one kind.
public final class EntityGroup: TemplateObject {
    /// `People`.
    public let label: String
    /// The kind's index page.
    public let href: String
    /// How many entities the group has.
    public let count: Int
    public let entities: [EntityLink]

    public init(label: String, href: String, count: Int, entities: [EntityLink]) {
        self.label = label
        self.href = href
        self.count = count
        self.entities = entities
    }

    override public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .label: return self.label.asTemplateValue
        case .href: return self.href.asTemplateValue
        case .count: return self.count.asTemplateValue
        case .entities: return self.entities.asTemplateValue
        default: return .null
        }
    }

    override public func appendMember(_ name: TemplateName, escaped: Bool, to output: inout [UInt8]) -> Bool {
        switch name.key {
        case .label: return TemplateOutput.append(self.label, escaped: escaped, to: &output)
        case .href: return TemplateOutput.append(self.href, escaped: escaped, to: &output)
        case .count: return TemplateOutput.append(self.count, escaped: escaped, to: &output)
        default: return TemplateOutput.append(member(name), escaped: escaped, to: &output)
        }
    }
}

/// The home page.
public final class HomeContext: TemplateObject {
    public let common: CommonContext
    public let chapters: [ChapterSummary]
    public let kinds: [EntityGroup]

    public init(common: CommonContext, chapters: [ChapterSummary], kinds: [EntityGroup]) {
        self.common = common
        self.chapters = chapters
        self.kinds = kinds
    }

    override public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .common: return self.common.asTemplateValue
        case .chapters: return self.chapters.asTemplateValue
        case .kinds: return self.kinds.asTemplateValue
        default: return .null
        }
    }
}

/// A section in a chapter's contents list.
public final class SectionLink: TemplateObject {
    public let title: String
    public let href: String
    public let level: Int
    /// True for headings below level 2, indented in the list.
    public let nested: Bool

    public init(title: String, href: String, level: Int, nested: Bool) {
        self.title = title
        self.href = href
        self.level = level
        self.nested = nested
    }

    override public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .title: return self.title.asTemplateValue
        case .href: return self.href.asTemplateValue
        case .level: return self.level.asTemplateValue
        case .nested: return self.nested.asTemplateValue
        default: return .null
        }
    }

    override public func appendMember(_ name: TemplateName, escaped: Bool, to output: inout [UInt8]) -> Bool {
        switch name.key {
        case .title: return TemplateOutput.append(self.title, escaped: escaped, to: &output)
        case .href: return TemplateOutput.append(self.href, escaped: escaped, to: &output)
        case .level: return TemplateOutput.append(self.level, escaped: escaped, to: &output)
        default: return TemplateOutput.append(member(name), escaped: escaped, to: &output)
        }
    }
}

/// A chapter page.
public final class ChapterContext: TemplateObject {
    public let common: CommonContext
    public let number: Int
    public let title: String
    public let period: String?
    public let summary: String?
    public let body: RawHTML
    public let sections: [SectionLink]
    public let previous: LinkContext?
    public let next: LinkContext?
    /// The entities the chapter refers to, by kind.
    public let references: [EntityGroup]
    /// The chapter's map, a numbered figure.
    public let map: SVGFigure?
    /// The armies drawn on the map.
    public let armies: [ArmyContext]
    /// Where the chapter sits in the book.
    public let progress: ProgressContext
    /// Every front-matter key.
    public let meta: TemplateFields

    public init(common: CommonContext, number: Int, title: String, period: String?, summary: String?, body: RawHTML,
                sections: [SectionLink], previous: LinkContext?, next: LinkContext?, references: [EntityGroup],
                map: SVGFigure?, armies: [ArmyContext], progress: ProgressContext, meta: TemplateFields) {
        self.common = common
        self.number = number
        self.title = title
        self.period = period
        self.summary = summary
        self.body = body
        self.sections = sections
        self.previous = previous
        self.next = next
        self.references = references
        self.map = map
        self.armies = armies
        self.progress = progress
        self.meta = meta
    }

    override public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .common: return self.common.asTemplateValue
        case .number: return self.number.asTemplateValue
        case .title: return self.title.asTemplateValue
        case .period: return self.period.asTemplateValue
        case .summary: return self.summary.asTemplateValue
        case .body: return self.body.asTemplateValue
        case .sections: return self.sections.asTemplateValue
        case .previous: return self.previous.asTemplateValue
        case .next: return self.next.asTemplateValue
        case .references: return self.references.asTemplateValue
        case .map: return self.map.asTemplateValue
        case .armies: return self.armies.asTemplateValue
        case .progress: return self.progress.asTemplateValue
        case .meta: return self.meta.asTemplateValue
        default: return .null
        }
    }

    override public func appendMember(_ name: TemplateName, escaped: Bool, to output: inout [UInt8]) -> Bool {
        switch name.key {
        case .number: return TemplateOutput.append(self.number, escaped: escaped, to: &output)
        case .title: return TemplateOutput.append(self.title, escaped: escaped, to: &output)
        case .period: return TemplateOutput.append(self.period, escaped: escaped, to: &output)
        case .summary: return TemplateOutput.append(self.summary, escaped: escaped, to: &output)
        case .body: return TemplateOutput.append(self.body, escaped: escaped, to: &output)
        default: return TemplateOutput.append(member(name), escaped: escaped, to: &output)
        }
    }
}

/// One section of a chapter that refers to an entity, with the sentences: read from the chapter's backlink entry
/// (`Backlinks.SectionList`) where it lies. It holds only the chapter and a position, made when a template reaches
/// it: a large book's entity pages show hundreds of thousands of sections, and making each with copies of its
/// heading's title and id and of its sentences, before rendering, was most of making those pages.
public final class BacklinkSection: TemplateObject {
    let chapter: BacklinkChapter
    let index: Int

    init(chapter: BacklinkChapter, index: Int) {
        self.chapter = chapter
        self.index = index
    }

    /// The heading's title ("Opening" before the first heading).
    public var title: String { chapter.entries.headingTitle(index).map(chapter.entries.string) ?? "Opening" }
    /// The chapter's href, with `#id` of the heading when there is one.
    public var href: String {
        chapter.entries.headingID(index).map { chapter.href + "#" + chapter.entries.string($0) } ?? chapter.href
    }
    /// The sentences around the references.
    public var snippets: [String] { chapter.entries[index].snippets }

    override public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .title: return self.title.asTemplateValue
        case .href: return self.href.asTemplateValue
        case .snippets: return .list(self)
        default: return .null
        }
    }

    override public func appendMember(_ name: TemplateName, escaped: Bool, to output: inout [UInt8]) -> Bool {
        // Written from the bytes where they lie.
        let entries = chapter.entries
        switch name.key {
        case .title:
            guard let title = entries.headingTitle(index) else {
                return TemplateOutput.append("Opening", escaped: escaped, to: &output)
            }
            return TemplateOutput.append(TemplateText(entries.bytes, title), escaped: escaped, to: &output)
        case .href:
            _ = TemplateOutput.append(chapter.href, escaped: escaped, to: &output)
            if let fragment = entries.headingID(index) {
                output.append(UInt8(ascii: "#"))
                _ = TemplateOutput.append(TemplateText(entries.bytes, fragment), escaped: escaped, to: &output)
            }
            return true
        default: return TemplateOutput.append(member(name), escaped: escaped, to: &output)
        }
    }
}

/// One chapter that refers to an entity. An object, as are the other elements of long lists: an element is handed
/// to the template as a reference, not copied into a box field by field.
public final class BacklinkChapter: TemplateObject {
    public let number: Int
    public let title: String
    public let href: String
    /// The chapter's sections that refer to the entity, as the backlinks hold them.
    let entries: Backlinks.SectionList

    public init(number: Int, title: String, href: String, sections: Backlinks.SectionList) {
        self.number = number
        self.title = title
        self.href = href
        self.entries = sections
    }

    /// The sections.
    public var sections: [BacklinkSection] { (0..<entries.count).map { BacklinkSection(chapter: self, index: $0) } }

    override public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .number: return self.number.asTemplateValue
        case .title: return self.title.asTemplateValue
        case .href: return self.href.asTemplateValue
        case .sections: return .list(self)
        default: return .null
        }
    }

    override public func appendMember(_ name: TemplateName, escaped: Bool, to output: inout [UInt8]) -> Bool {
        switch name.key {
        case .number: return TemplateOutput.append(self.number, escaped: escaped, to: &output)
        case .title: return TemplateOutput.append(self.title, escaped: escaped, to: &output)
        case .href: return TemplateOutput.append(self.href, escaped: escaped, to: &output)
        default: return TemplateOutput.append(member(name), escaped: escaped, to: &output)
        }
    }
}

/// A backlink chapter is also the list of its sections, and a section the list of its sentences, as templates
/// iterate over them (`{{#sections}}`, `{{#snippets}}`): no list object is made for each of a large book's hundreds
/// of thousands.
extension BacklinkChapter: TemplateList {
    public var count: Int { entries.count }
    public func element(_ index: Int) -> TemplateValue { .object(BacklinkSection(chapter: self, index: index)) }
    public var listDescription: String { String(describing: sections) }
    public var mustacheArray: Any { sections }
}

extension BacklinkSection: TemplateList {
    public var count: Int { chapter.entries.snippetCount(index) }
    public func element(_ number: Int) -> TemplateValue {
        .text(TemplateText(chapter.entries.bytes, chapter.entries.snippet(number, of: index)))
    }
    public var listDescription: String { String(describing: snippets) }
    public var mustacheArray: Any { snippets }
}

/// An entity page.
public final class EntityContext: TemplateObject {
    public let common: CommonContext
    /// `person`.
    public let kind: String
    /// `People`, with `kindHref` its index page.
    public let kindLabel: String
    public let kindHref: String
    public let name: String
    public let chinese: String?
    public let aliases: [String]
    public let summary: String?
    public let facts: [FactContext]
    public let body: RawHTML
    public let backlinks: [BacklinkChapter]
    /// A small map locating a place.
    public let locator: SVGFigure?
    /// A person's life against the book's events.
    public let lifeline: SVGFigure?
    /// Every front-matter key.
    public let meta: TemplateFields

    public init(common: CommonContext, kind: String, kindLabel: String, kindHref: String, name: String,
                chinese: String?, aliases: [String], summary: String?, facts: [FactContext], body: RawHTML,
                backlinks: [BacklinkChapter], locator: SVGFigure?, lifeline: SVGFigure?, meta: TemplateFields) {
        self.common = common
        self.kind = kind
        self.kindLabel = kindLabel
        self.kindHref = kindHref
        self.name = name
        self.chinese = chinese
        self.aliases = aliases
        self.summary = summary
        self.facts = facts
        self.body = body
        self.backlinks = backlinks
        self.locator = locator
        self.lifeline = lifeline
        self.meta = meta
    }

    override public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .common: return self.common.asTemplateValue
        case .kind: return self.kind.asTemplateValue
        case .kindLabel: return self.kindLabel.asTemplateValue
        case .kindHref: return self.kindHref.asTemplateValue
        case .name: return self.name.asTemplateValue
        case .chinese: return self.chinese.asTemplateValue
        case .aliases: return self.aliases.asTemplateValue
        case .summary: return self.summary.asTemplateValue
        case .facts: return self.facts.asTemplateValue
        case .body: return self.body.asTemplateValue
        case .backlinks: return self.backlinks.asTemplateValue
        case .locator: return self.locator.asTemplateValue
        case .lifeline: return self.lifeline.asTemplateValue
        case .meta: return self.meta.asTemplateValue
        default: return .null
        }
    }

    override public func appendMember(_ name: TemplateName, escaped: Bool, to output: inout [UInt8]) -> Bool {
        switch name.key {
        case .kind: return TemplateOutput.append(self.kind, escaped: escaped, to: &output)
        case .kindLabel: return TemplateOutput.append(self.kindLabel, escaped: escaped, to: &output)
        case .kindHref: return TemplateOutput.append(self.kindHref, escaped: escaped, to: &output)
        case .name: return TemplateOutput.append(self.name, escaped: escaped, to: &output)
        case .chinese: return TemplateOutput.append(self.chinese, escaped: escaped, to: &output)
        case .summary: return TemplateOutput.append(self.summary, escaped: escaped, to: &output)
        case .body: return TemplateOutput.append(self.body, escaped: escaped, to: &output)
        default: return TemplateOutput.append(member(name), escaped: escaped, to: &output)
        }
    }
}

/// Entities under one initial letter.
public final class LetterGroup: TemplateObject {
    public let letter: String
    public var entities: [EntityLink]

    public init(letter: String, entities: [EntityLink]) {
        self.letter = letter
        self.entities = entities
    }

    override public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .letter: return self.letter.asTemplateValue
        case .entities: return self.entities.asTemplateValue
        default: return .null
        }
    }
}

/// The index page of one kind.
public final class KindIndexContext: TemplateObject {
    public let common: CommonContext
    public let label: String
    public let kind: String
    public let count: Int
    public let letters: [LetterGroup]

    public init(common: CommonContext, label: String, kind: String, count: Int, letters: [LetterGroup]) {
        self.common = common
        self.label = label
        self.kind = kind
        self.count = count
        self.letters = letters
    }

    override public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .common: return self.common.asTemplateValue
        case .label: return self.label.asTemplateValue
        case .kind: return self.kind.asTemplateValue
        case .count: return self.count.asTemplateValue
        case .letters: return self.letters.asTemplateValue
        default: return .null
        }
    }
}

/// The 404 page.
public final class NotFoundContext: TemplateObject {
    public let common: CommonContext

    public init(common: CommonContext) {
        self.common = common
    }

    override public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .common: return self.common.asTemplateValue
        default: return .null
        }
    }
}

/// A drawn figure: inline SVG with its number and caption.
public final class SVGFigure: TemplateObject {
    /// Number across the book, when numbered.
    public let number: Int?
    /// Element id, for links.
    public let id: String
    public let caption: String
    /// The SVG markup (already escaped where needed).
    public let svg: String

    public init(number: Int?, id: String, caption: String, svg: String) {
        self.number = number
        self.id = id
        self.caption = caption
        self.svg = svg
    }

    override public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .number: return self.number.asTemplateValue
        case .id: return self.id.asTemplateValue
        case .caption: return self.caption.asTemplateValue
        case .svg: return self.svg.asTemplateValue
        default: return .null
        }
    }

    override public func appendMember(_ name: TemplateName, escaped: Bool, to output: inout [UInt8]) -> Bool {
        switch name.key {
        case .id: return TemplateOutput.append(self.id, escaped: escaped, to: &output)
        case .caption: return TemplateOutput.append(self.caption, escaped: escaped, to: &output)
        case .svg: return TemplateOutput.append(self.svg, escaped: escaped, to: &output)
        default: return TemplateOutput.append(member(name), escaped: escaped, to: &output)
        }
    }
}

/// One army of a chapter, as listed under its map.
public final class ArmyContext: TemplateObject {
    public let name: String
    public let commanders: [LinkContext]
    /// `Start → A → B`.
    public let route: String
    public let outcome: String?

    public init(name: String, commanders: [LinkContext], route: String, outcome: String?) {
        self.name = name
        self.commanders = commanders
        self.route = route
        self.outcome = outcome
    }

    override public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .name: return self.name.asTemplateValue
        case .commanders: return self.commanders.asTemplateValue
        case .route: return self.route.asTemplateValue
        case .outcome: return self.outcome.asTemplateValue
        default: return .null
        }
    }
}

/// The book map page and the timeline page.
public final class IllustrationPageContext: TemplateObject {
    public let common: CommonContext
    public let title: String
    public let introduction: String
    public let figure: SVGFigure

    public init(common: CommonContext, title: String, introduction: String, figure: SVGFigure) {
        self.common = common
        self.title = title
        self.introduction = introduction
        self.figure = figure
    }

    override public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .common: return self.common.asTemplateValue
        case .title: return self.title.asTemplateValue
        case .introduction: return self.introduction.asTemplateValue
        case .figure: return self.figure.asTemplateValue
        default: return .null
        }
    }
}

/// One entry of the list of illustrations.
public final class FigureEntry: TemplateObject {
    public let label: String
    public let caption: String
    public let href: String
    /// The chapter the figure is in, if any.
    public let chapter: String?

    public init(label: String, caption: String, href: String, chapter: String?) {
        self.label = label
        self.caption = caption
        self.href = href
        self.chapter = chapter
    }

    override public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .label: return self.label.asTemplateValue
        case .caption: return self.caption.asTemplateValue
        case .href: return self.href.asTemplateValue
        case .chapter: return self.chapter.asTemplateValue
        default: return .null
        }
    }
}

/// The list of illustrations.
public final class IllustrationsListContext: TemplateObject {
    public let common: CommonContext
    public let entries: [FigureEntry]

    public init(common: CommonContext, entries: [FigureEntry]) {
        self.common = common
        self.entries = entries
    }

    override public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .common: return self.common.asTemplateValue
        case .entries: return self.entries.asTemplateValue
        default: return .null
        }
    }
}

/// A chapter's place in the book, for the progress line.
public final class ProgressContext: TemplateObject {
    public let number: Int
    public let total: Int
    /// Width of the filled part, as a CSS percentage: `37.5%`.
    public let percent: String

    public init(number: Int, total: Int, percent: String) {
        self.number = number
        self.total = total
        self.percent = percent
    }

    override public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .number: return self.number.asTemplateValue
        case .total: return self.total.asTemplateValue
        case .percent: return self.percent.asTemplateValue
        default: return .null
        }
    }

    override public func appendMember(_ name: TemplateName, escaped: Bool, to output: inout [UInt8]) -> Bool {
        switch name.key {
        case .number: return TemplateOutput.append(self.number, escaped: escaped, to: &output)
        case .total: return TemplateOutput.append(self.total, escaped: escaped, to: &output)
        case .percent: return TemplateOutput.append(self.percent, escaped: escaped, to: &output)
        default: return TemplateOutput.append(member(name), escaped: escaped, to: &output)
        }
    }
}

/// The search page.
public final class SearchContext: TemplateObject {
    public let common: CommonContext

    public init(common: CommonContext) {
        self.common = common
    }

    override public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .common: return self.common.asTemplateValue
        default: return .null
        }
    }
}

/// One chapter on the whole-book page.
public final class BookChapter: TemplateObject {
    /// Anchor of the chapter's start on the page.
    public let anchor: String
    public let number: Int
    public let title: String
    public let period: String?
    public let summary: String?
    public let map: SVGFigure?
    public let body: String

    public init(anchor: String, number: Int, title: String, period: String?, summary: String?, map: SVGFigure?,
                body: String) {
        self.anchor = anchor
        self.number = number
        self.title = title
        self.period = period
        self.summary = summary
        self.map = map
        self.body = body
    }

    override public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .anchor: return self.anchor.asTemplateValue
        case .number: return self.number.asTemplateValue
        case .title: return self.title.asTemplateValue
        case .period: return self.period.asTemplateValue
        case .summary: return self.summary.asTemplateValue
        case .map: return self.map.asTemplateValue
        case .body: return self.body.asTemplateValue
        default: return .null
        }
    }
}

/// The whole book on one page, for printing or saving as PDF.
public final class BookContext: TemplateObject {
    public let common: CommonContext
    public let chapters: [BookChapter]

    public init(common: CommonContext, chapters: [BookChapter]) {
        self.common = common
        self.chapters = chapters
    }

    override public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .common: return self.common.asTemplateValue
        case .chapters: return self.chapters.asTemplateValue
        default: return .null
        }
    }
}

/// A labelled fact of an entity page ("Born: 1021"), as templates see it (the page's `Fact`, in the linking layer,
/// shown through a context as every template object is).
public final class FactContext: TemplateObject, @unchecked Sendable {
    public let fact: Fact

    public init(_ fact: Fact) {
        self.fact = fact
    }

    override public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .label: return fact.label.asTemplateValue
        case .value: return fact.value.asTemplateValue
        default: return .null
        }
    }
}
