extension UInt8 {
    /// The byte with an ASCII capital (`A`–`Z`) lowered; every other byte, non-ASCII ones
    /// included, as it is. The one definition behind the byte-level case-insensitive
    /// matches (keywords, parser directives, `git@` sources, package file suffixes), which
    /// compare ASCII text without the `lowercased()` copy of a String.
    @inlinable
    public var asciiLowercased: UInt8 {
        self >= UInt8(ascii: "A") && self <= UInt8(ascii: "Z") ? self | 0x20 : self
    }
}
