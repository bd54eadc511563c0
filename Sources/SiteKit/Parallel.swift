import Dispatch
import Foundation

/// Maps `items` through `transform` on every core; results keep the input order.
func parallelMap<T: Sendable, R: Sendable>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
    guard items.count > 1 else { return items.map(transform) }
    let slots = Slots<R>(count: items.count)
    DispatchQueue.concurrentPerform(iterations: items.count) { index in
        slots.set(index, transform(items[index]))
    }
    return slots.values
}

/// Result storage written by index from several threads, each index exactly once. The buffer is allocated once
/// and never resized, so concurrent writes to distinct indices do not race.
private final class Slots<R>: @unchecked Sendable {
    private let buffer: UnsafeMutableBufferPointer<R?>

    init(count: Int) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: nil)
    }

    deinit {
        buffer.deinitialize()
        buffer.deallocate()
    }

    func set(_ index: Int, _ value: R) { buffer[index] = value }

    var values: [R] { buffer.map { $0! } }
}

/// Maps `items` through `transform` on a thread of its own, started at once, while the caller goes on with steps that
/// leave a core idle; `results` then takes the items not yet started on the caller's thread too, and returns every
/// result in the input order. (On two cores, as fast as `parallelMap` called at that point would be: two threads map
/// what is left.)
final class BackgroundMap<T: Sendable, R: Sendable>: @unchecked Sendable {
    private let items: [T]
    private let transform: @Sendable (T) -> R
    private let slots: Slots<R>
    private let lock = NSLock()
    private var next = 0
    private let chunk: Int
    private let done = DispatchGroup()

    init(_ items: [T], chunk: Int = 64, _ transform: @escaping @Sendable (T) -> R) {
        self.items = items
        self.transform = transform
        self.chunk = max(chunk, 1)
        slots = Slots(count: items.count)
        guard !items.isEmpty else { return }
        done.enter()
        DispatchQueue.global().async {
            self.work()
            self.done.leave()
        }
    }

    /// Every result, in the order of the items.
    var results: [R] {
        work()
        done.wait()
        return slots.values
    }

    /// Maps runs of items until none is left.
    private func work() {
        while let run = claim() {
            for index in run { slots.set(index, transform(items[index])) }
        }
    }

    private func claim() -> Range<Int>? {
        lock.lock()
        defer { lock.unlock() }
        guard next < items.count else { return nil }
        let start = next
        next = min(start + chunk, items.count)
        return start..<next
    }
}

/// A value computed on another thread, waited for where it is needed.
final class Eventually<Value: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var result: Value?
    private var done = false

    func set(_ value: Value) {
        condition.lock()
        result = value
        done = true
        condition.broadcast()
        condition.unlock()
    }

    /// The value, once set.
    var value: Value {
        condition.lock()
        defer { condition.unlock() }
        while !done { condition.wait() }
        return result!
    }
}

/// A value made the first time it is asked for, by whichever thread asks first; the others wait for it.
final class Lazy<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var made: Value?

    func value(_ make: () -> Value) -> Value {
        lock.lock()
        defer { lock.unlock() }
        if let made { return made }
        let value = make()
        made = value
        return value
    }
}

/// Holds a value until `releaseLater` lets it go on another thread: freeing what a large build no longer needs (its
/// source texts, say) takes a core's hundredths of a second, spent where the build waits on one thread. The caller
/// drops its own references first, so that the last of each is this one and nothing is freed on its thread.
final class HeldForRelease: @unchecked Sendable {
    private var value: Any?
    init(_ value: Any) { self.value = value }

    func releaseLater() {
        DispatchQueue.global().async { self.value = nil }
    }
}
