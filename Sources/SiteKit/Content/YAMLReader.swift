import CYaml
import Yams

/// Reads YAML into positioned `YAMLValue`s from libyaml's events: the libyaml Yams builds and parses with (its module
/// `CYaml`), without Yams' node tree in between. Building that tree (a `Tag` object and copies of enum payloads per
/// scalar, a dictionary of nodes per mapping to find duplicate keys) and converting it again was four fifths of
/// reading front-matter, 4% of a 10,000-chapter build. libyaml still does all the scanning and parsing, and Yams'
/// default resolver still gives plain scalars their types.
///
/// It composes as Yams does: one document at most (`Yams.compose`), aliases standing for the node their anchor named,
/// and a mapping that repeats a key (a scalar compared by its text and tag, untagged ones being strings) refused.
enum YAMLReader {
    /// A position as libyaml gives it, counted from 1: the line, and the column in Unicode scalars.
    struct Mark: Equatable {
        var line: Int
        var column: Int
    }

    /// Why a text could not be read.
    enum Failure: Error {
        /// libyaml found the text malformed (`problem` at `mark`, while reading what began at `context`), or the
        /// events do not compose (an undefined alias, a second document).
        case syntax(problem: String, mark: Mark, context: String?, contextMark: Mark?)
        /// libyaml could not decode the input.
        case reader(problem: String)
        /// A mapping has `key` more than once; `repeated` is where it comes again.
        case duplicateKey(String, first: Mark, repeated: Mark)
        /// libyaml ran out of memory.
        case memory
    }

    /// The one document of the UTF-8 bytes `range` of `text` (all of them when nil), read where they lie; nil when
    /// there is none.
    static func read(_ text: String, bytes range: Range<Int>? = nil, converter: MarkConverter) -> Result<YAMLValue?, Failure> {
        var text = text
        return text.withUTF8 { utf8 in
            let bytes = UnsafeRawBufferPointer(utf8)
            return Result { () throws(Failure) in
                try read(UnsafeRawBufferPointer(rebasing: bytes[range ?? 0..<bytes.count]), converter: converter)
            }
        }
    }

    /// The one document of `bytes` (UTF-8), nil when there is none; `converter` turns marks into file positions.
    static func read(_ bytes: UnsafeRawBufferPointer, converter: MarkConverter) throws(Failure) -> YAMLValue? {
        guard let start = bytes.baseAddress, !bytes.isEmpty else { return nil }
        var reader = EventReader(converter: converter)
        guard yaml_parser_initialize(&reader.parser) == 1 else { throw .memory }
        defer { yaml_parser_delete(&reader.parser) }
        yaml_parser_set_encoding(&reader.parser, YAML_UTF8_ENCODING)
        // libyaml reads through the pointer only while parsing, all of which happens in this call.
        yaml_parser_set_input_string(&reader.parser, start.assumingMemoryBound(to: UInt8.self), bytes.count)
        return try reader.document()
    }

    /// Walks libyaml's events for one stream.
    private struct EventReader {
        var parser = yaml_parser_t()
        let converter: MarkConverter
        /// Nodes by their anchor, the latest of a name winning (anchors may shadow one another).
        var anchors: [String: YAMLValue] = [:]

        init(converter: MarkConverter) {
            self.converter = converter
        }

        private func location(_ mark: Mark) -> SourceLocation { converter.location(mark) }

        mutating func document() throws(Failure) -> YAMLValue? {
            var event = try next()   // the stream's start
            yaml_event_delete(&event)
            event = try next()
            defer { yaml_event_delete(&event) }
            guard event.type == YAML_DOCUMENT_START_EVENT else { return nil }
            var rootEvent = try next()
            let root = try node(&rootEvent)
            var end = try next()   // the document's end
            yaml_event_delete(&end)
            var after = try next()
            defer { yaml_event_delete(&after) }
            if after.type != YAML_STREAM_END_EVENT {
                // Yams' words for it.
                throw .syntax(problem: "but found another document", mark: Self.mark(after.start_mark),
                              context: "expected a single document in the stream", contextMark: Mark(line: 1, column: 1))
            }
            return root
        }

