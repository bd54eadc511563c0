import Foundation
import Mustache

/// The templates, turned into a tree the renderer walks without dynamic casts.
///
/// swift-mustache stays the parser: it reports syntax errors, applies the standalone-line rules and resolves
/// inheritance blocks. But it renders by casting every value it meets to a handful of protocols, which was measured
/// at about half of a 3,000-chapter build. So each parsed template's tokens are read once (swift-mustache keeps them
/// internal, so through `Mirror`) into `Node`s, and `render` interprets those over `TemplateValue`s with the same
/// semantics as swift-mustache 2.1 (context stack, dotted and `.`-anchored names, transforms, sections, inverted
/// sections, partials with indentation, parents and blocks).
///
/// Anything not recognised (a token shape from another version of the library, a dynamic partial, a transform
/// outside the list below) makes `compile` return nil: the build then renders through swift-mustache itself, slower
/// but the same. `CompiledTemplatesTests` renders every template both ways and compares.
struct CompiledTemplates: Sendable {
    /// Templates by name.
    let templates: [String: Template]
    /// Tells these templates from another set (and from their copies).
    private let identity = Identity()

    struct Template: Sendable {
        var nodes: [Node]
    }

    indirect enum Node: Sendable {
        case text(String)
        case variable(Name, escaped: Bool)
        case section(Name, Template, inverted: Bool)
        case block(String, default: Template, indentation: String?)
        case partial(String, indentation: String?, inherits: [String: Template]?)
        case escaping(Bool)
    }

    /// A tag's name, split once.
    struct Name: Sendable {
        enum Root: Sendable {
            /// `.`: the current object.
            case current
            /// `first()` and the like with no name: the position in the enclosing list.
            case sequence
            /// `.a.b`: looked up in the current object only.
            case anchored
            /// `a.b`: the first object up the stack that has `a`.
            case stack
        }
        var root: Root
        var parts: [String]
        /// Transforms, innermost last (applied last to first, as swift-mustache does).
        var transforms: [String]
    }

    /// The transforms the renderer implements (the ones swift-mustache 2.1 offers on strings, integers, arrays and list
    /// positions, except `sorted`).
    static let knownTransforms: Set<String> = [
        "empty", "first", "last", "count", "reversed", "index", "even", "odd",
        "equalzero", "plusone", "minusone", "capitalized", "lowercased", "uppercased",
    ]

    /// Reads the tokens of every template, or nil when one of them has a shape this renderer does not know.
    static func compile(_ templates: [String: MustacheTemplate]) -> CompiledTemplates? {
        var result: [String: Template] = [:]
        for (name, template) in templates {
            guard let compiled = compile(template) else { return nil }
            result[name] = compiled
        }
        return CompiledTemplates(templates: result)
    }

    private static func compile(_ template: MustacheTemplate) -> Template? {
        guard let tokens = Mirror(reflecting: template).children.first(where: { $0.label == "tokens" })?.value as? [Any]
        else { return nil }
        var nodes: [Node] = []
        for token in tokens {
            guard let node = compile(token: token) else { return nil }
            nodes.append(node)
        }
        return Template(nodes: nodes)
    }

    private static func compile(token: Any) -> Node? {
        let mirror = Mirror(reflecting: token)
        guard mirror.displayStyle == .enum, let payload = mirror.children.first, let kind = payload.label else { return nil }
        let fields = Mirror(reflecting: payload.value).children.map { ($0.label, $0.value) }
        func field(_ label: String, at index: Int) -> Any? {
            guard fields.indices.contains(index), fields[index].0 == label || fields[index].0 == ".\(index)" else { return nil }
            return fields[index].1
        }
        func name(_ index: Int) -> Name? {
            guard let text = field("name", at: index) as? String,
                  let transforms = field("transforms", at: index + 1) as? [String],
                  transforms.allSatisfy(knownTransforms.contains) else { return nil }
            return Self.name(text, transforms: transforms)
        }
        func inherits(_ value: Any?) -> [String: Template]?? {
            guard let field = optional(value, as: [String: MustacheTemplate].self) else { return nil }
            guard let value = field else { return .some(nil) }
            var result: [String: Template] = [:]
            for (key, template) in value {
                guard let compiled = compile(template) else { return nil }
                result[key] = compiled
            }
            return .some(result)
        }
        switch kind {
        case "text":
            return (payload.value as? String).map(Node.text)
        case "variable", "unescapedVariable":
            return name(0).map { Node.variable($0, escaped: kind == "variable") }
        case "section", "invertedSection":
            guard let tag = name(0), let template = field("template", at: 2) as? MustacheTemplate,
                  let body = compile(template) else { return nil }
            return .section(tag, body, inverted: kind == "invertedSection")
        case "blockExpansion":
            guard let block = field("name", at: 0) as? String, let template = field("default", at: 1) as? MustacheTemplate,
                  let body = compile(template), let indentation = optional(field("indentation", at: 2), as: String.self)
            else { return nil }
            return .block(block, default: body, indentation: indentation)
        case "partial":
            guard let partial = field("", at: 0) as? String,
                  let indentation = optional(field("indentation", at: 1), as: String.self),
                  let overrides = inherits(field("inherits", at: 2)) else { return nil }
            return .partial(partial, indentation: indentation, inherits: overrides)
        case "contentType":
            let type = String(describing: Swift.type(of: payload.value))
            switch type {
            case String(describing: FastEscaping.self), "HTMLContentType": return .escaping(true)
            case "TextContentType": return .escaping(false)
            default: return nil
            }
        default:
            return nil
        }
    }

