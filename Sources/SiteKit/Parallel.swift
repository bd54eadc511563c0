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

/// Lets `value` go on another thread: freeing what a large build no longer needs (its source texts, say) takes
/// a core's hundredths of a second, spent where the build waits on one thread.
func releaseLater<T>(_ value: T) {
    let box = Released(value)
    DispatchQueue.global().async { box.release() }
}

private final class Released: @unchecked Sendable {
    private var value: Any?
    init(_ value: Any) { self.value = value }
    func release() { value = nil }
}
