import DockwrightSyntax
import Testing

@Suite("Partitioning index")
struct PartitioningIndexTests {
    @Test("Finds the first element of the second part, at every split and on slices")
    func findsTheSplit() {
        let sorted = [1, 3, 3, 5, 8, 13]
        for bound in 0...14 {
            let expected = sorted.firstIndex { $0 >= bound } ?? sorted.endIndex
            #expect(sorted.partitioningIndex { $0 >= bound } == expected)
        }
        #expect([Int]().partitioningIndex { $0 > 0 } == 0)
        // A slice answers in its own indices.
        let slice = sorted[2..<5]
        #expect(slice.partitioningIndex { $0 > 3 } == 3)
        #expect(slice.partitioningIndex { $0 > 100 } == 5)
        #expect(slice.partitioningIndex { _ in true } == 2)
    }
}
