import Foundation
import Mustache

/// The templates, turned into a program the renderer runs without dynamic casts.
///
/// swift-mustache stays the parser: it reports syntax errors, applies the standalone-line rules and resolves
/// inheritance blocks. But it renders by casting every value it meets to a handful of protocols, which was measured
/// at about half of a 3,000-chapter build. So each parsed template's tokens are read once (swift-mustache keeps them
/// internal, so through `Mirror`) into `Node`s, lowered into a flat `Program`, and `render` runs that over
/// `TemplateValue`s into bytes with the same
/// semantics as swift-mustache 2.1 (context stack, dotted and `.`-anchored names, transforms, sections, inverted
/// sections, partials with indentation, parents and blocks).
///
/// Anything not recognised (a token shape from another version of the library, a dynamic partial, a transform
/// outside the list below) makes `compile` return nil: the build then renders through swift-mustache itself, slower
/// but the same. `CompiledTemplatesTests` renders every template both ways and compares.
struct CompiledTemplates: Sendable {
    /// Every template, lowered for rendering.
    let program: Program

    /// Lowers templates read from swift-mustache, by name.
    init(templates: [String: Template]) {
        program = Program(templates)
    }

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

// The node tree is lowered once into a flat program: instructions of plain numbers, the template text in one byte
// buffer, names in a table. Rendering walks the instructions by index into a byte buffer, so it touches no reference
// count for the templates themselves (walking a tree of enum cases and strings did, for every tag of every page: a
// tenth of a large build) and appends text with a copy of bytes.

extension CompiledTemplates {
    /// One instruction. Instructions that hold others (a section's body, a block's default, a partial's overriding
    /// blocks) are followed by them, and `next` is where the walk continues after the whole construct.
    struct Op: Sendable {
        enum Code: UInt8, Sendable { case text, variable, section, inverted, block, partial, escaping }
        var code: Code
        /// `variable`: escaped; `escaping`: on.
        var flag = false
        /// `text`: byte offset; `variable`, `section`, `inverted`: name; `block`: block name; `partial`: template
        /// (-1 when there is none).
        var a: Int32 = 0
        /// `text`: byte count; `partial`: overriding blocks (-1 for none).
        var b: Int32 = 0
        /// The body, default or overriding blocks: instructions `start..<end`.
        var start: Int32 = 0
        var end: Int32 = 0
        /// Indentation (`block`, `partial`), -1 for none.
        var indentation: Int32 = -1
        var next: Int32 = 0
    }

    /// A tag's name in a program: plain numbers, its parts and transforms in the program's words.
    struct LoweredName: Sendable {
        var root: Name.Root
        var parts: Range<Int32>
        var transforms: Range<Int32>
    }

    /// A block given by a partial tag (`{{<parent}}{{$name}}…{{/name}}{{/parent}}`): its name and body.
    struct Override: Sendable {
        var name: Int32
        var start: Int32
        var end: Int32
    }

    /// Every template lowered into one list of instructions.
    final class Program: @unchecked Sendable {
        private(set) var ops: [Op] = []
        private(set) var text: [UInt8] = []
        /// Tag names, their parts and transforms as ranges of `words`.
        private(set) var names: [LoweredName] = []
        private(set) var words: [TemplateName] = []
        /// Block names and indentations.
        private(set) var strings: [String] = []
        private(set) var overrides: [[Override]] = []
        /// Each template's instructions, by template number; `entry` numbers them by name.
        private(set) var ranges: [(start: Int32, end: Int32)] = []
        private(set) var entry: [String: Int32] = [:]
        private var stringNumbers: [String: Int32] = [:]

        init(_ templates: [String: Template]) {
            let names = templates.keys.sorted()
            for (number, name) in names.enumerated() { entry[name] = Int32(number) }
            ranges = Array(repeating: (0, 0), count: names.count)
            for (number, name) in names.enumerated() {
                let start = Int32(ops.count)
                lower(templates[name]!)
                ranges[number] = (start, Int32(ops.count))
            }
        }

