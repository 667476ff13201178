import DockwrightCore
import Synchronization
import Testing

@Suite struct BuildContextListingTests {
    /// How often ``CountedFileCount`` was worked out.
    static let computations = Atomic<Int>(0)

    /// A fact that counts its own computations.
    enum CountedFileCount: BuildContextFact {
        static func compute(from listing: BuildContextListing) -> Int {
            computations.add(1, ordering: .relaxed)
            return listing.files.count
        }
    }

    @Test func aDerivedFactIsWorkedOutOncePerListingAndSharedByItsCopies() {
        let listing = BuildContextListing(files: ["a", "b/c", ".env"])
        let copy = listing
        let before = Self.computations.load(ordering: .relaxed)
        #expect(listing.derived(CountedFileCount.self) == 3)
        #expect(copy.derived(CountedFileCount.self) == 3)
        #expect(Self.computations.load(ordering: .relaxed) == before + 1)
        // Equality and hashing still read only what the listing says.
        #expect(listing == BuildContextListing(files: ["b/c", "a", ".env"]))
        #expect(Set([listing, copy]).count == 1)
    }
}
