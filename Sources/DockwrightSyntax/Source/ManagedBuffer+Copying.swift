extension ManagedBuffer {
    /// An instance of the calling subclass holding `header` and a copy of `elements` in
    /// one allocation: how the compact records that keep a list after their fields (a
    /// parsed script and its commands, a fix and its edits) are built.
    public static func make(header: Header, copying elements: [Element]) -> Self {
        let buffer = unsafeDowncast(create(minimumCapacity: elements.count) { _ in header }, to: Self.self)
        buffer.withUnsafeMutablePointerToElements { target in
            elements.withUnsafeBufferPointer { source in
                guard let base = source.baseAddress else { return }
                target.initialize(from: base, count: source.count)
            }
        }
        return buffer
    }
}
