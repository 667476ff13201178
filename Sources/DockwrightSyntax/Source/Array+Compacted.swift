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

    /// ``compacted()`` when the spare room is more than an eighth of the elements, else
    /// the array as it is: where a copy would cost more time than a little room costs
    /// memory.
    public func compactedWhenSpareExceedsAnEighth() -> [Element] {
        capacity > count + count / 8 ? compacted() : self
    }
}
