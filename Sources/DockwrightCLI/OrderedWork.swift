#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs work for indices `0..<count` on every core and hands each outcome to the
/// calling thread in index order, as soon as it and all before it are done.
///
/// A worker starts index `i` only while `i` is fewer than `window` ahead of the next
/// outcome to hand over, so at most `window` outcomes are alive at once however many
/// files there are: memory follows the largest outcomes, not the sum of all of them.
/// The window is several files per worker, so one large file does not leave the other
/// workers idle once they are a window ahead of it (`lint` hands over rendered
/// report parts, not trees, so a wider window costs little memory).
enum OrderedWork {
    /// Produces every outcome on worker threads and consumes them here, in order.
    static func run<Outcome: Sendable>(
        count: Int, produce: @escaping @Sendable (Int) -> Outcome, consume: (Int, Outcome) -> Void
    ) {
        guard count > 0 else { return }
        let workerCount = Swift.min(count, Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
        let board = Board<Outcome>(window: 8 * workerCount)
        // Plain threads, not Dispatch's pool: the caller blocks below, and in tests
        // it may itself be a pool thread that the workers would then wait for.
        let workers = (0..<workerCount).compactMap { _ in
            WorkerThread {
                while let index = board.claim(below: count) { board.finish(index, produce(index)) }
            }
        }
        guard !workers.isEmpty else {
            // No thread could be created: do the work here, one file at a time.
            for index in 0..<count { consume(index, produce(index)) }
            return
        }
        for index in 0..<count { consume(index, board.take(index)) }
        for worker in workers { worker.join() }
    }
}

/// The state the workers and the consumer share: the next index to start and the
/// finished outcomes not yet consumed, behind one mutex and one condition variable.
private final class Board<Outcome: Sendable>: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let window: Int
    private var nextToStart = 0
    private var nextToConsume = 0
    private var finished: [Int: Outcome] = [:]

    init(window: Int) {
        self.window = window
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
    }

    deinit {
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(mutex)
        changed.deallocate()
        mutex.deallocate()
    }

    /// The next index to work on, waiting while it is a full window ahead; nil when all are started.
    func claim(below count: Int) -> Int? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while nextToStart < count && nextToStart >= nextToConsume + window { pthread_cond_wait(changed, mutex) }
        guard nextToStart < count else { return nil }
        defer { nextToStart += 1 }
        return nextToStart
    }

    func finish(_ index: Int, _ outcome: Outcome) {
        pthread_mutex_lock(mutex)
        finished[index] = outcome
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
    }

    /// The outcome of `index`, waiting until it is done; frees its slot in the window.
    func take(_ index: Int) -> Outcome {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while true {
            if let outcome = finished.removeValue(forKey: index) {
                nextToConsume = index + 1
                pthread_cond_broadcast(changed)
                return outcome
            }
            pthread_cond_wait(changed, mutex)
        }
    }
}

/// A POSIX thread running one closure, with the default stack size (the main
/// thread's: deep but finite recursion on hostile input behaves the same on both).
private final class WorkerThread {
    private var thread = pthread_t()

    /// Starts the thread; nil when the system refuses one.
    init?(_ body: @escaping @Sendable () -> Void) {
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        let created = pthread_create(&thread, nil, { context in
            guard let context else { return nil }
            Unmanaged<Body>.fromOpaque(context).takeRetainedValue().run()
            return nil
        }, context)
        guard created == 0 else {
            Unmanaged<Body>.fromOpaque(context).release()
            return nil
        }
    }

    /// Waits for the closure to return.
    func join() {
        pthread_join(thread, nil)
    }

    private final class Body {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }
}
