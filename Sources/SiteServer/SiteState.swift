import Foundation
import SiteKit

/// What the server serves: the files of the last good build, the problems of the last build if it failed, and the
/// browsers listening for reload events.
actor SiteState {
    private(set) var files: [String: OutputFile] = [:]
    private(set) var problems: [Problem] = []
    private(set) var generation = 0
    private var listeners: [UUID: AsyncStream<[UInt8]>.Continuation] = [:]

    func succeed(_ outputs: [OutputFile]) {
        var table: [String: OutputFile] = [:]
        for file in outputs { table[file.path] = file }
        files = table
        problems = []
        generation += 1
        broadcast(event: "reload", data: "\(generation)")
    }

    func fail(_ problems: [Problem]) {
        self.problems = problems
        broadcast(event: "failed", data: Self.json(problems))
    }

    /// A new stream of server-sent events for one browser, starting with the current state.
    func subscribe() -> AsyncStream<[UInt8]> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<[UInt8]>.makeStream(bufferingPolicy: .bufferingNewest(16))
        listeners[id] = continuation
        continuation.onTermination = { [weak self] _ in
            Task { await self?.unsubscribe(id) }
        }
        continuation.yield(Self.event("hello", "\(generation)"))
        if !problems.isEmpty { continuation.yield(Self.event("failed", Self.json(problems))) }
        return stream
    }

    func unsubscribe(_ id: UUID) {
        listeners[id] = nil
    }

    /// Ends every event stream (the server is stopping).
    func finish() {
        for continuation in listeners.values { continuation.finish() }
        listeners = [:]
    }

    private func broadcast(event: String, data: String) {
        let bytes = Self.event(event, data)
        for continuation in listeners.values { continuation.yield(bytes) }
    }

    static func event(_ name: String, _ data: String) -> [UInt8] {
        let lines = data.split(separator: "\n", omittingEmptySubsequences: false).map { "data: \($0)" }.joined(separator: "\n")
        return Array("event: \(name)\n\(lines)\n\n".utf8)
    }

    static func json(_ problems: [Problem]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(problems) else { return "[]" }
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "</", with: "<\\/")
    }
}