        private func string(_ text: String) -> Int32 {
            if let number = stringNumbers[text] { return number }
            strings.append(text)
            stringNumbers[text] = Int32(strings.count - 1)
            return Int32(strings.count - 1)
        }

        private func name(_ name: Name) -> Int32 {
            let parts = Int32(words.count)..<Int32(words.count + name.parts.count)
            words += name.parts.map { TemplateName($0) }
            let transforms = Int32(words.count)..<Int32(words.count + name.transforms.count)
            words += name.transforms.map { TemplateName($0) }
            names.append(LoweredName(root: name.root, parts: parts, transforms: transforms))
            return Int32(names.count - 1)
        }

        private func lower(_ template: Template) {
            for node in template.nodes { lower(node) }
        }

        /// Appends the instruction of `node` (and those it holds), setting its `next`.
        private func lower(_ node: Node) {
            let index = ops.count
            switch node {
            case .text(let content):
                ops.append(Op(code: .text, a: Int32(text.count), b: Int32(content.utf8.count)))
                text.append(contentsOf: content.utf8)
            case .variable(let tag, let escaped):
                ops.append(Op(code: .variable, flag: escaped, a: name(tag)))
            case .section(let tag, let body, let inverted):
                ops.append(Op(code: inverted ? .inverted : .section, a: name(tag)))
                ops[index].start = Int32(ops.count)
                lower(body)
                ops[index].end = Int32(ops.count)
            case .block(let block, let fallback, let indentation):
                ops.append(Op(code: .block, a: string(block), indentation: indentation.map(string) ?? -1))
                ops[index].start = Int32(ops.count)
                lower(fallback)
                ops[index].end = Int32(ops.count)
            case .partial(let partial, let indentation, let inherits):
                ops.append(Op(code: .partial, a: entry[partial] ?? -1, b: -1, indentation: indentation.map(string) ?? -1))
                if let inherits {
                    var list: [Override] = []
                    for (block, body) in inherits.sorted(by: { $0.key < $1.key }) {
                        let start = Int32(ops.count)
                        lower(body)
                        list.append(Override(name: string(block), start: start, end: Int32(ops.count)))
                    }
                    overrides.append(list)
                    ops[index].b = Int32(overrides.count - 1)
                }
            case .escaping(let on):
                ops.append(Op(code: .escaping, flag: on))
            }
            ops[index].next = Int32(ops.count)
        }
    }

    /// Where the renderer is: the stack of objects, the position in the enclosing list, inherited blocks.
    private struct Context {
        /// The values sections pushed, innermost last.
        private(set) var stack: [TemplateValue] = []
        /// The objects of `stack`, by position, unretained (nil for other values): the renderer calls them through
        /// these, with `Unmanaged._withUnsafeGuaranteedRef` (the standard library's call on a reference that something
        /// else keeps alive), while `stack` keeps them alive. Called through the values, each object was retained and
        /// released around each call: millions of times in a large book.
        private(set) var objects: [Unmanaged<TemplateObject>?] = []
        var sequence: (first: Bool, last: Bool, index: Int)?
        var indentation: [UInt8]?
        var inherited: [Override]?
        var escapes = true
        /// While a list element with a render memo is rendered for its memo: its position in `stack` (-1 otherwise),
        /// and whether anything of the rendering depended on more than the element (a name found below it or not at
        /// all, a list position, a partial or block), which makes the rendering not worth keeping.
        var memoBase = -1
        var memoBroken = false

        /// Notes that a name was found at position `found` of the stack (-1: not found, or not on the stack).
        mutating func found(at found: Int) {
            if found < memoBase { memoBroken = true }
        }

        init(_ object: TemplateObject) {
            stack.reserveCapacity(8)
            objects.reserveCapacity(8)
            push(.object(object))
        }