        /// The node `event` opens, read to its end; `event` is released. A mapping key's type is not resolved
        /// (`asKey`): keys are read as text, and resolving `title` or `name` ran the resolver's expressions on most
        /// keys of a book.
        private mutating func node(_ event: inout yaml_event_t, asKey: Bool = false) throws(Failure) -> YAMLValue {
            defer { yaml_event_delete(&event) }
            let mark = Self.mark(event.start_mark)
            switch event.type {
            case YAML_ALIAS_EVENT:
                guard let value = anchors[Self.string(event.data.alias.anchor) ?? ""] else {
                    throw .syntax(problem: "found undefined alias", mark: mark, context: nil, contextMark: nil)
                }
                return value
            case YAML_SCALAR_EVENT:
                let scalar = event.data.scalar
                let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
                let tag = scalar.quoted_implicit == 1 ? Tag.Name.str.rawValue : Self.string(scalar.tag)
                // An anchored key is typed all the same: an alias may put it where a value goes.
                let type = asKey && scalar.anchor == nil ? .string : Self.type(of: text, tag: tag)
                let value = YAMLValue(.scalar(text, type), at: location(mark))
                remember(value, as: scalar.anchor)
                return value
            case YAML_SEQUENCE_START_EVENT:
                var elements: [YAMLValue] = []
                while true {
                    var element = try next()
                    if element.type == YAML_SEQUENCE_END_EVENT {
                        yaml_event_delete(&element)
                        break
                    }
                    elements.append(try node(&element))
                }
                let value = YAMLValue(.sequence(elements), at: location(mark))
                remember(value, as: event.data.sequence_start.anchor)
                return value
            case YAML_MAPPING_START_EVENT:
                var entries: [YAMLValue.Entry] = []
                var keys: [(key: String, tag: String?, mark: Mark)] = []
                while true {
                    var keyEvent = try next()
                    if keyEvent.type == YAML_MAPPING_END_EVENT {
                        yaml_event_delete(&keyEvent)
                        break
                    }
                    let keyMark = Self.mark(keyEvent.start_mark)
                    // A scalar key is compared by its text and its tag, nil for a string (Yams compares keys with
                    // the basic resolver, for which every untagged scalar is a string); other keys are never the
                    // same key.
                    var keyTag: String?
                    if keyEvent.type == YAML_SCALAR_EVENT, keyEvent.data.scalar.quoted_implicit != 1,
                       let tag = Self.string(keyEvent.data.scalar.tag), tag != Tag.Name.str.rawValue {
                        keyTag = tag
                    }
                    let key = try node(&keyEvent, asKey: true)
                    var valueEvent = try next()
                    let value = try node(&valueEvent)
                    var text = ""
                    if case .scalar(let scalarText, _) = key.kind {
                        text = scalarText
                        keys.append((text, keyTag, keyMark))
                    }
                    entries.append(YAMLValue.Entry(key: text, keyLocation: key.location, value: value))
                }
                try checkDuplicates(keys)
                let value = YAMLValue(.mapping(entries), at: location(mark))
                remember(value, as: event.data.mapping_start.anchor)
                return value
            default:
                // libyaml gives only nodes where a node is expected.
                throw .syntax(problem: "found an unexpected event", mark: mark, context: nil, contextMark: nil)
            }
        }

