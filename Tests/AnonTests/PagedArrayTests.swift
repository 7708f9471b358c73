@testable import Intake
import Testing
@testable import Anon

@Suite("paged array") struct PagedArrayTests {
    @Test("values appended across several pages read back in order, and updates in place stick")
    func appendAcrossPages() {
        // Pages hold 65,536 elements: 200,000 span four of them, the last partly filled.
        let words = PagedArray<UInt64>()
        let hashes = PagedArray<InlineArray<32, UInt8>>()
        for i in 0..<200_000 {
            words.append(UInt64(i) &* 0x9E37_79B9_7F4A_7C15)
            hashes.append(InlineArray(repeating: UInt8(truncatingIfNeeded: i)))
        }
        #expect(words.count == 200_000 && hashes.count == 200_000)
        #expect((0..<200_000).allSatisfy { words[$0] == UInt64($0) &* 0x9E37_79B9_7F4A_7C15 })
        #expect([0, 65_535, 65_536, 131_072, 199_999].allSatisfy { i in (0..<32).allSatisfy { hashes[i][$0] == UInt8(truncatingIfNeeded: i) } })
        words.pointer(65_536).pointee = 7
        #expect(words[65_536] == 7 && words[65_535] == 65_535 &* 0x9E37_79B9_7F4A_7C15)
    }
}
