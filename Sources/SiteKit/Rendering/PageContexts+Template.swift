// The members of the page contexts, by the names templates use: read by the compiled renderer (CompiledTemplates)
// and, through PageContexts+Mustache.swift, by swift-mustache. The contexts every page shows many times also write
// their text and number members for variable tags themselves (`appendMember`, the same names as `member`:
// `ContextMembersTests` checks the two agree); the others use the default, which asks `member`.

extension LinkContext: TemplateObject {
    public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .title: return self.title.asTemplateValue
        case .href: return self.href.asTemplateValue
        default: return .null
        }
    }

    public func appendMember(_ name: TemplateName, escaped: Bool, to output: inout [UInt8]) -> Bool {
        switch name.key {
        case .title: return TemplateOutput.append(self.title, escaped: escaped, to: &output)
        case .href: return TemplateOutput.append(self.href, escaped: escaped, to: &output)
        default: return TemplateOutput.append(member(name), escaped: escaped, to: &output)
        }
    }
}

extension NavItem: TemplateObject {
    public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .label: return self.label.asTemplateValue
        case .href: return self.href.asTemplateValue
        case .current: return self.current.asTemplateValue
        default: return .null
        }
    }

    public func appendMember(_ name: TemplateName, escaped: Bool, to output: inout [UInt8]) -> Bool {
        switch name.key {
        case .label: return TemplateOutput.append(self.label, escaped: escaped, to: &output)
        case .href: return TemplateOutput.append(self.href, escaped: escaped, to: &output)
        default: return TemplateOutput.append(member(name), escaped: escaped, to: &output)
        }
    }
}

extension CommonContext: TemplateObject {
    public func member(_ name: TemplateName) -> TemplateValue {
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

    public func appendMember(_ name: TemplateName, escaped: Bool, to output: inout [UInt8]) -> Bool {
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

extension SiteContext: TemplateObject {
    public func member(_ name: TemplateName) -> TemplateValue {
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

    public func appendMember(_ name: TemplateName, escaped: Bool, to output: inout [UInt8]) -> Bool {
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

extension ChapterSummary: TemplateObject {
    public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .number: return self.number.asTemplateValue
        case .title: return self.title.asTemplateValue
        case .href: return self.href.asTemplateValue
        case .summary: return self.summary.asTemplateValue
        case .period: return self.period.asTemplateValue
        default: return .null
        }
    }

    public func appendMember(_ name: TemplateName, escaped: Bool, to output: inout [UInt8]) -> Bool {
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

extension EntityLink: TemplateObject {
    public func member(_ name: TemplateName) -> TemplateValue {
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

    public func appendMember(_ name: TemplateName, escaped: Bool, to output: inout [UInt8]) -> Bool {
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

extension EntityGroup: TemplateObject {
    public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .label: return self.label.asTemplateValue
        case .href: return self.href.asTemplateValue
        case .count: return self.count.asTemplateValue
        case .entities: return self.entities.asTemplateValue
        default: return .null
        }
    }

    public func appendMember(_ name: TemplateName, escaped: Bool, to output: inout [UInt8]) -> Bool {
        switch name.key {
        case .label: return TemplateOutput.append(self.label, escaped: escaped, to: &output)
        case .href: return TemplateOutput.append(self.href, escaped: escaped, to: &output)
        case .count: return TemplateOutput.append(self.count, escaped: escaped, to: &output)
        default: return TemplateOutput.append(member(name), escaped: escaped, to: &output)
        }
    }
}

extension HomeContext: TemplateObject {
    public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .common: return self.common.asTemplateValue
        case .chapters: return self.chapters.asTemplateValue
        case .kinds: return self.kinds.asTemplateValue
        default: return .null
        }
    }
}

extension SectionLink: TemplateObject {
    public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .title: return self.title.asTemplateValue
        case .href: return self.href.asTemplateValue
        case .level: return self.level.asTemplateValue
        case .nested: return self.nested.asTemplateValue
        default: return .null
        }
    }

    public func appendMember(_ name: TemplateName, escaped: Bool, to output: inout [UInt8]) -> Bool {
        switch name.key {
        case .title: return TemplateOutput.append(self.title, escaped: escaped, to: &output)
        case .href: return TemplateOutput.append(self.href, escaped: escaped, to: &output)
        case .level: return TemplateOutput.append(self.level, escaped: escaped, to: &output)
        default: return TemplateOutput.append(member(name), escaped: escaped, to: &output)
        }
    }
}

extension ChapterContext: TemplateObject {
    public func member(_ name: TemplateName) -> TemplateValue {
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

    public func appendMember(_ name: TemplateName, escaped: Bool, to output: inout [UInt8]) -> Bool {
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

extension BacklinkSection: TemplateObject {
    public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .title: return self.title.asTemplateValue
        case .href: return self.href.asTemplateValue
        case .snippets: return .list(self)
        default: return .null
        }
    }

    public func appendMember(_ name: TemplateName, escaped: Bool, to output: inout [UInt8]) -> Bool {
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

extension BacklinkChapter: TemplateObject {
    public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .number: return self.number.asTemplateValue
        case .title: return self.title.asTemplateValue
        case .href: return self.href.asTemplateValue
        case .sections: return .list(self)
        default: return .null
        }
    }

    public func appendMember(_ name: TemplateName, escaped: Bool, to output: inout [UInt8]) -> Bool {
        switch name.key {
        case .number: return TemplateOutput.append(self.number, escaped: escaped, to: &output)
        case .title: return TemplateOutput.append(self.title, escaped: escaped, to: &output)
        case .href: return TemplateOutput.append(self.href, escaped: escaped, to: &output)
        default: return TemplateOutput.append(member(name), escaped: escaped, to: &output)
        }
    }
}

extension EntityContext: TemplateObject {
    public func member(_ name: TemplateName) -> TemplateValue {
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

    public func appendMember(_ name: TemplateName, escaped: Bool, to output: inout [UInt8]) -> Bool {
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

extension LetterGroup: TemplateObject {
    public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .letter: return self.letter.asTemplateValue
        case .entities: return self.entities.asTemplateValue
        default: return .null
        }
    }
}

extension KindIndexContext: TemplateObject {
    public func member(_ name: TemplateName) -> TemplateValue {
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

extension NotFoundContext: TemplateObject {
    public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .common: return self.common.asTemplateValue
        default: return .null
        }
    }
}

extension SVGFigure: TemplateObject {
    public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .number: return self.number.asTemplateValue
        case .id: return self.id.asTemplateValue
        case .caption: return self.caption.asTemplateValue
        case .svg: return self.svg.asTemplateValue
        default: return .null
        }
    }

    public func appendMember(_ name: TemplateName, escaped: Bool, to output: inout [UInt8]) -> Bool {
        switch name.key {
        case .id: return TemplateOutput.append(self.id, escaped: escaped, to: &output)
        case .caption: return TemplateOutput.append(self.caption, escaped: escaped, to: &output)
        case .svg: return TemplateOutput.append(self.svg, escaped: escaped, to: &output)
        default: return TemplateOutput.append(member(name), escaped: escaped, to: &output)
        }
    }
}

extension ArmyContext: TemplateObject {
    public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .name: return self.name.asTemplateValue
        case .commanders: return self.commanders.asTemplateValue
        case .route: return self.route.asTemplateValue
        case .outcome: return self.outcome.asTemplateValue
        default: return .null
        }
    }
}

extension IllustrationPageContext: TemplateObject {
    public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .common: return self.common.asTemplateValue
        case .title: return self.title.asTemplateValue
        case .introduction: return self.introduction.asTemplateValue
        case .figure: return self.figure.asTemplateValue
        default: return .null
        }
    }
}

