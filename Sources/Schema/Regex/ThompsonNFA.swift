/// A Thompson NFA over bytes: each state has byte-range edges and epsilon edges. Characters become
/// UTF-8 byte paths here, so everything after this works on bytes only.
struct ThompsonNFA {
    struct Edge { var lo: UInt8; var hi: UInt8; var to: Int32 }

    static let maxStates = 200_000

    private(set) var edges: [[Edge]] = []
    private(set) var epsilons: [[Int32]] = []
    private(set) var start: Int32 = 0
    private(set) var accept: Int32 = 0
    /// The one state for "matched, whatever follows": where every alternative without `$` ends. A set
    /// of states that holds it behaves like it alone, which keeps the subset construction small.
    private(set) var acceptAll: Int32 = 0
    /// Offset of the outermost repetition being expanded: where a too-large error points.
    private var blame = 0

    var count: Int { edges.count }

    /// Builds the search automaton: an alternative without `^` may start after any prefix, one without
    /// `$` may stop before any suffix (JSON Schema `pattern` is a search, not a full match). These loops
    /// take any byte, not only well-formed UTF-8, so that the accept-everything state is a true sink and
    /// the matcher can stop as soon as it is reached.
    init(branches: [RegexBranch]) throws(RegexError) {
        start = newState()
        accept = newState()
        acceptAll = newState()
        edge(acceptAll, 0...255, acceptAll)
        link(acceptAll, accept)
        for b in branches {
            var from = newState()
            link(start, from)
            if !b.anchoredStart {
                let loop = newState()
                link(from, loop)
                edge(loop, 0...255, loop)
                from = loop
            }
            let to = try build(b.body, from: from)
            link(to, b.anchoredEnd ? accept : acceptAll)
        }
    }

    private mutating func newState() -> Int32 {
        edges.append([]); epsilons.append([])
        return Int32(edges.count - 1)
    }

    private mutating func link(_ a: Int32, _ b: Int32) { epsilons[Int(a)].append(b) }

    private mutating func edge(_ a: Int32, _ r: ClosedRange<UInt8>, _ b: Int32) {
        edges[Int(a)].append(Edge(lo: r.lowerBound, hi: r.upperBound, to: b))
    }

    private mutating func build(_ node: RegexNode, from: Int32) throws(RegexError) -> Int32 {
        if count > Self.maxStates { throw RegexError(.tooComplex, at: blame) }
        switch node {
        case .empty:
            return from
        case .set(let set):
            let to = newState()
            addCharacter(set, from: from, to: to)
            return to
        case .concat(let items):
            var cur = from
            for x in items { cur = try build(x, from: cur) }
            return cur
        case .alternation(let alts):
            let to = newState()
            for x in alts {
                let entry = newState()
                link(from, entry)
                link(try build(x, from: entry), to)
            }
            return to
        case .repetition(let x, let lo, let hi, let offset):
            let outer = blame
            if outer == 0 { blame = offset }
            defer { blame = outer }
            var cur = from
            for _ in 0..<lo { cur = try build(x, from: cur) }
            if let hi {
                // Optional copies chained, each able to skip to the end: linear in hi - lo.
                let end = newState()
                for _ in lo..<hi {
                    link(cur, end)
                    cur = try build(x, from: cur)
                }
                link(cur, end)
                return end
            }
            let loop = newState()
            link(cur, loop)
            let back = try build(x, from: loop)
            link(back, loop)
            return loop
        }
    }

    /// One character of `set`: a byte edge for each ASCII range, and the UTF-8 paths (Unicode 15
    /// Table 3-7, well-formed sequences only) for its non-ASCII part. Paths share their tails (one, two
    /// or three continuation bytes to go), which keeps the NFA and the subsets small.
    private mutating func addCharacter(_ set: ScalarSet, from: Int32, to: Int32) {
        for r in set.asciiRanges { edge(from, r, to) }
        if set.nonASCII == .none { return }
        let cont: ClosedRange<UInt8> = 0x80...0xBF
        let tail1 = newState(), tail2 = newState(), tail3 = newState()
        edge(tail1, cont, to); edge(tail2, cont, tail1); edge(tail3, cont, tail2)
        func lead(_ r: ClosedRange<UInt8>, _ second: ClosedRange<UInt8>, _ then: Int32) {
            let s = newState()
            edge(from, r, s); edge(s, second, then)
        }
        edge(from, 0xC2...0xDF, tail1)
        lead(0xE0...0xE0, 0xA0...0xBF, tail1)
        if set.nonASCII == .all {
            edge(from, 0xE1...0xEC, tail2)
        } else {
            // `.` excludes U+2028 and U+2029, which are E2 80 A8 and E2 80 A9.
            edge(from, 0xE1...0xE1, tail2)
            edge(from, 0xE3...0xEC, tail2)
            let e2 = newState(), e280 = newState()
            edge(from, 0xE2...0xE2, e2)
            edge(e2, 0x81...0xBF, tail1)
            edge(e2, 0x80...0x80, e280)
            edge(e280, 0x80...0xA7, to); edge(e280, 0xAA...0xBF, to)
        }
        lead(0xED...0xED, 0x80...0x9F, tail1)
        edge(from, 0xEE...0xEF, tail2)
        lead(0xF0...0xF0, 0x90...0xBF, tail2)
        edge(from, 0xF1...0xF3, tail3)
        lead(0xF4...0xF4, 0x80...0x8F, tail2)
    }
}
