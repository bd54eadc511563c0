import Foundation
import Synchronization

/// What a template tag can find: the page contexts answer with these instead of `Any`, so the compiled renderer
/// (`CompiledTemplates`) reads them without a dynamic cast.
public enum TemplateValue {
    case string(String)
    /// Text shown as a string is, read where it lies (`TemplateText`).
    case text(TemplateText)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case list(any TemplateList)
    case object(TemplateObject)
    case null
}

/// A context with named members (`{{title}}`, `{{common.root}}`), which the page contexts subclass. Contexts and
/// lists are objects, so that a `TemplateValue` is a few plain words that the renderer copies with a retain (an
/// existential of any type was copied and destroyed through its type's value witnesses, for every tag of every page).
/// A class rather than a protocol: the renderer calls the objects of its context stack through unretained references
/// (`Unmanaged`), which only a class allows (each call through a protocol existential read from the stack was a
/// retain and a release: millions in a large book).
open class TemplateObject: TemplateValueConvertible {
    public init() {}

    /// The member `name`, or `.null`.
    open func member(_ name: TemplateName) -> TemplateValue { .null }

    /// Writes what a variable tag shows for member `name` (HTML-escaped when `escaped`); false, with nothing written,
    /// when the member is `.null`. The default asks `member`; the page contexts write their text members straight
    /// from their fields (making a `TemplateValue` of each, to be shown once and dropped, was most of rendering).
    open func appendMember(_ name: TemplateName, escaped: Bool, to output: inout [UInt8]) -> Bool {
        TemplateOutput.append(member(name), escaped: escaped, to: &output)
    }

    public var asTemplateValue: TemplateValue { .object(self) }

    /// Where the renderer keeps what this object rendered as a list element, to copy it the next time; nil (the
    /// default): rendered every time. Set by `keepRenderings`.
    public private(set) final var renderMemo: RenderMemo?
    /// The same, unretained: the renderer reads it through this (the object holds it), as both rendering threads
    /// read the memos of the objects they share (each read of `renderMemo` was a count taken and given back).
    private(set) final var unretainedMemo: Unmanaged<RenderMemo>?

    /// Lets the renderer keep what this object renders as a list element: for an object that never changes and is
    /// listed on many pages (a chapter page's link to an entity, the site's navigation). Call it before the object is
    /// shared between threads.
    @discardableResult
    public final func keepRenderings() -> Self {
        if renderMemo == nil {
            let memo = RenderMemo()
            renderMemo = memo
            unretainedMemo = Unmanaged.passUnretained(memo)
        }
        return self
    }
}

/// What an unchanging object rendered as a list element, by section body of a compiled program: the compiled
/// renderer keeps a rendering here only when it read nothing but the object (no name found further out or not at
/// all, no list position, no partial or block), so the same body always renders the same bytes for it. Shared
/// between rendering threads: they read it without a lock, through the latest of its lists of renderings, each of
/// which never changes once published (each read took a lock that both threads shared, a cache line taken from the
/// other core for every entity link of every chapter page).
public final class RenderMemo: @unchecked Sendable {
    /// The latest list (unretained: `lists` holds it), nil before the first rendering is kept.
    private let published = Atomic<UnsafeRawPointer?>(nil)
    /// Under `lock`: every list published, kept until the memo goes (a reader may still be reading an older one).
    private let lock = NSLock()
    private var lists: [Renderings] = []

    public init() {}

    /// Renderings, each with the program whose body it is (held, so that no other program can take its place and its
    /// body numbers), its bytes in storage of the list's own.
    private final class Renderings {
        struct Rendering {
            let program: ObjectIdentifier
            let body: Int32
            let escaping: Bool
            let bytes: UnsafeMutableBufferPointer<UInt8>
        }
        let programs: [AnyObject]
        let renderings: [Rendering]

        init(programs: [AnyObject], renderings: [Rendering]) {
            self.programs = programs
            self.renderings = renderings
        }

        /// The bytes kept for body `body` of `program` with this escaping.
        func find(_ program: ObjectIdentifier, _ body: Int32, _ escaping: Bool) -> UnsafeMutableBufferPointer<UInt8>? {
            renderings.withUnsafeBufferPointer { renderings in
                for index in renderings.indices where renderings[index].program == program
                    && renderings[index].body == body && renderings[index].escaping == escaping {
                    return renderings[index].bytes
                }
                return nil
            }
        }
    }

    deinit {
        // Each list's renderings are those of the one before and one more: the bytes are the last list's to free.
        for rendering in lists.last?.renderings ?? [] { rendering.bytes.deallocate() }
    }

    /// Appends the rendering of body `body` of `program` kept for this escaping, if there is one.
    func append(_ program: AnyObject, _ body: Int32, escaping: Bool, to output: inout [UInt8]) -> Bool {
        guard let latest = published.load(ordering: .acquiring) else { return false }
        let kept = Unmanaged<Renderings>.fromOpaque(latest)._withUnsafeGuaranteedRef {
            $0.find(ObjectIdentifier(program), body, escaping)
        }
        guard let kept else { return false }
        output.append(contentsOf: UnsafeBufferPointer(kept))
        return true
    }

