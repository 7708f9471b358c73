// Sample strings and exact language differences, found by walking minimal DFAs rather than by reading
// the pattern text, so that equivalent spellings give the same answers and nothing outside the engine's
// own dialect is needed.
//
// The walk runs the DFA (for a difference, both DFAs) in step with a UTF-8 decoder: `matches` is defined
// on well-formed strings only, and a string is what a schema diff must show. It enters only states from
// which a wanted string is still reachable, so every path it follows ends in a result.

extension ByteDFA {
    /// Up to `limit` distinct strings the pattern matches, shortest (in UTF-8 bytes) first.
    ///
    /// Each group of bytes the DFA treats alike contributes two bytes: its preferred one (a digit, else a
    /// lower-case letter, an upper-case letter, punctuation, in that order) and its largest printable one,
    /// so `^[a-z]+$` gives `a`, `z`, `aa`, `az`, `za`, …: every class is represented, not every byte.
    /// Strings of one length come in that preference order. Deterministic.
    public func samples(limit: Int = 64) -> [String] {
        StringWalk(self, excluding: nil, maxStates: ByteDFA.defaultMaxWalkStates)?.strings(limit: limit) ?? []
    }

    /// Up to `limit` strings this pattern matches and `other` does not, shortest first, in the order of
    /// `samples(limit:)`.
    ///
    /// Exact, not sampled: for `limit` ≥ 1 the result is empty precisely when every string this pattern
    /// matches, `other` matches too. nil when the two DFAs together have more than `maxStates` reachable
    /// state pairs (times the decoder's states), which no pattern a schema lint accepts comes near.
    public func difference(_ other: ByteDFA, limit: Int, maxStates: Int = ByteDFA.defaultMaxWalkStates) -> [String]? {
        StringWalk(self, excluding: other, maxStates: maxStates)?.strings(limit: limit)
    }

    /// Whether every string this pattern matches, `other` matches too; nil when too large to decide
    /// (see `difference(_:limit:maxStates:)`).
    public func isSubset(of other: ByteDFA) -> Bool? { difference(other, limit: 1).map(\.isEmpty) }

    /// Bound on the states of a walk: the DFA (or a pair of DFAs) run with the UTF-8 decoder.
    public static let defaultMaxWalkStates = 200_000
}

/// The automaton walked for samples: `wanted`'s DFA, optionally an `excluded` DFA, and a UTF-8 decoder,
/// restricted to states that still lead to a result, over letters (groups of bytes that all three treat
/// alike).
struct StringWalk {
    /// Representative bytes in enumeration order, with the letter each stands for.
    let alphabet: [(byte: UInt8, letter: Int)]
    let letterCount: Int
    /// `next[state * letterCount + letter]`: the successor, or -1 when no result is reachable through it.
    let next: [Int32]
    let isResult: [Bool]
    /// nil when no string is a result.
    let start: Int?

    /// Bound on `next`'s entries (4 bytes each) whatever `maxStates` says.
    static let maxEdges = 1 << 24