        // The value is taken (consumed), not copied, into the stack: a list's elements are made for it.
        mutating func push(_ value: consuming TemplateValue) {
            objects.append(Self.unretained(value))
            stack.append(value)
        }

        mutating func pop() {
            stack.removeLast()
            objects.removeLast()
        }

        /// Replaces the innermost value (a list's next element).
        mutating func replaceLast(_ value: consuming TemplateValue) {
            objects[objects.count - 1] = Self.unretained(value)
            stack[stack.count - 1] = value
        }

        private static func unretained(_ value: TemplateValue) -> Unmanaged<TemplateObject>? {
            if case .object(let object) = value { return .passUnretained(object) }
            return nil
        }
    }

    /// Renders the template `name` as UTF-8 bytes (none when there is no such template): pages are written from
    /// these, with no string between (checking 400 MB of output as UTF-8 again was 2% of a large build).
    func render(_ name: String, _ object: some TemplateObject) -> [UInt8] {
        let program = self.program
        guard let number = program.entry[name] else { return [] }
        var output: [UInt8] = []
        output.reserveCapacity(64 * 1024)
        var context = Context(object)
        program.ops.withUnsafeBufferPointer { ops in
            program.text.withUnsafeBufferPointer { text in
                program.names.withUnsafeBufferPointer { names in
                    program.words.withUnsafeBufferPointer { words in
                        let walker = Walker(ops: ops, text: text, names: names, words: words, program: program)
                        let range = program.ranges[Int(number)]
                        walker.render(range.start, range.end, &context, into: &output)
                    }
                }
            }
        }
        return output
    }

    // The context is changed in place and put back after each nested rendering (rather than copied for each section
    // and list element): a page of a hundred backlinks renders thousands of sections.

    private struct Walker {
        let ops: UnsafeBufferPointer<Op>
        let text: UnsafeBufferPointer<UInt8>
        let names: UnsafeBufferPointer<LoweredName>
        let words: UnsafeBufferPointer<TemplateName>
        let program: Program

        /// Renders instructions `start..<end`, a template or a body.
        func render(_ start: Int32, _ end: Int32, _ context: inout Context, into output: inout [UInt8]) {
            // A content-type tag holds for the rest of this template only.
            let escapes = context.escapes
            defer { context.escapes = escapes }
            var index = Int(start)
            let end = Int(end)
            if let indentation = context.indentation, !indentation.isEmpty {
                let own = output.count
                while index < end {
                    let before = output.count
                    render(index, &context, into: &output)
                    // As swift-mustache: a piece that follows a line break of this template's own text is indented.
                    if output.count > before, before > own, output[before - 1] == 10,
                       !(before - 2 >= own && output[before - 2] == 13) {
                        output.insert(contentsOf: indentation, at: before)
                    }
                    index = Int(ops[index].next)
                }
            } else {
                while index < end {
                    render(index, &context, into: &output)
                    index = Int(ops[index].next)
                }
            }
        }