    /// A field of optional type: `.some(nil)` when it holds nil, nil when it is missing or of another type.
    private static func optional<T>(_ field: Any?, as type: T.Type) -> T?? {
        guard let field else { return nil }
        if let value = field as? T { return .some(value) }
        let mirror = Mirror(reflecting: field)
        guard mirror.displayStyle == .optional, mirror.children.isEmpty,
              Swift.type(of: field) == Optional<T>.self else { return nil }
        return .some(nil)
    }

    private static func name(_ text: String, transforms: [String]) -> Name {
        if text == "." { return Name(root: .current, parts: [], transforms: transforms) }
        if text.isEmpty, !transforms.isEmpty { return Name(root: .sequence, parts: [], transforms: transforms) }
        let parts = text.split(separator: ".").map(String.init)
        return Name(root: text.first == "." ? .anchored : .stack, parts: parts, transforms: transforms)
    }
}

// MARK: Rendering

extension CompiledTemplates {
    /// Where the renderer is: the stack of objects, the position in the enclosing list, inherited blocks.
    private struct Context {
        var stack: [TemplateValue]
        var sequence: (first: Bool, last: Bool, index: Int)?
        var indentation: String?
        var inherited: [String: Template]?
        var escapes = true
    }

    /// Renders the template `name` (empty text when there is none).
    func render(_ name: String, _ object: some TemplateObject) -> String {
        guard let template = templates[name] else { return "" }
        var output = ""
        output.reserveCapacity(64 * 1024)
        var context = Context(stack: [.object(object)])
        context.stack.reserveCapacity(8)
        render(template, &context, into: &output)
        return output
    }

    // The context is changed in place and put back after each nested rendering (rather than copied for each section
    // and list element): a page of a hundred backlinks renders thousands of sections.

    private func render(_ template: Template, _ context: inout Context, into output: inout String) {
        // A content-type tag holds for the rest of this template only.
        let escapes = context.escapes
        defer { context.escapes = escapes }
        if let indentation = context.indentation, !indentation.isEmpty {
            var own = ""
            for node in template.nodes {
                var piece = ""
                render(node, &context, into: &piece)
                if !piece.isEmpty, own.last == "\n" { own += indentation }
                own += piece
            }
            output += own
        } else {
            for node in template.nodes { render(node, &context, into: &output) }
        }
    }

    private func render(_ node: Node, _ context: inout Context, into output: inout String) {
        switch node {
        case .text(let text):
            output += text
        case .variable(let name, let escaped):
            let value = lookUp(name, in: context)
            guard let text = Self.text(of: value) else { return }
            output += escaped && context.escapes ? HTML.escape(text) : text
        case .section(let name, let body, let inverted):
            let value = lookUp(name, in: context)
            if inverted { renderInverted(value, body, &context, into: &output) } else { renderSection(value, body, &context, into: &output) }
        case .block(let name, let fallback, let indentation):
            let (sequence, outerIndentation) = (context.sequence, context.indentation)
            context.sequence = nil
            context.indentation = Self.indent(outerIndentation, indentation)
            render(context.inherited?[name] ?? fallback, &context, into: &output)
            (context.sequence, context.indentation) = (sequence, outerIndentation)
        case .partial(let name, let indentation, let inherits):
            guard let template = templates[name] else { return }
            let (sequence, outerIndentation, inherited, escapes) = (context.sequence, context.indentation, context.inherited, context.escapes)
            context.sequence = nil
            context.indentation = Self.indent(outerIndentation, indentation)
            if let inherits {
                context.inherited = inherited.map { $0.merging(inherits) { outer, _ in outer } } ?? inherits
            }
            context.escapes = true
            render(template, &context, into: &output)
            (context.sequence, context.indentation, context.inherited, context.escapes) = (sequence, outerIndentation, inherited, escapes)
        case .escaping(let escapes):
            context.escapes = escapes
        }
    }