    /// Keeps `bytes` as the rendering of body `body` of `program` for this escaping.
    func keep(_ program: AnyObject, _ body: Int32, escaping: Bool, _ bytes: ArraySlice<UInt8>) {
        lock.lock()
        defer { lock.unlock() }
        let last = lists.last
        guard last?.find(ObjectIdentifier(program), body, escaping) == nil else { return }
        let copy = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
        _ = copy.initialize(from: bytes)
        let rendering = Renderings.Rendering(program: ObjectIdentifier(program), body: body, escaping: escaping,
                                             bytes: copy)
        let next = Renderings(programs: (last?.programs ?? []) + [program],
                              renderings: (last?.renderings ?? []) + [rendering])
        lists.append(next)
        published.store(UnsafeRawPointer(Unmanaged.passUnretained(next).toOpaque()), ordering: .releasing)
    }

    /// How many renderings are kept (for tests).
    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return lists.last?.renderings.count ?? 0
    }
}

/// Writes values as variable tags show them (shared by the renderer and the contexts' `appendMember`).
public enum TemplateOutput {
    /// Writes `value` as a variable tag shows it; false for `.null` (nothing written).
    public static func append(_ value: TemplateValue, escaped: Bool, to output: inout [UInt8]) -> Bool {
        if case .null = value { return false }
        CompiledTemplates.append(value, escaped: escaped, to: &output)
        return true
    }

    /// Writes a text member.
    @inline(__always)
    public static func append(_ text: String, escaped: Bool, to output: inout [UInt8]) -> Bool {
        // Read in place (a copy to call `withUTF8` on was a retain and a release per tag).
        text.withUTF8Bytes { append(bytes: $0, escaped: escaped, to: &output) }
        return true
    }

    /// Writes text that lies in a buffer.
    @inline(__always)
    public static func append(_ text: TemplateText, escaped: Bool, to output: inout [UInt8]) -> Bool {
        text.storage.withUnsafeBufferPointer {
            append(bytes: UnsafeBufferPointer(rebasing: $0[text.range]), escaped: escaped, to: &output)
        }
        return true
    }

    /// Writes an HTML member (as bytes: it is not checked as UTF-8 again).
    @inline(__always)
    public static func append(_ html: RawHTML, escaped: Bool, to output: inout [UInt8]) -> Bool {
        html.bytes.withUnsafeBufferPointer { append(bytes: $0, escaped: escaped, to: &output) }
        return true
    }

    @inline(__always)
    private static func append(bytes: UnsafeBufferPointer<UInt8>, escaped: Bool, to output: inout [UInt8]) {
        if escaped { HTML.appendEscaped(bytes, to: &output) } else { output.append(contentsOf: bytes) }
    }

    /// Writes an optional text member; false when it is nil.
    @inline(__always)
    public static func append(_ text: String?, escaped: Bool, to output: inout [UInt8]) -> Bool {
        guard let text else { return false }
        return append(text, escaped: escaped, to: &output)
    }

    /// Writes a number member.
    @inline(__always)
    public static func append(_ number: Int, escaped: Bool, to output: inout [UInt8]) -> Bool {
        CompiledTemplates.append(.int(number), escaped: escaped, to: &output)
        return true
    }
}

/// A list a section iterates over.
public protocol TemplateList: AnyObject {
    var count: Int { get }
    func element(_ index: Int) -> TemplateValue
    /// The render memo of element `index` (`TemplateObject.keepRenderings`), unretained, when it is an object that
    /// keeps one: the renderer copies a kept rendering without taking the element out of the list (each element
    /// taken out was a count taken and given back on an object both rendering threads share).
    func elementMemo(_ index: Int) -> Unmanaged<RenderMemo>?
    /// The text a variable tag shows for the whole list (what swift-mustache shows: Swift's description).
    var listDescription: String { get }
    /// The list as swift-mustache is given it (an array).
    var mustacheArray: Any { get }
}

extension TemplateList {
    public func elementMemo(_ index: Int) -> Unmanaged<RenderMemo>? { nil }
}

/// An array as a template list (made when a context hands the array over: one small object per list shown).
final class ArrayList<Element: TemplateValueConvertible>: TemplateList {
    let items: [Element]
    /// Whether the elements are objects (looked up once per list, not per element).
    private let ofObjects: Bool

    init(_ items: [Element]) {
        self.items = items
        ofObjects = Element.self is TemplateObject.Type
    }

    var count: Int { items.count }
    func element(_ index: Int) -> TemplateValue { items[index].asTemplateValue }

    func elementMemo(_ index: Int) -> Unmanaged<RenderMemo>? {
        guard ofObjects else { return nil }
        // The element's reference, read from the array's storage as it lies (the array holds it).
        return items.withUnsafeBufferPointer { buffer in
            UnsafeRawPointer(buffer.baseAddress! + index).load(as: Unmanaged<TemplateObject>.self)
        }._withUnsafeGuaranteedRef { $0.unretainedMemo }
    }

