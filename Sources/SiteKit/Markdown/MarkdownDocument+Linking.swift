import CCmark
import CMarkArena
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the Markdown walk asks the linker about.
public enum LinkRequest: Sendable, Equatable {
    /// A `[[target]]` or `[[target|label]]` reference.
    case reference(target: String, label: String?)
    /// The destination of a Markdown link.
    case link(url: String)
    /// The source of a Markdown image, with its alt text.
    case image(url: String, alt: String)
    /// A piece of raw HTML (block or inline).
    case rawHTML
}

/// The linker's answer to a `LinkRequest`.
public enum LinkResolution: Sendable, Equatable {
    /// Make an entity link: `<a class="…" href="…">text</a>`; `key` identifies the entity for backlinks.
    case entity(href: String, text: String, cssClass: String, key: String)
    /// Make an entity link whose opening tag is given whole, as `MarkdownDocument.entityTag` makes it (made once for
    /// an entity, rather than escaped again for every reference to it).
    case entityTag(tag: [UInt8], text: String, key: String)
    /// Rewrite the link or image destination.
    case url(String)
    /// Leave the node as it is.
    case keep
    /// Remove the node (raw HTML that is not allowed).
    case drop
}

/// One entity reference as placed in a page: which entity, which section, and the sentence around it.
public struct ReferenceOccurrence: Sendable, Equatable {
    /// The entity's key, as given in `LinkResolution.entity`.
    public var key: String
    /// Index into the document's `headings` of the section holding the reference; nil before the first heading.
    public var headingIndex: Int?
    /// The sentence around the reference, plain text.
    public var snippet: String
    /// Where the reference is in the source.
    public var location: SourceLocation
}

extension MarkdownDocument {
    /// Resolves every reference, link and image of the tree through `resolve`, editing the tree in place.
    /// Returns the entity references in document order. Call once.
    public func link(_ resolve: (LinkRequest, SourceLocation) -> LinkResolution) -> [ReferenceOccurrence] {
        inArena { linkInArena(resolve) }
    }

    private func linkInArena(_ resolve: (LinkRequest, SourceLocation) -> LinkResolution) -> [ReferenceOccurrence] {
        var occurrences: [ReferenceOccurrence] = []
        var headingIndex: Int?
        var nextHeading = 0
        var doomed: [OpaquePointer] = []
        let kinds: [UInt32] = [CMARK_NODE_PARAGRAPH.rawValue, CMARK_NODE_HEADING.rawValue,
                                  CMARK_NODE_HTML_BLOCK.rawValue]
        var scratch = Inline.Scratch()
        var entityNodes: [Snippets.EntityNode] = []
        for block in blocks(ofTypes: kinds) {
            let blockType = Inline.type(block)
            if blockType == CMARK_NODE_HTML_BLOCK {
                if resolve(.rawHTML, location(of: block)) == .drop { doomed.append(block) }
                continue
            }
            if blockType == CMARK_NODE_HEADING {
                headingIndex = nextHeading
                nextHeading += 1
            }
            entityNodes.removeAll(keepingCapacity: true)
            // Raw HTML inside this block that is dropped: freed once the block is walked. (They were kept in `doomed`
            // and told apart from blocks by reading their type after they were freed: another thread could have
            // been given that memory, and a node of its tree was then unlinked and freed here.)
            var droppedInline: [OpaquePointer] = []
            scratch.inlines.removeAll(keepingCapacity: true)
            Inline.forEachDescendant(of: block, stack: &scratch.stack) { scratch.inlines.append(($0, $1)) }
            for index in scratch.inlines.indices {
                let (node, insideLink) = scratch.inlines[index]
                switch Inline.type(node) {
                case CMARK_NODE_TEXT where !insideLink:
                    // Most text nodes hold no reference: they are not copied out of cmark to find that out, and the
                    // walk over one is not entered (each call was four reference counts of what the linker's closure
                    // holds, for every text node of the book).
                    guard let literal = cmark_node_get_literal(node), strstr(literal, "[[") != nil else { break }
                    linkReferences(in: node, resolve, &entityNodes, &scratch)
                case CMARK_NODE_LINK:
                    rewrite(node, request: .link(url: url(of: node)), resolve)
                case CMARK_NODE_IMAGE:
                    rewrite(node, request: .image(url: url(of: node), alt: Inline.plainText(of: node)), resolve)
                case CMARK_NODE_HTML_INLINE:
                    if resolve(.rawHTML, location(of: node)) == .drop { droppedInline.append(node) }
                default:
                    break
                }
            }
            for node in droppedInline {
                cmark_node_unlink(node)
                cmark_node_free(node)
            }
            if !entityNodes.isEmpty {
                Snippets.appendOccurrences(in: block, entityNodes: entityNodes, headingIndex: headingIndex,
                                           to: &occurrences, &scratch)
            }
            if blockType == CMARK_NODE_HEADING, let headingIndex {
                setHeadingTitle(Inline.plainText(of: block, &scratch), at: headingIndex)
            } else {
                let section = (headingIndex ?? -1) + 1
                while sectionIntros.count <= section { sectionIntros.append("") }
                if sectionIntros[section].utf8.count < Self.introLength {
                    let text = Inline.plainText(of: block, &scratch)
                    sectionIntros[section] += (sectionIntros[section].isEmpty ? "" : " ") + text
                }
            }
        }
        for node in doomed {
            cmark_node_unlink(node)
            cmark_node_free(node)
        }
        // Blocks are walked in document order, so the references mostly are in order already: sorted (a copy of
        // every one) only when they are not.
        func before(_ a: ReferenceOccurrence, _ b: ReferenceOccurrence) -> Bool {
            (a.location.line ?? 0, a.location.column ?? 0) < (b.location.line ?? 0, b.location.column ?? 0)
        }
        let inOrder = occurrences.withUnsafeBufferPointer { list in
            list.indices.dropFirst().allSatisfy { !before(list[$0], list[$0 - 1]) }
        }
        return inOrder ? occurrences : occurrences.sorted(by: before)
    }

