extension Array {
    /// The same elements in an array without spare room, for lists kept for the whole
    /// lint: an array grown by appending keeps up to twice the room it needs.
    public func compacted() -> [Element] {
        guard capacity > count else { return self }
        var exact: [Element] = []
        exact.reserveCapacity(count)
        exact.append(contentsOf: self)
        return exact
    }
}