    var listDescription: String { String(describing: items) }
    var mustacheArray: Any { items }
}

/// A Swift value templates can see.
public protocol TemplateValueConvertible {
    var asTemplateValue: TemplateValue { get }
}

extension String: TemplateValueConvertible {
    public var asTemplateValue: TemplateValue { .string(self) }
}

extension Int: TemplateValueConvertible {
    public var asTemplateValue: TemplateValue { .int(self) }
}

extension Double: TemplateValueConvertible {
    public var asTemplateValue: TemplateValue { .double(self) }
}

extension Bool: TemplateValueConvertible {
    public var asTemplateValue: TemplateValue { .bool(self) }
}

extension Optional: TemplateValueConvertible where Wrapped: TemplateValueConvertible {
    public var asTemplateValue: TemplateValue { self?.asTemplateValue ?? .null }
}

extension Array: TemplateValueConvertible where Element: TemplateValueConvertible {
    public var asTemplateValue: TemplateValue { .list(ArrayList(self)) }
}

/// Front-matter (or site.yaml) keys as templates see them: `{{meta.sources}}`, `{{#meta.tags}}…{{/meta.tags}}`.
/// Nested mappings are fields again; lists are lists; scalars are strings, numbers or booleans (null: empty text).
public final class TemplateFields: TemplateObject, @unchecked Sendable {
    let entries: [YAMLValue.Entry]

    /// The fields of a mapping's entries.
    public init(_ entries: [YAMLValue.Entry]) {
        self.entries = entries
    }

    func value(_ name: String) -> YAMLValue? {
        entries.first { $0.key == name }?.value
    }

    override public func member(_ name: TemplateName) -> TemplateValue { value(name.text)?.asTemplateValue ?? .null }
}

extension YAMLValue: TemplateValueConvertible {
    public var asTemplateValue: TemplateValue {
        switch kind {
        case .scalar(let text, let type):
            switch type {
            case .int: return Int(text).map(TemplateValue.int) ?? .string(text)
            case .float: return Double(text).map(TemplateValue.double) ?? .string(text)
            case .bool: return .bool(bool ?? false)
            case .null: return .string("")
            case .string: return .string(text)
            }
        case .sequence(let items): return items.asTemplateValue
        case .mapping(let entries): return .object(TemplateFields(entries))
        }
    }
}

/// HTML the build made (a page's rendered Markdown), kept as the UTF-8 bytes cmark wrote: shown by `{{{body}}}`
/// without being made into a string, which checked all of a large book's pages as UTF-8 once more.
public struct RawHTML: Sendable, Equatable, ExpressibleByStringLiteral {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    public init(_ text: String) {
        bytes = Array(text.utf8)
    }

    public init(stringLiteral text: String) {
        self.init(text)
    }

    /// The HTML as a string.
    public var string: String { String(decoding: bytes, as: UTF8.self) }
}

extension RawHTML: TemplateValueConvertible {
    public var asTemplateValue: TemplateValue { .string(string) }
}

/// Text that lies in a buffer of bytes the build made (a backlink's sentence, in its `Backlinks.SectionList`):
/// templates show it as they show a string, and write it from where it lies, without a string made of it.
public struct TemplateText: Sendable {
    let storage: [UInt8]
    let range: Range<Int>

    /// The text of `storage[range]`, which must be UTF-8.
    init(_ storage: [UInt8], _ range: Range<Int>) {
        self.storage = storage
        self.range = range
    }

    /// The text as a string.
    public var string: String { String(decoding: storage[range], as: UTF8.self) }
}

/// A member name a template asks for, with its key when it is one of the names the page contexts have: the
/// contexts choose the member by the key, a number, rather than comparing the name with each of theirs (calls to
/// compare strings were a few percent of rendering). Front-matter fields are looked up by the text.
public struct TemplateName: Sendable, Equatable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let key: TemplateKey
    public let text: String

    public init(_ text: String) {
        self.text = text
        key = TemplateKey(rawValue: text) ?? .other
    }

    public init(stringLiteral text: String) {
        self.init(text)
    }

    public static func == (a: TemplateName, b: TemplateName) -> Bool { a.text == b.text }

    public var description: String { text }
}

/// The member names of the page contexts (`other` for any other name).
public enum TemplateKey: String, Sendable {
    case aliases, anchor, armies, author, backlinks, body, bookHref, breadcrumbs, canonical, caption, chapter,
        chapters, chinese, chineseLanguage, commanders, common, count, current, description, entities, entries,
        extras, facts, feedHref, figure, heading, href, id, introduction, kind, kindHref, kindLabel, kinds, label,
        lang, language, letter, letters, level, lifeline, locator, map, meta, name, nav, nested, next, number,
        ogType, outcome, pageTitle, percent, period, previous, progress, references, root, route, searchHref,
        sections, site, snippets, subtitle, summary, svg, title, total, value
    case other = ""
}