    private func url(of node: OpaquePointer) -> String {
        guard let pointer = cmark_node_get_url(node) else { return "" }
        return String(cString: pointer)
    }

    private func rewrite(_ node: OpaquePointer, request: LinkRequest,
                         _ resolve: (LinkRequest, SourceLocation) -> LinkResolution) {
        if case .url(let new) = resolve(request, location(of: node)) {
            cmark_node_set_url(node, new)
        }
    }

    /// Splits a text node around its `[[…]]` references, inserting an entity link for each resolved one.
    /// Literals and tags are handed to cmark as bytes with a terminating zero, not as strings (which were made, and
    /// then copied again into C strings, for every reference of the book).
    private func linkReferences(in node: OpaquePointer, _ resolve: (LinkRequest, SourceLocation) -> LinkResolution,
                                _ entityNodes: inout [Snippets.EntityNode], _ scratch: inout Inline.Scratch) {
        // (The caller has found "[[" in the node's text.)
        // The scratch buffers are swapped out for the walk and back after it, emptied, for the next node (swapped,
        // not copied: copying them out and back was six reference counts for every text node holding a reference).
        var bytes: [UInt8] = [], pending: [UInt8] = [], tag: [UInt8] = [], matches: [ReferenceSyntax.Match] = []
        swap(&bytes, &scratch.literal)
        swap(&pending, &scratch.pending)
        swap(&tag, &scratch.tag)
        swap(&matches, &scratch.matches)
        defer {
            bytes.removeAll(keepingCapacity: true)
            pending.removeAll(keepingCapacity: true)
            tag.removeAll(keepingCapacity: true)
            matches.removeAll(keepingCapacity: true)
            swap(&bytes, &scratch.literal)
            swap(&pending, &scratch.pending)
            swap(&tag, &scratch.tag)
            swap(&matches, &scratch.matches)
        }
        Inline.appendLiteral(node, to: &bytes)
        ReferenceSyntax.scan(bytes, into: &matches)
        guard !matches.isEmpty else { return }
        var last = 0
        var anchor = node
        var first = true
        func flush() {
            if first {
                Self.withCString(&pending) { cmark_node_set_literal(node, $0) }
                first = false
            } else if !pending.isEmpty {
                let textNode = newNode(CMARK_NODE_TEXT)
                Self.withCString(&pending) { cmark_node_set_literal(textNode, $0) }
                cmark_node_insert_after(anchor, textNode)
                anchor = textNode
            }
            pending.removeAll(keepingCapacity: true)
        }
        for (number, match) in matches.enumerated() {
            pending += bytes[last..<match.range.lowerBound]
            last = match.range.upperBound
            let raw = bytes[match.range]
            // How many times this reference, as written, came before it in the node: the node's few references are
            // compared where they lie (no list of those seen is made for each node).
            var occurrence = 0
            for earlier in matches[..<number] where bytes[earlier.range].elementsEqual(raw) { occurrence += 1 }
            let where_ = location(of: raw, from: node, occurrence: occurrence)
            let text: String, key: String
            tag.removeAll(keepingCapacity: true)
            switch resolve(.reference(target: match.target, label: match.label), where_) {
            case .entity(let href, let shown, let cssClass, let entityKey):
                Self.appendEntityTag(href: href, cssClass: cssClass, key: entityKey, to: &tag)
                (text, key) = (shown, entityKey)
            case .entityTag(let whole, let shown, let entityKey):
                tag += whole
                (text, key) = (shown, entityKey)
            default:
                pending += raw
                continue
            }
            flush()
            let link = newNode(CMARK_NODE_CUSTOM_INLINE)
            Self.withCString(&tag) { cmark_node_set_on_enter(link, $0) }
            cmark_node_set_on_exit(link, "</a>")
            let label = newNode(CMARK_NODE_TEXT)
            _ = text.withCString { cmark_node_set_literal(label, $0) }
            cmark_node_append_child(link, label)
            cmark_node_insert_after(anchor, link)
            anchor = link
            entityNodes.append(Snippets.EntityNode(node: link, key: key, location: where_))
        }
        pending += bytes[last...]
        flush()
    }

    /// The opening tag of an entity link: `<a class="…" href="…" data-ref="…">`, escaped.
    public static func entityTag(href: String, cssClass: String, key: String) -> [UInt8] {
        var tag: [UInt8] = []
        appendEntityTag(href: href, cssClass: cssClass, key: key, to: &tag)
        return tag
    }

    private static func appendEntityTag(href: String, cssClass: String, key: String, to tag: inout [UInt8]) {
        tag += "<a class=\"".utf8
        HTML.appendEscaped(cssClass, to: &tag)
        tag += "\" href=\"".utf8
        HTML.appendEscaped(href, to: &tag)
        tag += "\" data-ref=\"".utf8
        HTML.appendEscaped(key, to: &tag)
        tag += "\">".utf8
    }

    /// Hands `bytes` to `body` as a C string (a zero is appended for the call, then removed).
    private static func withCString(_ bytes: inout [UInt8], _ body: (UnsafePointer<CChar>) -> Void) {
        bytes.append(0)
        bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) }
        }
        bytes.removeLast()
    }
}
