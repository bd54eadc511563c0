import Mustache

// Fast member lookup for swift-mustache: without these, every tag in a template is looked up through Mirror,
// which was measured at about two thirds of the build time on a 1,000-chapter book. Keep in step with
// PageContexts.swift (TemplateSetTests renders every template against full contexts).

extension LinkContext: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "title": return self.title
        case "href": return self.href
        default: return nil
        }
    }
}

extension NavItem: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "label": return self.label
        case "href": return self.href
        case "current": return self.current
        default: return nil
        }
    }
}

extension CommonContext: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "site": return self.site
        case "root": return self.root
        case "pageTitle": return self.pageTitle
        case "heading": return self.heading
        case "description": return self.description
        case "canonical": return self.canonical
        case "nav": return self.nav
        case "extras": return self.extras
        case "breadcrumbs": return self.breadcrumbs
        case "ogType": return self.ogType
        case "searchHref": return self.searchHref
        case "feedHref": return self.feedHref
        case "bookHref": return self.bookHref
        default: return nil
        }
    }
}

extension SiteContext: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "title": return self.title
        case "subtitle": return self.subtitle
        case "author": return self.author
        case "language": return self.language
        case "chineseLanguage": return self.chineseLanguage
        case "meta": return self.meta
        default: return nil
        }
    }
}

extension ChapterSummary: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "number": return self.number
        case "title": return self.title
        case "href": return self.href
        case "summary": return self.summary
        case "period": return self.period
        default: return nil
        }
    }
}

extension EntityLink: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "name": return self.name
        case "chinese": return self.chinese
        case "lang": return self.lang
        case "href": return self.href
        case "summary": return self.summary
        case "kind": return self.kind
        default: return nil
        }
    }
}

extension EntityGroup: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "label": return self.label
        case "href": return self.href
        case "count": return self.count
        case "entities": return self.entities
        default: return nil
        }
    }
}

extension HomeContext: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "common": return self.common
        case "chapters": return self.chapters
        case "kinds": return self.kinds
        default: return nil
        }
    }
}

extension SectionLink: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "title": return self.title
        case "href": return self.href
        case "level": return self.level
        case "nested": return self.nested
        default: return nil
        }
    }
}

extension ChapterContext: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "common": return self.common
        case "number": return self.number
        case "title": return self.title
        case "period": return self.period
        case "summary": return self.summary
        case "body": return self.body
        case "sections": return self.sections
        case "previous": return self.previous
        case "next": return self.next
        case "references": return self.references
        case "map": return self.map
        case "armies": return self.armies
        case "progress": return self.progress
        case "meta": return self.meta
        default: return nil
        }
    }
}

extension BacklinkSection: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "title": return self.title
        case "href": return self.href
        case "snippets": return self.snippets
        default: return nil
        }
    }
}

extension BacklinkChapter: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "number": return self.number
        case "title": return self.title
        case "href": return self.href
        case "sections": return self.sections
        default: return nil
        }
    }
}

extension EntityContext: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "common": return self.common
        case "kind": return self.kind
        case "kindLabel": return self.kindLabel
        case "kindHref": return self.kindHref
        case "name": return self.name
        case "chinese": return self.chinese
        case "aliases": return self.aliases
        case "summary": return self.summary
        case "facts": return self.facts
        case "body": return self.body
        case "backlinks": return self.backlinks
        case "locator": return self.locator
        case "lifeline": return self.lifeline
        case "meta": return self.meta
        default: return nil
        }
    }
}

extension LetterGroup: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "letter": return self.letter
        case "entities": return self.entities
        default: return nil
        }
    }
}

extension KindIndexContext: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "common": return self.common
        case "label": return self.label
        case "kind": return self.kind
        case "count": return self.count
        case "letters": return self.letters
        default: return nil
        }
    }
}

extension NotFoundContext: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "common": return self.common
        default: return nil
        }
    }
}

extension SVGFigure: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "number": return self.number
        case "id": return self.id
        case "caption": return self.caption
        case "svg": return self.svg
        default: return nil
        }
    }
}

extension ArmyContext: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "name": return self.name
        case "commanders": return self.commanders
        case "route": return self.route
        case "outcome": return self.outcome
        default: return nil
        }
    }
}

extension IllustrationPageContext: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "common": return self.common
        case "title": return self.title
        case "introduction": return self.introduction
        case "figure": return self.figure
        default: return nil
        }
    }
}

extension FigureEntry: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "label": return self.label
        case "caption": return self.caption
        case "href": return self.href
        case "chapter": return self.chapter
        default: return nil
        }
    }
}

extension IllustrationsListContext: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "common": return self.common
        case "entries": return self.entries
        default: return nil
        }
    }
}

extension ProgressContext: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "number": return self.number
        case "total": return self.total
        case "percent": return self.percent
        default: return nil
        }
    }
}

extension SearchContext: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "common": return self.common
        default: return nil
        }
    }
}

extension BookChapter: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "anchor": return self.anchor
        case "number": return self.number
        case "title": return self.title
        case "period": return self.period
        case "summary": return self.summary
        case "map": return self.map
        case "body": return self.body
        default: return nil
        }
    }
}

extension BookContext: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "common": return self.common
        case "chapters": return self.chapters
        default: return nil
        }
    }
}

extension Fact: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "label": return self.label
        case "value": return self.value
        default: return nil
        }
    }
}

extension TemplateFields: MustacheParent {
    public func child(named name: String) -> Any? { value(name)?.mustacheValue }
}
