import Synchronization

/// A fact computed on first use and then kept: the model's facts cost nothing for
/// the rules that never ask (`--select DL3006` never parses a RUN script).
///
/// A class behind a mutex, so a model shared between threads computes each fact once.
final class LazyFact<Value: Sendable>: Sendable {
    private let storage = Mutex<Value?>(nil)

    /// Whether the fact has been computed.
    var isComputed: Bool { storage.withLock { $0 != nil } }

    /// The fact, computing it with `compute` the first time.
    func value(_ compute: () -> Value) -> Value {
        storage.withLock { stored in
            if let stored { return stored }
            let value = compute()
            stored = value
            return value
        }
    }
}
