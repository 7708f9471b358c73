import Core
import Testing
import Schema
@testable import Verify

@Suite("hash chain of releases")
struct ReleaseChainTests {
    /// Builds real documents: each `previous` is the SHA-256 of the named earlier document's bytes.
    struct History {
        var docs: [String: [UInt8]] = [:]
        mutating func add(_ name: String, _ week: String, _ seq: Int, after prev: String?) {
            docs[name] = T.release(week, sequence: seq, previous: prev.map { SHA256.hash(docs[$0]!) })
        }
        func entry(_ name: String) -> ChainEntry { ChainEntry(name: name, header: try! ReleaseHeader.read(docs[name]!)) }
        func findings(_ target: String, _ earlier: [String]) -> [ChainFinding] {
            ReleaseChain.findings(target: entry(target), earlier: earlier.map(entry))
        }
    }

    @Test("a straight chain has no findings, and the target may also sit in the directory")
    func straight() {
        var h = History()
        h.add("1", "2026-W24", 1, after: nil); h.add("2", "2026-W25", 2, after: "1"); h.add("3", "2026-W26", 3, after: "2")
        #expect(h.findings("3", ["1", "2"]).isEmpty)
        #expect(h.findings("3", ["1", "2", "3"]).isEmpty)
        #expect(h.findings("1", []).isEmpty)
    }

    @Test("a missing release is a gap, and the link over it is named")
    func gap() {
        var h = History()
        h.add("1", "2026-W24", 1, after: nil); h.add("3", "2026-W26", 3, after: "1")
        let f = h.findings("3", ["1"])
        #expect(f.contains(.gap(missing: 2...2)))
        #expect(f.contains(.skippedLink(name: "3", sequence: 3, previousName: "1", previousSequence: 1)))
        var g = History()
        g.add("1", "2026-W24", 1, after: nil); g.add("2", "2026-W25", 2, after: "1"); g.add("3", "2026-W26", 3, after: "2")
        #expect(g.findings("3", ["2"]) == [.gap(missing: 1...1), .previousNotFound(name: "2", previous: SHA256.hash(g.docs["1"]!))])
    }

    @Test("a claimed sequence far ahead is one gap range, found without walking the numbers in between",
          .timeLimit(.minutes(1)))
    func gapAtTheLargestSequence() {
        var h = History()
        let top = Int(JSONNumber.maxExactInteger)
        h.add("1", "2026-W24", 1, after: nil); h.add("far", "2026-W26", top, after: "1"); h.add("3", "2026-W25", 3, after: "1")
        let f = h.findings("far", ["1", "3"])
        #expect(f.filter { $0.kind == "gap" && !($0.description.contains("skipping")) } == [.gap(missing: 2...2), .gap(missing: 4...(top - 1))])
        #expect(f.contains(.gap(missing: 4...(top - 1))))
        #expect(ChainFinding.gap(missing: 4...(top - 1)).description == "gap: no releases with sequences 4–9007199254740990")
    }

    @Test("a previous that is missing while the chain holds another release of its sequence is a replaced week, not a gap")
    func replacedPrevious() {
        var h = History()
        h.add("1", "2026-W24", 1, after: nil)
        h.docs["1-reissued"] = T.release("2026-W24", sequence: 1, previous: nil, newline: true)  // other bytes, same week
        h.add("2", "2026-W25", 2, after: "1-reissued")
        let f = h.findings("2", ["1"])
        #expect(f == [.replacedPrevious(name: "2", previous: SHA256.hash(h.docs["1-reissued"]!), sequence: 1, heldBy: "1",
                                        week: ISOWeek("2026-W24")!)])
        #expect(f[0].kind == "replaced-week")
        // With no release of that sequence in the chain, it stays a gap.
        #expect(h.findings("2", []).map(\.kind) == ["gap", "gap"])
    }

    @Test("two releases with the same sequence and previous are a fork")
    func fork() {
        var h = History()
        h.add("1", "2026-W24", 1, after: nil); h.add("2a", "2026-W25", 2, after: "1"); h.add("2b", "2026-W26", 2, after: "1")
        let f = h.findings("2b", ["1", "2a"])
        #expect(f.contains(.forkSequence(sequence: 2, names: ["2a", "2b"])))
        #expect(f.contains(.forkPrevious(previous: SHA256.hash(h.docs["1"]!), names: ["2a", "2b"])))
    }

    @Test("a later sequence for an earlier week is reordering; two documents for one week replace it")
    func reorderedAndReplaced() {
        var h = History()
        h.add("1", "2026-W24", 1, after: nil); h.add("2", "2026-W23", 2, after: "1")
        #expect(h.findings("2", ["1"]) == [.reordered(earlier: "1", earlierWeek: ISOWeek("2026-W24")!, later: "2", laterWeek: ISOWeek("2026-W23")!)])
        var r = History()
        r.add("1", "2026-W24", 1, after: nil); r.add("2", "2026-W24", 2, after: "1")
        let f = r.findings("2", ["1"])
        #expect(f.contains(.replacedWeek(week: ISOWeek("2026-W24")!, names: ["1", "2"])))
    }

    @Test("a previous link that climbs in sequence is a loop")
    func climbingLoop() {
        var h = History()
        h.add("1", "2026-W24", 1, after: nil); h.add("3", "2026-W26", 3, after: "1"); h.add("2", "2026-W25", 2, after: "3")
        #expect(h.findings("2", ["1", "3"]).contains(.loop(names: ["2", "3"])))
    }

    @Test("a hash cycle (impossible with SHA-256, but the walk must still end) is a loop")
    func hashCycle() {
        let a = [UInt8](repeating: 0xA, count: 32), b = [UInt8](repeating: 0xB, count: 32)
        let w = ISOWeek("2026-W24")!, w2 = ISOWeek("2026-W25")!
        let x = ChainEntry(name: "x", header: ReleaseHeader(id: w2, sequence: 2, previous: b, digest: a))
        let y = ChainEntry(name: "y", header: ReleaseHeader(id: w, sequence: 1, previous: a, digest: b))
        #expect(ReleaseChain.findings(target: x, earlier: [y]).contains(.loop(names: ["x", "y", "x"])))
    }

    @Test("finding messages say what is wrong and where")
    func messages() {
        #expect(ChainFinding.gap(missing: 2...4).description == "gap: no releases with sequences 2–4")
        #expect(ChainFinding.loop(names: ["b.json", "c.json"]).description == "loop: following previous links goes b.json → c.json, back up the chain")
    }
}