    init?(_ wanted: ByteDFA, excluding excluded: ByteDFA?, maxStates: Int) {
        // Letters: bytes with the same class in each component.
        var letterOfKey: [Int: Int] = [:]
        var letterBytes: [[UInt8]] = []
        for b in 0...255 {
            let key = (Int(wanted.classOf[b]) << 16) | (Int(excluded?.classOf[b] ?? 0) << 4) | UTF8Decoder.classOf(UInt8(b))
            if let l = letterOfKey[key] { letterBytes[l].append(UInt8(b)) } else {
                letterOfKey[key] = letterBytes.count
                letterBytes.append([UInt8(b)])
            }
        }
        let k = letterBytes.count
        letterCount = k
        var alphabet: [(byte: UInt8, letter: Int)] = []
        for (l, bytes) in letterBytes.enumerated() {
            let preferred = bytes.min { StringWalk.rank($0) < StringWalk.rank($1) }!
            alphabet.append((preferred, l))
            if let top = bytes.last(where: { $0 >= 0x20 && $0 <= 0x7E }), top != preferred { alphabet.append((top, l)) }
        }
        self.alphabet = alphabet.sorted { StringWalk.rank($0.byte) < StringWalk.rank($1.byte) }

        // Forward search over (wanted, excluded, decoder) states, pruned where a component alone already
        // rules a result out: `wanted` can no longer accept, `excluded` accepts everything from here on, or
        // the bytes are ill-formed.
        let wantedLive = wanted.usefulStates
        let wk = wanted.classCount, ek = excluded?.classCount ?? 1
        let letterClasses = letterBytes.map { bytes in
            (Int(wanted.classOf[Int(bytes[0])]), Int(excluded?.classOf[Int(bytes[0])] ?? 0), UTF8Decoder.classOf(bytes[0]))
        }
        struct State: Hashable { var w: Int32, e: Int32, u: Int8 }
        var index: [State: Int32] = [:]
        var states: [State] = []
        var next: [Int32] = []
        let first = State(w: wanted.start / Int32(wk), e: (excluded?.start ?? 0) / Int32(ek), u: 0)
        func admissible(_ s: State) -> Bool {
            guard s.u >= 0, wantedLive[Int(s.w)] else { return false }
            if let excluded, Int(s.e) * ek < Int(excluded.sinkLimit) { return false }
            return true
        }
        if admissible(first) { index[first] = 0; states.append(first) }
        var i = 0
        while i < states.count {
            let s = states[i]
            i += 1
            for (cw, ce, cu) in letterClasses {
                let t = State(w: wanted.table[Int(s.w) * wk + cw] / Int32(wk),
                              e: excluded.map { $0.table[Int(s.e) * ek + ce] / Int32(ek) } ?? 0,
                              u: UTF8Decoder.next(s.u, cu))
                guard admissible(t) else { next.append(-1); continue }
                if let j = index[t] { next.append(j); continue }
                guard states.count < maxStates, (states.count + 1) * k <= StringWalk.maxEdges else { return nil }
                index[t] = Int32(states.count)
                next.append(Int32(states.count))
                states.append(t)
            }
        }
        let n = states.count
        let result = states.map { s in
            s.u == 0 && wanted.accepting[Int(s.w)] && !(excluded.map { $0.accepting[Int(s.e)] } ?? false)
        }
        isResult = result

        // Backward search from the results: states outside it lead nowhere and are cut off.
        var predecessorCount = [Int](repeating: 0, count: n + 1)
        for t in next where t >= 0 { predecessorCount[Int(t) + 1] += 1 }
        for s in 0..<n { predecessorCount[s + 1] += predecessorCount[s] }
        var fill = predecessorCount
        var predecessors = [Int32](repeating: 0, count: predecessorCount[n])
        for (e, t) in next.enumerated() where t >= 0 {
            predecessors[fill[Int(t)]] = Int32(e / k)
            fill[Int(t)] += 1
        }
        var leads = result
        var stack = (0..<n).filter { result[$0] }
        while let t = stack.popLast() {
            for p in predecessors[predecessorCount[t]..<predecessorCount[t + 1]] where !leads[Int(p)] {
                leads[Int(p)] = true
                stack.append(Int(p))
            }
        }
        self.next = next.map { $0 >= 0 && leads[Int($0)] ? $0 : -1 }
        start = n > 0 && leads[0] ? 0 : nil
    }

    /// Enumeration order of bytes: digits, lower-case, upper-case, other printable ASCII, space, control
    /// characters, then non-ASCII bytes; by value within each group.
    static func rank(_ b: UInt8) -> Int {
        let group: Int
        switch b {
        case 0x30...0x39: group = 0
        case 0x61...0x7A: group = 1
        case 0x41...0x5A: group = 2
        case 0x21...0x7E: group = 3
        case 0x20: group = 4
        case 0x00...0x7F: group = 5
        default: group = 6
        }
        return group << 8 | Int(b)
    }