        private func render(_ index: Int, _ context: inout Context, into output: inout [UInt8]) {
            let op = ops[index]
            switch op.code {
            case .text:
                output.append(contentsOf: UnsafeBufferPointer(rebasing: text[Int(op.a)..<Int(op.a + op.b)]))
            case .variable:
                let name = names[Int(op.a)]
                let escaped = op.flag && context.escapes
                var found = -1
                if name.root == .stack, name.transforms.isEmpty, !name.parts.isEmpty {
                    CompiledTemplates.appendMember(name, words, in: context, escaped: escaped, to: &output, found: &found)
                } else {
                    let value = CompiledTemplates.lookUp(name, words, in: context, found: &found)
                    CompiledTemplates.append(value, escaped: escaped, to: &output)
                }
                context.found(at: found)
            case .section:
                var found = -1
                let value = CompiledTemplates.lookUp(names[Int(op.a)], words, in: context, found: &found)
                context.found(at: found)
                renderSection(value, op.start, op.end, &context, into: &output)
            case .inverted:
                var found = -1
                let value = CompiledTemplates.lookUp(names[Int(op.a)], words, in: context, found: &found)
                context.found(at: found)
                renderInverted(value, op.start, op.end, &context, into: &output)
            case .block:
                context.found(at: -1)
                let (sequence, outerIndentation) = (context.sequence, context.indentation)
                context.sequence = nil
                context.indentation = indent(outerIndentation, op.indentation)
                if let override = context.inherited?.first(where: { $0.name == op.a }) {
                    render(override.start, override.end, &context, into: &output)
                } else {
                    render(op.start, op.end, &context, into: &output)
                }
                (context.sequence, context.indentation) = (sequence, outerIndentation)
            case .partial:
                context.found(at: -1)
                guard op.a >= 0 else { return }
                let (sequence, outerIndentation, inherited, escapes) = (context.sequence, context.indentation, context.inherited, context.escapes)
                context.sequence = nil
                context.indentation = indent(outerIndentation, op.indentation)
                if op.b >= 0 {
                    // The outer template's blocks win over the partial tag's.
                    let own = program.overrides[Int(op.b)]
                    context.inherited = (inherited ?? []) + own.filter { block in !(inherited ?? []).contains { $0.name == block.name } }
                }
                context.escapes = true
                let range = program.ranges[Int(op.a)]
                render(range.start, range.end, &context, into: &output)
                (context.sequence, context.indentation, context.inherited, context.escapes) = (sequence, outerIndentation, inherited, escapes)
            case .escaping:
                context.found(at: -1)
                context.escapes = op.flag
            }
        }

        private func indent(_ outer: [UInt8]?, _ inner: Int32) -> [UInt8]? {
            guard inner >= 0 else { return outer }
            return (outer ?? []) + Array(program.strings[Int(inner)].utf8)
        }

        /// Renders a body with `value` pushed on the stack (and no list position), then puts the context back.
        private func render(_ start: Int32, _ end: Int32, pushing value: TemplateValue, _ context: inout Context,
                            into output: inout [UInt8]) {
            let sequence = context.sequence
            context.push(value)
            context.sequence = nil
            render(start, end, &context, into: &output)
            context.pop()
            context.sequence = sequence
        }

        private func renderSection(_ value: TemplateValue?, _ start: Int32, _ end: Int32, _ context: inout Context,
                                   into output: inout [UInt8]) {
            guard let value else { return }
            switch value {
            case .list(let list):
                let count = list.count
                guard count > 0 else { return }
                let sequence = context.sequence
                context.push(.null)
                let memos = context.memoBase < 0 && context.indentation?.isEmpty ?? true
                for index in 0..<count {
                    // An element that keeps a memo (an entity link shown on a hundred chapter pages) is rendered once
                    // per body; later its bytes are copied, as long as that rendering read nothing but the element.
                    let memo = memos ? list.elementMemo(index) : nil
                    if let memo, memo._withUnsafeGuaranteedRef({
                        $0.append(program, start, escaping: context.escapes, to: &output)
                    }) { continue }
                    let element = list.element(index)
                    context.replaceLast(element)
                    context.sequence = (index == 0, index == count - 1, index)
                    guard let memo else {
                        render(start, end, &context, into: &output)
                        continue
                    }
                    let before = output.count
                    context.memoBase = context.stack.count - 1
                    context.memoBroken = false
                    render(start, end, &context, into: &output)
                    if !context.memoBroken {
                        memo._withUnsafeGuaranteedRef { $0.keep(program, start, escaping: context.escapes, output[before...]) }
                    }
                    context.memoBase = -1
                }
                context.pop()
                context.sequence = sequence
            case .bool(let flag):
                if flag { render(start, end, &context, into: &output) }
            case .null:
                return
            case .text(let text):
                // As the string it shows.
                renderSection(.string(text.string), start, end, &context, into: &output)
            default:
                render(start, end, pushing: value, &context, into: &output)
            }
        }

