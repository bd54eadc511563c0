import CPrefault
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import SiteKit

/// The helpers that put work on other threads: `BackgroundMap`, `HeldForRelease` and `site_prefault`.
@Suite struct ParallelTests {
    /// Counts calls from several threads.
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var counts: [Int: Int] = [:]
        func add(_ item: Int) {
            lock.lock()
            counts[item, default: 0] += 1
            lock.unlock()
        }
        var all: [Int: Int] {
            lock.lock()
            defer { lock.unlock() }
            return counts
        }
    }

    @Test func backgroundMapGivesEveryResultOnceInOrder() {
        let counter = Counter()
        let items = Array(0..<1_000)
        let map = BackgroundMap(items, chunk: 7) { item -> String in
            counter.add(item)
            // Uneven work, so that the caller and the background thread interleave.
            var text = ""
            for _ in 0..<(item % 13) { text += "." }
            return "\(item)\(text)"
        }
        let results = map.results
        #expect(results.count == items.count)
        #expect(results.enumerated().allSatisfy { index, result in result.hasPrefix("\(index)") && result.count >= "\(index)".count + index % 13 })
        #expect(counter.all.count == items.count)
        #expect(counter.all.values.allSatisfy { $0 == 1 }, "each item is mapped exactly once")
        #expect(map.results == results, "asking again maps nothing again")
        #expect(counter.all.values.allSatisfy { $0 == 1 })
    }

    @Test func backgroundMapOfNothingIsEmpty() {
        let map = BackgroundMap([Int]()) { $0 * 2 }
        #expect(map.results.isEmpty)
    }

    @Test func backgroundMapStartsWithoutTheCaller() {
        // The first item is mapped by the background thread while this one waits, before `results` is asked for.
        let started = DispatchSemaphore(value: 0)
        let map = BackgroundMap([1], chunk: 1) { item -> Int in
            started.signal()
            return item + 1
        }
        #expect(started.wait(timeout: .now() + 10) == .success)
        #expect(map.results == [2])
    }

    /// Records the thread its last reference is dropped on.
    final class Tracked: @unchecked Sendable {
        let freed: DispatchSemaphore
        let thread: UnsafeMutablePointer<pthread_t>
        init(freed: DispatchSemaphore, thread: UnsafeMutablePointer<pthread_t>) {
            self.freed = freed
            self.thread = thread
        }
        deinit {
            thread.pointee = pthread_self()
            freed.signal()
        }
    }

    @Test func heldValueIsFreedOnAnotherThread() {
        let freed = DispatchSemaphore(value: 0)
        let thread = UnsafeMutablePointer<pthread_t>.allocate(capacity: 1)
        defer { thread.deallocate() }
        thread.pointee = pthread_self()
        var value: Tracked? = Tracked(freed: freed, thread: thread)
        let held = HeldForRelease(value!)
        value = nil
        #expect(freed.wait(timeout: .now()) == .timedOut, "held until let go")
        held.releaseLater()
        #expect(freed.wait(timeout: .now() + 10) == .success)
        #expect(pthread_equal(thread.pointee, pthread_self()) == 0, "freed on another thread")
    }

    @Test func prefaultStartsOnlyWhenTheAllocatorKeepsWhatIsFreed() {
        // Release builds allocate with tcmalloc, which keeps a freed block to carve later allocations from; the tests
        // (debug builds) use glibc's malloc, which unmaps a large block when it is freed: nothing is started there.
        let tcmalloc = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "tc_malloc")
        let usesTCMalloc = tcmalloc != nil && dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc") == tcmalloc
        #expect(site_prefault(64 << 20) == (usesTCMalloc ? 1 : 0))
        #expect(site_prefault(4096) == 0, "too little to be worth a thread")
        // Memory handed out afterwards is usable as ever (whether or not pages were made ready under it).
        let block = UnsafeMutableRawBufferPointer.allocate(byteCount: 32 << 20, alignment: 16)
        defer { block.deallocate() }
        block.initializeMemory(as: UInt8.self, repeating: 0x5A)
        #expect(block.allSatisfy { $0 == 0x5A })
    }
}