    private static func indent(_ outer: String?, _ inner: String?) -> String? {
        guard let inner else { return outer }
        return (outer ?? "") + inner
    }

    /// Renders `body` with `value` pushed on the stack (and no list position), then puts the context back.
    private func render(_ body: Template, pushing value: TemplateValue, _ context: inout Context, into output: inout String) {
        let sequence = context.sequence
        context.stack.append(value)
        context.sequence = nil
        render(body, &context, into: &output)
        context.stack.removeLast()
        context.sequence = sequence
    }

    private func renderSection(_ value: TemplateValue?, _ body: Template, _ context: inout Context, into output: inout String) {
        guard let value else { return }
        switch value {
        case .list(let list):
            let count = list.count
            guard count > 0 else { return }
            let sequence = context.sequence
            context.stack.append(.null)
            for index in 0..<count {
                context.stack[context.stack.count - 1] = list.element(index)
                context.sequence = (index == 0, index == count - 1, index)
                render(body, &context, into: &output)
            }
            context.stack.removeLast()
            context.sequence = sequence
        case .bool(let flag):
            if flag { render(body, &context, into: &output) }
        case .null:
            return
        default:
            render(body, pushing: value, &context, into: &output)
        }
    }

    private func renderInverted(_ value: TemplateValue?, _ body: Template, _ context: inout Context, into output: inout String) {
        guard let value else { return render(body, &context, into: &output) }
        switch value {
        case .list(let list):
            guard list.count == 0 else { return }
            render(body, pushing: value, &context, into: &output)
        case .bool(let flag):
            if !flag { render(body, &context, into: &output) }
        case .null:
            render(body, &context, into: &output)
        default:
            return
        }
    }

    /// The text a variable tag shows, or nil for nothing.
    private static func text(of value: TemplateValue?) -> String? {
        switch value {
        case nil, .null: return nil
        case .string(let text): return text
        case .int(let number): return String(number)
        case .double(let number): return String(describing: number)
        case .bool(let flag): return flag ? "true" : "false"
        case .list(let list): return list.listDescription
        case .object(let object): return String(describing: object)
        }
    }

    /// The value a name stands for, transforms applied; nil when not found.
    private func lookUp(_ name: Name, in context: Context) -> TemplateValue? {
        var value: TemplateValue?
        switch name.root {
        case .current:
            value = context.stack.last
        case .sequence:
            guard let position = context.sequence else { return nil }
            return Self.sequenceTransform(position, name.transforms)
        case .anchored:
            value = context.stack.last.flatMap { Self.descend($0, name.parts[...]) }
        case .stack:
            guard let first = name.parts.first else { value = context.stack.last; break }
            for object in context.stack.reversed() {
                if let child = Self.member(first, of: object) {
                    value = Self.descend(child, name.parts.dropFirst())
                    break
                }
            }
        }
        guard var result = value else { return nil }
        for transform in name.transforms.reversed() {
            guard let transformed = Self.transform(result, transform) else { return nil }
            result = transformed
        }
        return result
    }

    private static func descend(_ value: TemplateValue, _ parts: ArraySlice<String>) -> TemplateValue? {
        var current = value
        for part in parts {
            guard let child = member(part, of: current) else { return nil }
            current = child
        }
        return current
    }

    /// A member of an object; nil when absent (swift-mustache's lookup finds nothing in a nil member either).
    private static func member(_ name: String, of value: TemplateValue) -> TemplateValue? {
        guard case .object(let object) = value else { return nil }
        let member = object.member(name)
        if case .null = member { return nil }
        return member
    }

