import Mustache

// The page contexts for swift-mustache, the fallback renderer (and the reference the compiled one is tested against).
// Each context answers swift-mustache through its `TemplateObject` members (PageContexts.swift), so the two
// renderers see the same values: lists and objects are handed over as the Swift values they are.

extension MustacheParent where Self: TemplateObject {
    public func child(named name: String) -> Any? { member(TemplateName(name)).mustacheValue }
}

extension TemplateValue {
    /// The value as swift-mustache expects it: plain Swift values, and lists and objects as the Swift values they
    /// wrap (a list of front-matter values as a list of their values).
    var mustacheValue: Any? {
        switch self {
        case .string(let text): return text
        case .text(let text): return text.string
        case .int(let number): return number
        case .double(let number): return number
        case .bool(let flag): return flag
        case .list(let list):
            if let items = list as? ArrayList<YAMLValue> {
                return items.items.map { $0.asTemplateValue.mustacheValue as Any }
            }
            return list.mustacheArray
        case .object(let object): return object
        case .null: return nil
        }
    }
}

extension LinkContext: MustacheParent {}
extension NavItem: MustacheParent {}
extension CommonContext: MustacheParent {}
extension SiteContext: MustacheParent {}
extension ChapterSummary: MustacheParent {}
extension EntityLink: MustacheParent {}
extension EntityGroup: MustacheParent {}
extension HomeContext: MustacheParent {}
extension SectionLink: MustacheParent {}
extension ChapterContext: MustacheParent {}
extension BacklinkSection: MustacheParent {}
extension BacklinkChapter: MustacheParent {}
extension EntityContext: MustacheParent {}
extension LetterGroup: MustacheParent {}
extension KindIndexContext: MustacheParent {}
extension NotFoundContext: MustacheParent {}
extension SVGFigure: MustacheParent {}
extension ArmyContext: MustacheParent {}
extension IllustrationPageContext: MustacheParent {}
extension FigureEntry: MustacheParent {}
extension IllustrationsListContext: MustacheParent {}
extension ProgressContext: MustacheParent {}
extension SearchContext: MustacheParent {}
extension BookChapter: MustacheParent {}
extension BookContext: MustacheParent {}
extension FactContext: MustacheParent {}

extension TemplateFields: MustacheParent {}