        /// Refuses a mapping with a key twice, naming the repeated key whose text sorts first (Yams sorts the
        /// repeated keys and names the first), at its second occurrence.
        private func checkDuplicates(_ keys: [(key: String, tag: String?, mark: Mark)]) throws(Failure) {
            // Compared pair by pair: front-matter mappings have a handful of keys (a dictionary for each was slower).
            var found: (key: String, first: Mark, repeated: Mark)?
            for index in keys.indices {
                for earlier in 0..<index where keys[earlier].key == keys[index].key && keys[earlier].tag == keys[index].tag {
                    if found == nil || keys[index].key < found!.key {
                        found = (keys[index].key, keys[earlier].mark, keys[index].mark)
                    }
                    break
                }
            }
            if let found { throw .duplicateKey(found.key, first: found.first, repeated: found.repeated) }
        }

        private mutating func remember(_ value: YAMLValue, as anchor: UnsafeMutablePointer<UInt8>?) {
            if let name = Self.string(anchor) { anchors[name] = value }
        }

        /// The next event (the caller releases it).
        private mutating func next() throws(Failure) -> yaml_event_t {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else { throw failure() }
            return event
        }

        /// What libyaml reported, as Yams reports it.
        private func failure() -> Failure {
            let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
            switch parser.error {
            case YAML_MEMORY_ERROR:
                return .memory
            case YAML_READER_ERROR:
                return .reader(problem: problem)
            default:
                let context = parser.context.map { String(cString: $0) }
                return .syntax(problem: problem, mark: Self.mark(parser.problem_mark), context: context,
                               contextMark: context == nil ? nil : Self.mark(parser.context_mark))
            }
        }

        private static func mark(_ mark: yaml_mark_t) -> Mark {
            Mark(line: mark.line + 1, column: mark.column + 1)
        }

        private static func string(_ pointer: UnsafeMutablePointer<UInt8>?) -> String? {
            pointer.map { String(cString: $0) }
        }

        /// The type of a scalar with `tag` (nil when it has none): an explicit tag's, or the type Yams' default
        /// resolver gives the text.
        private static func type(of text: String, tag: String?) -> YAMLValue.ScalarType {
            let name: Tag.Name
            if let tag {
                name = Tag.Name(rawValue: tag)
            } else if let first = text.utf8.first, !typedStarts.contains(first) {
                // A plain scalar that starts with none of the characters a boolean, number or null can start with is
                // a string: told without the resolver's regular expressions (run on every title and summary, they
                // were a few percent of reading a large book).
                return .string
            } else if let number = decimalType(text.utf8) {
                // Plain decimal numbers (years, coordinates) are told apart without them too.
                return number
            } else {
                name = Resolver.default.resolveTag(of: Node.scalar(Node.Scalar(text)))
            }
            switch name {
            case .int: return .int
            case .float: return .float
            case .bool: return .bool
            case .null: return .null
            default: return .string
            }
        }

        /// `int` for an optional sign and `0` or digits not starting with `0`; `float` for an optional sign, digits, a
        /// point and digits; nil for anything else (what the resolver's rules give these: the boolean rule matches no
        /// digits, and the integer rule, tried before the float one, no point).
        private static func decimalType(_ text: String.UTF8View) -> YAMLValue.ScalarType? {
            var index = text.startIndex
            if index < text.endIndex, text[index] == 0x2B || text[index] == 0x2D { index = text.index(after: index) }
            func digits() -> Int {
                var count = 0
                while index < text.endIndex, (0x30...0x39).contains(text[index]) {
                    index = text.index(after: index)
                    count += 1
                }
                return count
            }
            let whole = index < text.endIndex ? text[index] : 0
            let wholeDigits = digits()
            guard wholeDigits > 0 else { return nil }
            if index == text.endIndex { return whole != 0x30 || wholeDigits == 1 ? .int : nil }
            guard text[index] == 0x2E else { return nil }
            index = text.index(after: index)
            return digits() > 0 && index == text.endIndex ? .float : nil
        }

        /// The first bytes of every scalar Yams' default rules read as a boolean, integer, float or null.
        private static let typedStarts = Set("0123456789+-.~yYnNtTfFoO".utf8)
    }
}