        private func renderInverted(_ value: TemplateValue?, _ start: Int32, _ end: Int32, _ context: inout Context,
                                    into output: inout [UInt8]) {
            guard let value else { return render(start, end, &context, into: &output) }
            switch value {
            case .list(let list):
                guard list.count == 0 else { return }
                render(start, end, pushing: value, &context, into: &output)
            case .bool(let flag):
                if !flag { render(start, end, &context, into: &output) }
            case .null:
                render(start, end, &context, into: &output)
            case .text(let text):
                renderInverted(.string(text.string), start, end, &context, into: &output)
            default:
                return
            }
        }
    }

    /// Writes a variable tag of a name looked up on the stack, without transforms: as `lookUp` then `append`, with
    /// the last part written by the object that has it (`appendMember`) rather than handed over as a value.
    private static func appendMember(_ name: LoweredName, _ words: UnsafeBufferPointer<TemplateName>, in context: Context,
                                     escaped: Bool, to output: inout [UInt8], found: inout Int) {
        let last = words[Int(name.parts.upperBound) - 1]
        guard name.parts.count == 1 else {
            // `a.b.c`: `c` of what `a.b` stands for (found as that tag would find it), when that is an object.
            var owner = name
            owner.parts = name.parts.lowerBound..<(name.parts.upperBound - 1)
            if case .object(let object)? = lookUp(owner, words, in: context, found: &found) {
                _ = object.appendMember(last, escaped: escaped, to: &output)
            }
            return
        }
        // The first object up the stack that has the member writes it (the objects are asked in place, unretained).
        context.objects.withUnsafeBufferPointer { objects in
            for index in objects.indices.reversed() {
                if let object = objects[index],
                   object._withUnsafeGuaranteedRef({ $0.appendMember(last, escaped: escaped, to: &output) }) {
                    found = index
                    return
                }
            }
        }
    }

    /// Appends the text a variable tag shows (nothing for nil or null), HTML-escaped when asked.
    static func append(_ value: TemplateValue?, escaped: Bool, to output: inout [UInt8]) {
        if case .string(let text)? = value {
            _ = TemplateOutput.append(text, escaped: escaped, to: &output)
            return
        }
        if case .text(let text)? = value {
            _ = TemplateOutput.append(text, escaped: escaped, to: &output)
            return
        }
        if case .int(let number)? = value {
            // Digits written in place (chapter numbers show on every backlink): no string made for them.
            DecimalDigits.append(number, to: &output)
            return
        }
        guard let shown = text(of: value) else { return }
        _ = TemplateOutput.append(shown, escaped: escaped, to: &output)
    }

    /// The text a variable tag shows, or nil for nothing.
    fileprivate static func text(of value: TemplateValue?) -> String? {
        switch value {
        case nil, .null: return nil
        case .string(let text): return text
        case .text(let text): return text.string
        case .int(let number): return String(number)
        case .double(let number): return String(describing: number)
        case .bool(let flag): return flag ? "true" : "false"
        case .list(let list): return list.listDescription
        case .object(let object): return String(describing: object)
        }
    }