    private static func sequenceTransform(_ position: (first: Bool, last: Bool, index: Int), _ transforms: [String]) -> TemplateValue? {
        guard var name = transforms.last else { return nil }
        var result: TemplateValue
        switch name {
        case "first": result = .bool(position.first)
        case "last": result = .bool(position.last)
        case "index": result = .int(position.index)
        case "even": result = .bool(position.index & 1 == 0)
        case "odd": result = .bool(position.index & 1 == 1)
        default: return nil
        }
        for next in transforms.dropLast().reversed() {
            name = next
            guard let transformed = transform(result, name) else { return nil }
            result = transformed
        }
        return result
    }

    /// swift-mustache's transforms on strings, integers and arrays; nil when the value has no such transform.
    private static func transform(_ value: TemplateValue, _ name: String) -> TemplateValue? {
        switch value {
        case .string(let text):
            switch name {
            case "empty": return .bool(text.isEmpty)
            case "capitalized": return .string(text.capitalizedLikeFoundation)
            case "lowercased": return .string(text.lowercased())
            case "uppercased": return .string(text.uppercased())
            case "reversed": return .string(String(text.reversed()))
            default: return nil
            }
        case .int(let number):
            switch name {
            case "equalzero": return .bool(number == 0)
            case "plusone": return .int(number + 1)
            case "minusone": return .int(number - 1)
            case "even": return .bool(number & 1 == 0)
            case "odd": return .bool(number & 1 == 1)
            default: return nil
            }
        case .list(let list):
            switch name {
            case "empty": return .bool(list.count == 0)
            case "count": return .int(list.count)
            case "first": return list.count > 0 ? list.element(0) : .null
            case "last": return list.count > 0 ? list.element(list.count - 1) : .null
            case "reversed": return .list(ReversedList(base: list))
            default: return nil
            }
        default:
            return nil
        }
    }

    private struct ReversedList: TemplateList {
        let base: any TemplateList
        var count: Int { base.count }
        func element(_ index: Int) -> TemplateValue { base.element(base.count - 1 - index) }
        var listDescription: String { String(describing: self) }
    }
}


private extension String {
    /// Foundation's `capitalized`, as swift-mustache uses.
    var capitalizedLikeFoundation: String { (self as NSString).capitalized }
}

// MARK: One copy per thread

// Every node and text of a template is reference-counted storage. Two threads walking the same nodes keep moving
// the cache lines of those counts between cores: measured at a fifth of the rendering stage of a 10,000-chapter
// book. So each thread renders with a copy of its own, made the first time it renders.

extension CompiledTemplates {
    private final class Identity: Sendable {}

    private final class ThreadCopy {
        let source: Identity
        let templates: CompiledTemplates
        init(source: Identity, templates: CompiledTemplates) {
            self.source = source
            self.templates = templates
        }
    }

    private static let threadKey = "build-site.compiled-templates"

    /// This thread's copy of the templates (a thread keeps the copy of the last set it rendered with).
    func forThisThread() -> CompiledTemplates {
        let dictionary = Thread.current.threadDictionary
        if let copy = dictionary[Self.threadKey] as? ThreadCopy, copy.source === identity { return copy.templates }
        let copy = deepCopy()
        dictionary[Self.threadKey] = ThreadCopy(source: identity, templates: copy)
        return copy
    }

    /// A copy sharing no storage with `self`.
    func deepCopy() -> CompiledTemplates {
        CompiledTemplates(templates: Dictionary(uniqueKeysWithValues: templates.map { (fresh($0.key), Self.copy($0.value)) }))
    }

    private static func copy(_ template: Template) -> Template {
        Template(nodes: template.nodes.map(copy))
    }

    private static func copy(_ node: Node) -> Node {
        switch node {
        case .text(let text):
            return .text(fresh(text))
        case .variable(let name, let escaped):
            return .variable(copy(name), escaped: escaped)
        case .section(let name, let body, let inverted):
            return .section(copy(name), copy(body), inverted: inverted)
        case .block(let name, let body, let indentation):
            return .block(fresh(name), default: copy(body), indentation: indentation.map(fresh))
        case .partial(let name, let indentation, let inherits):
            return .partial(fresh(name), indentation: indentation.map(fresh),
                            inherits: inherits.map { Dictionary(uniqueKeysWithValues: $0.map { (fresh($0.key), copy($0.value)) }) })
        case .escaping(let flag):
            return .escaping(flag)
        }
    }

    private static func copy(_ name: Name) -> Name {
        Name(root: name.root, parts: name.parts.map(fresh), transforms: name.transforms.map(fresh))
    }
}

/// The same text in storage of its own.
private func fresh(_ text: String) -> String {
    String(decoding: Array(text.utf8), as: UTF8.self)
}
