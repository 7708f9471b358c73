/// A complete DFA over byte classes, before it is packed for matching: state 0 is the start.
struct RawDFA {
    var classOf: [UInt8]       // 256 entries: byte -> class
    var classCount: Int
    var next: [Int32]          // state * classCount + class -> state
    var accepting: [Bool]

    var stateCount: Int { accepting.count }
}

enum DFABuilder {
    /// Bytes that no edge tells apart share a class, which keeps tables and work proportional to the
    /// pattern rather than to 256. Classes are contiguous byte intervals.
    static func byteClasses(_ nfa: ThompsonNFA) -> (classOf: [UInt8], count: Int) {
        var cut = [Bool](repeating: false, count: 257)
        for list in nfa.edges { for e in list { cut[Int(e.lo)] = true; cut[Int(e.hi) + 1] = true } }
        var classOf = [UInt8](repeating: 0, count: 256)
        var c = -1
        for b in 0..<256 {
            if b == 0 || cut[b] { c += 1 }
            classOf[b] = UInt8(c)
        }
        return (classOf, c + 1)
    }

    /// Bound on NFA states visited by all closures together, so that compiling any pattern ends in
    /// well under a second (release build) even when the state cap is not reached.
    static let workBudget = 20_000_000

    /// Subset construction. Throws once more than `maxStates` subsets are reachable.
    static func determinize(_ nfa: ThompsonNFA, maxStates: Int) throws(RegexError) -> RawDFA {
        let (classOf, k) = byteClasses(nfa)
        var seen = [Int](repeating: -1, count: nfa.count)
        var stamp = 0
        var stack: [Int32] = []
        var work = 0
        let acceptAllSet = [nfa.accept, nfa.acceptAll].sorted()

        func closure(_ seeds: [Int32]) throws(RegexError) -> [Int32] {
            stamp += 1
            var out: [Int32] = []
            stack.removeAll(keepingCapacity: true)
            for s in seeds where seen[Int(s)] != stamp { seen[Int(s)] = stamp; stack.append(s) }
            while let s = stack.popLast() {
                if s == nfa.acceptAll { return acceptAllSet }
                out.append(s)
                for t in nfa.epsilons[Int(s)] where seen[Int(t)] != stamp { seen[Int(t)] = stamp; stack.append(t) }
            }
            work += out.count
            if work > workBudget { throw RegexError(.tooComplex, at: 0) }
            // Only states with byte edges or the accept state matter for identity.
            return out.filter { !nfa.edges[Int($0)].isEmpty || $0 == nfa.accept }.sorted()
        }

        var index: [[Int32]: Int32] = [:]
        var sets: [[Int32]] = []
        var next: [Int32] = []
        var accepting: [Bool] = []

        func intern(_ set: [Int32]) throws(RegexError) -> Int32 {
            if let id = index[set] { return id }
            if sets.count >= maxStates { throw RegexError(.tooManyStates(limit: maxStates), at: 0) }
            let id = Int32(sets.count)
            index[set] = id
            sets.append(set)
            accepting.append(set.contains(nfa.accept))
            return id
        }

        _ = try intern(try closure([nfa.start]))
        var buckets = [[Int32]](repeating: [], count: k)
        var cursor = 0
        while cursor < sets.count {
            for c in 0..<k { buckets[c].removeAll(keepingCapacity: true) }
            for s in sets[cursor] {
                for e in nfa.edges[Int(s)] {
                    for c in Int(classOf[Int(e.lo)])...Int(classOf[Int(e.hi)]) { buckets[c].append(e.to) }
                }
            }
            for c in 0..<k { next.append(try intern(try closure(buckets[c]))) }
            cursor += 1
        }
        return RawDFA(classOf: classOf, classCount: k, next: next, accepting: accepting)
    }

