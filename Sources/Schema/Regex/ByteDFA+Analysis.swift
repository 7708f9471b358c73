#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// What schema lint asks of a pattern, answered on the minimal DFA rather than on the text, so that
// equivalent spellings get the same answers. A state is *useful* when it is reachable from the start
// and can still reach acceptance; only edges between useful states correspond to accepted strings.

extension ByteDFA {
    private func target(_ state: Int, _ cls: Int) -> Int { Int(table[state * classCount + cls]) / classCount }

    private var classSizes: [Int] {
        var sizes = [Int](repeating: 0, count: classCount)
        for c in classOf { sizes[Int(c)] += 1 }
        return sizes
    }

    /// Useful states (see above), by state index.
    var usefulStates: [Bool] {
        let n = stateCount
        var reach = [Bool](repeating: false, count: n)
        var stack = [Int(start) / classCount]
        reach[stack[0]] = true
        var preds = [[Int]](repeating: [], count: n)
        while let s = stack.popLast() {
            for c in 0..<classCount {
                let t = target(s, c)
                preds[t].append(s)
                if !reach[t] { reach[t] = true; stack.append(t) }
            }
        }
        var live = [Bool](repeating: false, count: n)
        stack = (0..<n).filter { reach[$0] && accepting[$0] }
        for s in stack { live[s] = true }
        while let s = stack.popLast() {
            for p in preds[s] where !live[p] { live[p] = true; stack.append(p) }
        }
        return (0..<n).map { reach[$0] && live[$0] }
    }

    /// Whether some accepted string has a byte matching `include`.
    private func acceptsAnyByte(where include: (UInt8) -> Bool) -> Bool {
        let useful = usefulStates
        var classes = Set<Int>()
        for b in 0...255 where include(UInt8(b)) { classes.insert(Int(classOf[b])) }
        for s in 0..<stateCount where useful[s] {
            for c in classes where useful[target(s, c)] { return true }
        }
        return false
    }

    /// True when the pattern matches no string at all (such as `[]` or `^a$b`-like impossibilities).
    public var acceptsNothing: Bool { !usefulStates[Int(start) / classCount] }

    /// True when every string the pattern matches is ASCII. An unanchored pattern is never ASCII only:
    /// anything may surround the match.
    public var isASCIIOnly: Bool { !acceptsAnyByte { $0 >= 0x80 } }

    /// True when some matched string contains a line feed or a carriage return.
    public var acceptsNewline: Bool { acceptsAnyByte { $0 == 0x0A || $0 == 0x0D } }

    /// log2 of the number of strings the pattern matches when that number is finite; nil when it is
    /// infinite, and `-infinity` when the pattern matches nothing. The UUID pattern with a fixed version
    /// nibble gives 122 (30 free hex digits and one of four variant digits).
    ///
    /// Counting accepted byte strings counts strings: a finite language has no any-byte loop, so every
    /// accepted byte string is one well-formed UTF-8 path of the pattern, and the DFA is deterministic.
    public var capacityBits: Double? {
        let useful = usefulStates
        let startIndex = Int(start) / classCount
        guard useful[startIndex] else { return -.infinity }
        let sizes = classSizes
        // Post-order DFS over useful states; a back edge means a cycle, so infinitely many strings.
        enum Mark { case unseen, open, done }
        var mark = [Mark](repeating: .unseen, count: stateCount)
        var bits = [Double](repeating: -.infinity, count: stateCount)
        var stack: [(state: Int, cls: Int)] = [(startIndex, 0)]
        mark[startIndex] = .open
        while let (s, c) = stack.last {
            if c < classCount {
                stack[stack.count - 1].cls += 1
                let t = target(s, c)
                guard useful[t] else { continue }
                switch mark[t] {
                case .open: return nil
                case .unseen: mark[t] = .open; stack.append((t, 0))
                case .done: break
                }
                continue
            }
            stack.removeLast()
            mark[s] = .done
            // count(s) = [s accepts] + sum over classes of |class| * count(target), summed in log2.
            var terms: [Double] = accepting[s] ? [0] : []
            for c in 0..<classCount where useful[target(s, c)] { terms.append(log2(Double(sizes[c])) + bits[target(s, c)]) }
            bits[s] = log2SumExp2(terms)
        }
        return bits[startIndex]
    }
}

/// log2(sum of 2^x) without overflow.
private func log2SumExp2(_ xs: [Double]) -> Double {
    guard let m = xs.max(), m > -.infinity else { return -.infinity }
    return m + log2(xs.reduce(0) { $0 + exp2($1 - m) })
}
