import CCmark
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension MarkdownDocument {
    /// Renders the (linked) tree to HTML: headings get their ids, raw HTML is kept only when `unsafe` is true.
    /// Call once, after `link`.
    public func renderHTML(unsafe: Bool) -> String {
        let options = unsafe ? CMARK_OPT_UNSAFE : CMARK_OPT_DEFAULT
        let headingNodes = blocks(ofTypes: [CMARK_NODE_HEADING.rawValue])
        for (index, node) in headingNodes.enumerated() where index < headings.count {
            let inner = Self.render(node, options: options)
            let level = headings[index].level
            let open = "<h\(level)>"
            guard inner.hasPrefix(open) else { continue }
            let html = "<h\(level) id=\"\(HTML.escape(headings[index].id))\">" + inner.dropFirst(open.count)
            let replacement = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK)!
            cmark_node_set_on_enter(replacement, html)
            cmark_node_set_on_exit(replacement, "")
            cmark_node_replace(node, replacement)
            cmark_node_free(node)
        }
        return Self.render(root, options: options)
    }

    static func render(_ node: OpaquePointer, options: Int32) -> String {
        guard let pointer = cmark_render_html(node, options) else { return "" }
        defer { free(pointer) }
        return String(cString: pointer)
    }
}