    /// Hopcroft's partition refinement: merges states with the same future, so equal languages give
    /// equal tables (up to numbering) and sinks collapse to one state each.
    static func minimize(_ d: RawDFA) -> RawDFA {
        let n = d.stateCount, k = d.classCount
        // Predecessors per (class, target), as compressed rows.
        var predStart = [Int](repeating: 0, count: k * n + 1)
        for s in 0..<n { for c in 0..<k { predStart[c * n + Int(d.next[s * k + c]) + 1] += 1 } }
        for i in 0..<(k * n) { predStart[i + 1] += predStart[i] }
        var fill = predStart
        var preds = [Int32](repeating: 0, count: n * k)
        for s in 0..<n {
            for c in 0..<k {
                let row = c * n + Int(d.next[s * k + c])
                preds[fill[row]] = Int32(s); fill[row] += 1
            }
        }

        // Blocks are contiguous segments of `elems`; a split moves marked states to the segment front.
        var elems = [Int](0..<n).sorted { d.accepting[$0] && !d.accepting[$1] }
        var pos = [Int](repeating: 0, count: n)
        for (p, s) in elems.enumerated() { pos[s] = p }
        let acceptCount = d.accepting.filter { $0 }.count
        var blockStart: [Int] = [], blockEnd: [Int] = []
        var blockOf = [Int](repeating: 0, count: n)
        if acceptCount > 0 { blockStart.append(0); blockEnd.append(acceptCount) }
        if acceptCount < n { blockStart.append(acceptCount); blockEnd.append(n) }
        for (b, st) in blockStart.enumerated() { for p in st..<blockEnd[b] { blockOf[elems[p]] = b } }
        var marked = [Int](repeating: 0, count: blockStart.count)
        var inWork = [Bool](repeating: true, count: blockStart.count)
        var work = Array(0..<blockStart.count)
        var touched: [Int] = []

        while let a = work.popLast() {
            inWork[a] = false
            let splitter = Array(elems[blockStart[a]..<blockEnd[a]])
            for c in 0..<k {
                touched.removeAll(keepingCapacity: true)
                for t in splitter {
                    let row = c * n + t
                    for q in predStart[row]..<predStart[row + 1] {
                        let s = Int(preds[q])
                        let b = blockOf[s]
                        let front = blockStart[b] + marked[b]
                        if pos[s] < front { continue }
                        let other = elems[front]
                        elems[pos[s]] = other; pos[other] = pos[s]
                        elems[front] = s; pos[s] = front
                        if marked[b] == 0 { touched.append(b) }
                        marked[b] += 1
                    }
                }
                for b in touched {
                    let m = marked[b]
                    marked[b] = 0
                    if m == blockEnd[b] - blockStart[b] { continue }
                    let nb = blockStart.count
                    blockStart.append(blockStart[b]); blockEnd.append(blockStart[b] + m)
                    blockStart[b] += m
                    marked.append(0)
                    for p in blockStart[nb]..<blockEnd[nb] { blockOf[elems[p]] = nb }
                    if inWork[b] {
                        inWork.append(true); work.append(nb)
                    } else {
                        let smaller = m <= blockEnd[b] - blockStart[b] ? nb : b
                        inWork.append(smaller == nb)
                        inWork[smaller] = true
                        work.append(smaller)
                    }
                }
            }
        }

        // Number blocks in breadth-first order from the start so the start stays state 0.
        var newID = [Int32](repeating: -1, count: blockStart.count)
        var order: [Int] = []
        newID[blockOf[0]] = 0; order.append(blockOf[0])
        var cursor = 0
        while cursor < order.count {
            let rep = elems[blockStart[order[cursor]]]
            for c in 0..<k {
                let b = blockOf[Int(d.next[rep * k + c])]
                if newID[b] < 0 { newID[b] = Int32(order.count); order.append(b) }
            }
            cursor += 1
        }
        var next = [Int32](repeating: 0, count: order.count * k)
        var accepting = [Bool](repeating: false, count: order.count)
        for (i, b) in order.enumerated() {
            let rep = elems[blockStart[b]]
            accepting[i] = d.accepting[rep]
            for c in 0..<k { next[i * k + c] = newID[blockOf[Int(d.next[rep * k + c])]] }
        }
        return RawDFA(classOf: d.classOf, classCount: k, next: next, accepting: accepting)
    }
}
