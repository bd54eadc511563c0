/// A front-matter value with the position of every node, read from libyaml's events at the content boundary (`YAMLReader`).
public struct YAMLValue: Sendable, Equatable {
    /// The shape of a node.
    public indirect enum Kind: Sendable, Equatable {
        /// A scalar: its text, and the type YAML resolved for it (`str`, `int`, `float`, `bool`, `null`).
        case scalar(String, ScalarType)
        /// A sequence of values.
        case sequence([YAMLValue])
        /// A mapping, in file order.
        case mapping([Entry])
    }

    /// The type YAML resolves a scalar to.
    public enum ScalarType: String, Sendable, Equatable {
        case string, int, float, bool, null
    }

    /// One key of a mapping with the key's own position.
    public struct Entry: Sendable, Equatable {
        /// The key text.
        public var key: String
        /// Where the key starts.
        public var keyLocation: SourceLocation
        /// The value.
        public var value: YAMLValue
    }

    /// The node's shape and contents.
    public var kind: Kind
    /// Where the node starts.
    public var location: SourceLocation

    /// Creates a node.
    public init(_ kind: Kind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    /// The scalar text, for any scalar (numbers included); nil for sequences, mappings and null.
    public var text: String? {
        if case .scalar(let text, let type) = kind, type != .null { return text }
        return nil
    }

    /// The value as an integer, when it is one.
    public var int: Int? {
        if case .scalar(let text, .int) = kind { return Int(text) }
        return nil
    }

    /// The value as a number (integers included).
    public var double: Double? {
        if case .scalar(let text, let type) = kind, type == .int || type == .float { return Double(text) }
        return nil
    }

    /// The value as a boolean, when it is one.
    public var bool: Bool? {
        if case .scalar(let text, .bool) = kind {
            return ["true", "yes", "on"].contains(text.lowercased())
        }
        return nil
    }

    /// The elements, when the value is a sequence.
    public var sequence: [YAMLValue]? {
        if case .sequence(let items) = kind { return items }
        return nil
    }

    /// The entries, when the value is a mapping.
    public var mapping: [Entry]? {
        if case .mapping(let entries) = kind { return entries }
        return nil
    }

    /// The value of a key, when the value is a mapping holding it.
    public subscript(key: String) -> YAMLValue? {
        mapping?.first { $0.key == key }?.value
    }

    /// A short name of the shape, for messages: "a string", "a list", "a mapping".
    public var shapeDescription: String {
        switch kind {
        case .scalar(_, .int): return "a number"
        case .scalar(_, .float): return "a number"
        case .scalar(_, .bool): return "a boolean"
        case .scalar(_, .null): return "nothing"
        case .scalar: return "a string"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }
}
