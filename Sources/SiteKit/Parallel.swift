import Dispatch

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
