#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Runs blocking work (network requests) on a bounded number of threads.
enum ParallelWork {
    /// `transform` applied to every element, at most `parallelism` at a time; results in
    /// input order. Plain threads, not Swift concurrency: the work blocks on sockets and
    /// would starve the cooperative pool, which has one thread per core.
    static func map<Element: Sendable, Result: Sendable>(
        _ elements: [Element], parallelism: Int, _ transform: @escaping @Sendable (Element) -> Result
    ) -> [Result] {
        guard elements.count > 1, parallelism > 1 else { return elements.map(transform) }
        let state = Shared(elements: elements, transform: transform)
        let workerCount = min(parallelism, elements.count)
        var threads: [pthread_t] = []
        for _ in 0..<workerCount {
            let context = Unmanaged.passRetained(Worker(work: state.work)).toOpaque()
            var thread = pthread_t()
            let created = pthread_create(&thread, nil, { raw in
                guard let raw else { return nil }
                Unmanaged<Worker>.fromOpaque(raw).takeRetainedValue().work()
                return nil
            }, context)
            if created == 0 {
                threads.append(thread)
            } else {
                Unmanaged<Worker>.fromOpaque(context).release()
            }
        }
        // If no thread could start, the caller's thread does the work.
        state.work()
        for thread in threads { pthread_join(thread, nil) }
        return state.results()
    }

    /// A thread's job, not generic: a C thread entry point cannot capture generic context.
    private final class Worker: Sendable {
        let work: @Sendable () -> Void
        init(work: @escaping @Sendable () -> Void) { self.work = work }
    }

    private final class Shared<Element: Sendable, Result: Sendable>: Sendable {
        let elements: [Element]
        let transform: @Sendable (Element) -> Result
        let next = Mutex(0)
        let collected: Mutex<[Result?]>

        init(elements: [Element], transform: @escaping @Sendable (Element) -> Result) {
            self.elements = elements
            self.transform = transform
            collected = Mutex([Result?](repeating: nil, count: elements.count))
        }

        func work() {
            while true {
                let index = next.withLock { value -> Int in
                    defer { value += 1 }
                    return value
                }
                guard index < elements.count else { return }
                let result = transform(elements[index])
                collected.withLock { $0[index] = result }
            }
        }

        func results() -> [Result] { collected.withLock { $0.compactMap { $0 } } }
    }
}