    /// The value a name stands for, transforms applied; nil when not found. `position` is set to where on the stack
    /// the name was found (-1 when it was not, or it names a list position).
    private static func lookUp(_ name: LoweredName, _ words: UnsafeBufferPointer<TemplateName>, in context: Context,
                               found position: inout Int) -> TemplateValue? {
        let parts = Int(name.parts.lowerBound)..<Int(name.parts.upperBound)
        let found: TemplateValue?
        switch name.root {
        case .current:
            position = context.stack.count - 1
            found = context.stack.last
        case .sequence:
            position = -1
            guard let sequence = context.sequence else { return nil }
            return Self.sequenceTransform(sequence, name.transforms, words)
        case .anchored:
            position = context.stack.count - 1
            found = context.stack.withUnsafeBufferPointer { stack in
                stack.isEmpty ? nil : Self.descend(stack[stack.count - 1], parts, words)
            }
        case .stack:
            guard !parts.isEmpty else {
                position = context.stack.count - 1
                found = context.stack.last
                break
            }
            // The objects of the stack are asked in place, unretained (copying each out of the stack was a twentieth
            // of a build).
            let first = words[parts.lowerBound]
            position = -1
            found = context.objects.withUnsafeBufferPointer { objects -> TemplateValue? in
                var index = objects.count - 1
                while index >= 0 {
                    if let object = objects[index] {
                        let child = object._withUnsafeGuaranteedRef { $0.member(first) }
                        if case .null = child {} else {
                            position = index
                            return parts.count == 1 ? child : Self.descend(child, parts.dropFirst(), words)
                        }
                    }
                    index -= 1
                }
                return nil
            }
        }
        if name.transforms.isEmpty { return found }
        guard var result = found else { return nil }
        var transform = Int(name.transforms.upperBound) - 1
        while transform >= Int(name.transforms.lowerBound) {
            guard let transformed = Self.transform(result, words[transform].text) else { return nil }
            result = transformed
            transform -= 1
        }
        return result
    }

    /// The member at the end of `parts`, from `value` down (`value` itself when there are none); nil when one is
    /// absent.
    private static func descend(_ value: TemplateValue, _ parts: Range<Int>,
                                _ words: UnsafeBufferPointer<TemplateName>) -> TemplateValue? {
        guard let first = parts.first else { return value }
        guard let child = member(words[first], of: value) else { return nil }
        var current = child
        for part in parts.dropFirst() {
            guard let next = member(words[part], of: current) else { return nil }
            current = next
        }
        return current
    }

    /// A member of an object; nil when absent (swift-mustache's lookup finds nothing in a nil member either).
    private static func member(_ name: TemplateName, of value: TemplateValue) -> TemplateValue? {
        guard case .object(let object) = value else { return nil }
        let member = object.member(name)
        if case .null = member { return nil }
        return member
    }

    private static func sequenceTransform(_ position: (first: Bool, last: Bool, index: Int), _ range: Range<Int32>,
                                          _ words: UnsafeBufferPointer<TemplateName>) -> TemplateValue? {
        // Read in place (not copied into a list of names: position transforms run for every element of a list).
        let transforms = words[Int(range.lowerBound)..<Int(range.upperBound)]
        guard let innermost = transforms.last else { return nil }
        var result: TemplateValue
        switch innermost.text {
        case "first": result = .bool(position.first)
        case "last": result = .bool(position.last)
        case "index": result = .int(position.index)
        case "even": result = .bool(position.index & 1 == 0)
        case "odd": result = .bool(position.index & 1 == 1)
        default: return nil
        }
        for next in transforms.dropLast().reversed() {
            guard let transformed = transform(result, next.text) else { return nil }
            result = transformed
        }
        return result
    }

    /// swift-mustache's transforms on strings, integers and arrays; nil when the value has no such transform.
    private static func transform(_ value: TemplateValue, _ name: String) -> TemplateValue? {
        switch value {
        case .text(let text):
            return transform(.string(text.string), name)
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

    private final class ReversedList: TemplateList {
        let base: any TemplateList
        init(base: any TemplateList) { self.base = base }
        var count: Int { base.count }
        func element(_ index: Int) -> TemplateValue { base.element(base.count - 1 - index) }
        func elementMemo(_ index: Int) -> Unmanaged<RenderMemo>? { base.elementMemo(base.count - 1 - index) }
        var listDescription: String { String(describing: self) }
        var mustacheArray: Any { (0..<count).map { element($0).mustacheValue as Any } }
    }
}

private extension String {
    /// Foundation's `capitalized`, as swift-mustache uses.
    var capitalizedLikeFoundation: String { (self as NSString).capitalized }
}