    /// Up to `limit` results, shortest first and, within a length, in alphabet order.
    ///
    /// `levels[r]` holds the states from which a result is exactly `r` letters away; a depth-first walk
    /// that only steps into `levels[r - 1]` never meets a dead end. Between two consecutive result lengths
    /// there are at most as many lengths as states (a longer result repeats a state, and cutting the loop
    /// out gives a shorter one), so the search stops after that many lengths without a result.
    func strings(limit: Int) -> [String] {
        guard limit > 0, let start else { return [] }
        let n = isResult.count
        var levels: [[UInt64]] = [Self.bitset(n) { isResult[$0] }]
        var out: [String] = []
        var barren = 0
        var length = 0
        while out.count < limit && barren <= n {
            if length > 0 {
                let previous = levels[length - 1]
                guard previous.contains(where: { $0 != 0 }) else { break }   // then every longer level is empty too
                levels.append(Self.bitset(n) { s in
                    (0..<letterCount).contains { l in
                        let t = Int(next[s * letterCount + l])
                        return t >= 0 && previous[t >> 6] & (1 << UInt64(t & 63)) != 0
                    }
                })
            }
            let before = out.count
            if levels[length][start >> 6] & (1 << UInt64(start & 63)) != 0 {
                enumerate(length: length, levels: levels, into: &out, limit: limit)
            }
            barren = out.count > before ? 0 : barren + 1
            length += 1
        }
        return out
    }

    private static func bitset(_ n: Int, _ member: (Int) -> Bool) -> [UInt64] {
        var bits = [UInt64](repeating: 0, count: (n + 63) / 64)
        for s in 0..<n where member(s) { bits[s >> 6] |= 1 << UInt64(s & 63) }
        return bits
    }

    private func enumerate(length: Int, levels: [[UInt64]], into out: inout [String], limit: Int) {
        guard let start else { return }
        var states = [start], choices = [0]
        var bytes: [UInt8] = []
        while let s = states.last {
            let depth = states.count - 1
            if depth == length {
                // Well-formed: the decoder is between characters in every result state.
                out.append(String(decoding: bytes, as: UTF8.self))
                if out.count >= limit { return }
            } else {
                let level = levels[length - depth - 1]
                var i = choices[depth]
                while i < alphabet.count {
                    let (byte, letter) = alphabet[i]
                    i += 1
                    let t = Int(next[s * letterCount + letter])
                    if t >= 0 && level[t >> 6] & (1 << UInt64(t & 63)) != 0 {
                        choices[depth] = i
                        states.append(t); choices.append(0); bytes.append(byte)
                        break
                    }
                }
                if states.count > depth + 1 { continue }
            }
            states.removeLast(); choices.removeLast()
            if depth > 0 { bytes.removeLast() }
        }
    }
}

/// Well-formed UTF-8 as an automaton (The Unicode Standard, table 3-7): state 0 is between characters,
/// 1–3 expect that many continuation bytes, 4–7 expect a restricted first continuation byte (after E0,
/// ED, F0, F4), -1 is ill-formed.
enum UTF8Decoder {
    /// Byte classes: 00–7F, 80–8F, 90–9F, A0–BF, never valid (C0, C1, F5–FF), C2–DF, E0, E1–EC and
    /// EE–EF, ED, F0, F1–F3, F4.
    static func classOf(_ b: UInt8) -> Int {
        switch b {
        case 0x00...0x7F: return 0
        case 0x80...0x8F: return 1
        case 0x90...0x9F: return 2
        case 0xA0...0xBF: return 3
        case 0xC2...0xDF: return 5
        case 0xE0: return 6
        case 0xE1...0xEC, 0xEE...0xEF: return 7
        case 0xED: return 8
        case 0xF0: return 9
        case 0xF1...0xF3: return 10
        case 0xF4: return 11
        default: return 4
        }
    }

    private static let table: [[Int8]] = [
        // class:  00  80  90  A0  xx  C2  E0  E1  ED  F0  F1  F4
        /* 0 */ [0, -1, -1, -1, -1, 1, 4, 2, 5, 6, 3, 7],
        /* 1 */ [-1, 0, 0, 0, -1, -1, -1, -1, -1, -1, -1, -1],
        /* 2 */ [-1, 1, 1, 1, -1, -1, -1, -1, -1, -1, -1, -1],
        /* 3 */ [-1, 2, 2, 2, -1, -1, -1, -1, -1, -1, -1, -1],
        /* 4 */ [-1, -1, -1, 1, -1, -1, -1, -1, -1, -1, -1, -1],
        /* 5 */ [-1, 1, 1, -1, -1, -1, -1, -1, -1, -1, -1, -1],
        /* 6 */ [-1, -1, 2, 2, -1, -1, -1, -1, -1, -1, -1, -1],
        /* 7 */ [-1, 2, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1],
    ]

    static func next(_ state: Int8, _ cls: Int) -> Int8 { state < 0 ? -1 : table[Int(state)][cls] }
}