extension FigureEntry: TemplateObject {
    public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .label: return self.label.asTemplateValue
        case .caption: return self.caption.asTemplateValue
        case .href: return self.href.asTemplateValue
        case .chapter: return self.chapter.asTemplateValue
        default: return .null
        }
    }
}

extension IllustrationsListContext: TemplateObject {
    public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .common: return self.common.asTemplateValue
        case .entries: return self.entries.asTemplateValue
        default: return .null
        }
    }
}

extension ProgressContext: TemplateObject {
    public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .number: return self.number.asTemplateValue
        case .total: return self.total.asTemplateValue
        case .percent: return self.percent.asTemplateValue
        default: return .null
        }
    }

    public func appendMember(_ name: TemplateName, escaped: Bool, to output: inout [UInt8]) -> Bool {
        switch name.key {
        case .number: return TemplateOutput.append(self.number, escaped: escaped, to: &output)
        case .total: return TemplateOutput.append(self.total, escaped: escaped, to: &output)
        case .percent: return TemplateOutput.append(self.percent, escaped: escaped, to: &output)
        default: return TemplateOutput.append(member(name), escaped: escaped, to: &output)
        }
    }
}

extension SearchContext: TemplateObject {
    public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .common: return self.common.asTemplateValue
        default: return .null
        }
    }
}

extension BookChapter: TemplateObject {
    public func member(_ name: TemplateName) -> TemplateValue {
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

extension BookContext: TemplateObject {
    public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .common: return self.common.asTemplateValue
        case .chapters: return self.chapters.asTemplateValue
        default: return .null
        }
    }
}

extension Fact: TemplateObject {
    public func member(_ name: TemplateName) -> TemplateValue {
        switch name.key {
        case .label: return self.label.asTemplateValue
        case .value: return self.value.asTemplateValue
        default: return .null
        }
    }
}
