/// The values templates see. Built in Swift (lists sorted, hrefs relative), handed over as plain data.

/// A link: text and relative href. (Immutable classes, as are the other list elements below: a list element is
/// handed to the templates as a reference, not copied into a box of its own each time.)
public final class LinkContext: Equatable, Sendable {
    public let title: String
    public let href: String

    public init(title: String, href: String) {
        self.title = title
        self.href = href
    }

    public static func == (a: LinkContext, b: LinkContext) -> Bool { a.title == b.title && a.href == b.href }
}

/// A navigation entry of the site header.
public final class NavItem: Equatable, Sendable {
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
}

/// What every page template sees. (A class, as is `SiteContext`: a page's templates look `common.…` up some fifty
/// times, and each lookup is handed a reference instead of a box filled field by field.)
public final class CommonContext {
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
}

/// The book's settings as templates see them; immutable, so shared by every page of a build.
public final class SiteContext: Sendable {
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
}

/// A chapter in a table of contents.
public final class ChapterSummary {
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
}

/// An entity in a list.
public final class EntityLink: Sendable {
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
}

/// Entities of one kind.
public final class EntityGroup {
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
}

/// The home page.
public final class HomeContext {
    public let common: CommonContext
    public let chapters: [ChapterSummary]
    public let kinds: [EntityGroup]

    public init(common: CommonContext, chapters: [ChapterSummary], kinds: [EntityGroup]) {
        self.common = common
        self.chapters = chapters
        self.kinds = kinds
    }
}

/// A section in a chapter's contents list.
public final class SectionLink {
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
}

/// A chapter page.
public final class ChapterContext {
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
}

/// One section of a chapter that refers to an entity, with the sentences: read from the chapter's backlink entry
/// (`Backlinks.SectionList`) where it lies. It holds only the chapter and a position, made when a template reaches
/// it: a large book's entity pages show hundreds of thousands of sections, and making each with copies of its
/// heading's title and id and of its sentences, before rendering, was most of making those pages.
public final class BacklinkSection {
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
}

/// One chapter that refers to an entity. An object, as are the other elements of long lists: an element is handed
/// to the template as a reference, not copied into a box field by field.
public final class BacklinkChapter {
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
public final class EntityContext {
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
    public let facts: [Fact]
    public let body: RawHTML
    public let backlinks: [BacklinkChapter]
    /// A small map locating a place.
    public let locator: SVGFigure?
    /// A person's life against the book's events.
    public let lifeline: SVGFigure?
    /// Every front-matter key.
    public let meta: TemplateFields

    public init(common: CommonContext, kind: String, kindLabel: String, kindHref: String, name: String,
                chinese: String?, aliases: [String], summary: String?, facts: [Fact], body: RawHTML,
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
}

/// Entities under one initial letter.
public final class LetterGroup {
    public let letter: String
    public var entities: [EntityLink]

    public init(letter: String, entities: [EntityLink]) {
        self.letter = letter
        self.entities = entities
    }
}

/// The index page of one kind.
public final class KindIndexContext {
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
}

/// The 404 page.
public final class NotFoundContext {
    public let common: CommonContext

    public init(common: CommonContext) {
        self.common = common
    }
}

/// A drawn figure: inline SVG with its number and caption.
public final class SVGFigure {
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
}

/// One army of a chapter, as listed under its map.
public final class ArmyContext {
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
}

/// The book map page and the timeline page.
public final class IllustrationPageContext {
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
}

/// One entry of the list of illustrations.
public final class FigureEntry {
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
}

/// The list of illustrations.
public final class IllustrationsListContext {
    public let common: CommonContext
    public let entries: [FigureEntry]

    public init(common: CommonContext, entries: [FigureEntry]) {
        self.common = common
        self.entries = entries
    }
}

/// A chapter's place in the book, for the progress line.
public final class ProgressContext {
    public let number: Int
    public let total: Int
    /// Width of the filled part, as a CSS percentage: `37.5%`.
    public let percent: String

    public init(number: Int, total: Int, percent: String) {
        self.number = number
        self.total = total
        self.percent = percent
    }
}

/// The search page.
public final class SearchContext {
    public let common: CommonContext

    public init(common: CommonContext) {
        self.common = common
    }
}

/// One chapter on the whole-book page.
public final class BookChapter {
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
}

/// The whole book on one page, for printing or saving as PDF.
public final class BookContext {
    public let common: CommonContext
    public let chapters: [BookChapter]

    public init(common: CommonContext, chapters: [BookChapter]) {
        self.common = common
        self.chapters = chapters
    }
}
