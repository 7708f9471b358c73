import Core
/// The shape a valid payload has when it is already in canonical form, compiled from the flat schema: the
/// bytes between values are fixed (`{"date":"`, `","entries":[{"cache_creation_tokens":`, …), so a
/// canonical payload can be checked by comparing those bytes and reading each value in place, without
/// tokenising, keeping a path or looking keys up.
///
/// It is a fast path, not a second validator. It accepts a payload only when every byte is what the
/// canonical form of a valid payload would have there and every value passes the same checks the walker's
/// own fast paths apply; on anything else (whitespace, another member order, an escape, a number spelled
/// differently, a value out of range, a word outside the vocabulary, a syntax error) it gives up and the
/// walker reads the payload from the start, to accept it or to word what is wrong. So it can make a
/// check faster but never change its answer; a differential test and the payload fuzzer hold it to that.
///
/// Only schemas it can follow exactly get a template: objects whose members are all required (absence
/// would make the layout variable), arrays whose unique-by keys are vocabulary words, strings, integers
/// and numbers. Anything else (`any`, booleans, null, `const` on a container, optional members,
/// recursion) leaves the schema without one, and the walker does all the work as before.
struct CanonicalTemplate {
    enum Kind: UInt8 {
        /// `a`: start in `bytes`, `b`: length. The bytes must be there as they are.
        case literal
        /// The content of a string whose opening quote a literal has just matched, and its closing quote.
        /// `a`: string info, `b`: slot, `c`: position among its array's unique-by keys (-1: none).
        case string
        /// `a`: number info, `b`: slot.
        case number
        /// `a`: array info, `b`: slot, `c`: index of the op after this array's `itemEnd`.
        case arrayOpen
        /// `a`: index of its `arrayOpen`.
        case itemEnd
        /// The end of the payload: nothing may follow but one newline.
        case end
    }

    struct Op {
        var kind: Kind
        var a: Int32
        var b: Int32
        var c: Int32
    }

    var ops: [Op] = []
    var bytes: [UInt8] = []
    /// The deepest object or array, counted as the walker counts (the root value is at depth 1): the
    /// template is used only when the walker's depth limit would not refuse it.
    var depth = 0
    /// Arrays nested in arrays at most (the run's frame stack).
    static let maxArrayNesting = 8

    private var pending: [UInt8] = []

    /// The template of `flat`'s root, or nil when the schema uses something the template cannot follow.
    static func compile(_ flat: FlatSchema) -> CanonicalTemplate? {
        guard !flat.nodes.isEmpty else { return nil }
        var t = CanonicalTemplate()
        var onPath = Set<Int32>()
        var keys: KeyScope? = nil
        guard t.emit(0, flat, depth: 1, arrays: 0, slot: -1, onPath: &onPath, keys: &keys) else { return nil }
        t.flush()
        t.ops.append(Op(kind: .end, a: 0, b: 0, c: 0))
        return t
    }

    /// The unique-by keys of the array item being compiled, and which of them a string op has claimed.
    struct KeyScope {
        var slots: [Int32]
        var claimed: [Bool]
    }

    private mutating func literal(_ s: String) { pending.append(contentsOf: s.utf8) }
    private mutating func literal(_ b: [UInt8]) { pending.append(contentsOf: b) }

    private mutating func flush() {
        guard !pending.isEmpty else { return }
        ops.append(Op(kind: .literal, a: Int32(bytes.count), b: Int32(pending.count), c: 0))
        bytes.append(contentsOf: pending)
        pending.removeAll()
    }

    private mutating func emit(_ n: Int32, _ flat: FlatSchema, depth: Int, arrays: Int, slot: Int32,
                               onPath: inout Set<Int32>, keys: inout KeyScope?) -> Bool {
        guard onPath.insert(n).inserted else { return false }   // recursion: the layout has no fixed end
        defer { onPath.remove(n) }
        let node = flat.nodes[Int(n)]
        switch node.kind {
        case .object:
            guard !node.hasConst, node.b <= 64 else { return false }
            let info = flat.objects[Int(flat.objectIndex[Int(n)])]
            let count = Int(node.b)
            guard count == 64 ? info.requiredMask == .max : info.requiredMask == (1 << UInt64(count)) - 1 else { return false }
            depth_(depth)
            literal("{")
            // Properties are stored in canonical (UTF-16) order; plain names are written as they are.
            for i in 0..<count {
                let p = flat.props[Int(node.a) + i]
                guard p.plainName else { return false }
                if i > 0 { literal(",") }
                literal("\"")
                literal(Array(flat.names[Int(p.nameStart)..<Int(p.nameStart + p.nameLength)]))
                literal("\":")
                guard emit(p.node, flat, depth: depth + 1, arrays: arrays, slot: p.slot, onPath: &onPath, keys: &keys) else { return false }
            }
            literal("}")
        case .array:
            guard !node.hasConst, keys == nil, arrays < Self.maxArrayNesting else { return false }
            let info = flat.arrays[Int(node.b)]
            depth_(depth)
            flush()
            let open = ops.count
            ops.append(Op(kind: .arrayOpen, a: node.b, b: slot, c: -1))
            var itemKeys: KeyScope? = nil
            if info.uniqueCount > 0 {
                guard info.uniquePacked else { return false }
                let slots = (0..<Int(info.uniqueCount)).map { flat.uniqueSlots[Int(info.uniqueStart) + $0] }
                itemKeys = KeyScope(slots: slots, claimed: Array(repeating: false, count: slots.count))
            }
            guard emit(node.a, flat, depth: depth + 1, arrays: arrays + 1, slot: -1, onPath: &onPath, keys: &itemKeys) else { return false }
            // Every key must be read in every item, or the walker would not compare the items.
            if let k = itemKeys, k.claimed.contains(false) { return false }
            flush()
            ops.append(Op(kind: .itemEnd, a: Int32(open), b: 0, c: 0))
            ops[open].c = Int32(ops.count)
        case .string:
            let info = flat.strings[Int(node.a)]
            var keyIndex: Int32 = -1
            if let scope = keys, let k = scope.slots.firstIndex(of: slot) {
                // A key must be a vocabulary word (its rank is packed) and read once per item.
                guard info.enumLengthStart >= 0, !scope.claimed[k] else { return false }
                keys!.claimed[k] = true
                keyIndex = Int32(k)
            }
            literal("\"")
            flush()
            ops.append(Op(kind: .string, a: node.a, b: slot, c: keyIndex))
        case .integer, .number:
            flush()
            ops.append(Op(kind: .number, a: node.a, b: slot, c: 0))
        case .any, .boolean, .null:
            return false
        }
        return true
    }

    private mutating func depth_(_ d: Int) { depth = max(depth, d) }
}

extension CanonicalTemplate {
    /// The template's tables, frozen for the run.
    struct View {
        let ops: UnsafeBufferPointer<Op>
        let bytes: UnsafeBufferPointer<UInt8>
        let depth: Int
    }

    /// Nonzero when a byte of `w` is a quote, a backslash, below 0x20 or at least 0x7F (SWAR: each test
    /// sets the high bit of the bytes it matches; no false negatives, and the byte loop decides).
    @inline(__always)
    static func special(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
        func zeroByte(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & high }
        let quote = zeroByte(w ^ (ones &* 0x22))
        let backslash = zeroByte(w ^ (ones &* 0x5C))
        let control = (w &- ones &* 0x20) & ~w & high          // bytes below 0x20
        let upper = (w | (w &+ ones)) & high                     // bytes >= 0x7F (0x7F + 1 carries into bit 7)
        return quote | backslash | control | upper
    }

    struct Frame {
        var open: Int32 = 0
        var count: Int = 0
        var packed: UInt64 = 0
        var previous: UInt64 = 0
    }

    /// Reads `bytes` along the template, handing each leaf to `sink` as the walker would. True when the
    /// payload is valid and canonical; false as soon as anything differs, with the sink holding part of
    /// the payload (the caller resets it and lets the walker read the payload).
    @inline(__always)
    static func run<Sink: PayloadSink>(_ t: View, _ s: FlatSchema.View, bytes: UnsafeRawBufferPointer, todayDays: Int,
                                       sink: UnsafeMutablePointer<Sink>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        let end = bytes.count
        var pos = 0
        var pc = 0
        var frames = InlineArray<8, Frame>(repeating: Frame())
        var depth = 0   // frames in use
        let ops = t.ops.baseAddress!, lit = t.bytes.baseAddress!
        while true {
            let op = ops[pc]
            switch op.kind {
            case .literal:
                let len = Int(op.b)
                guard end - pos >= len, memcmpBytes(base + pos, lit + Int(op.a), len) else { return false }
                pos += len
                pc += 1

            case .string:
                // Printable ASCII without quote or backslash: exactly the strings whose canonical form is
                // their bytes between quotes, and valid UTF-8. Anything else goes to the walker.
                let start = pos
                // Eight bytes at a time while none is a quote, a backslash, a control byte or >= 0x7F.
                while end - pos >= 8 {
                    let w = base.loadUnaligned(fromByteOffset: pos, as: UInt64.self)
                    if Self.special(w) != 0 { break }
                    pos += 8
                }
                while true {
                    guard pos < end else { return false }
                    let c = base.load(fromByteOffset: pos, as: UInt8.self)
                    if c == 0x22 { break }
                    guard c >= 0x20, c < 0x7F, c != 0x5C else { return false }
                    pos += 1
                }
                let raw = UnsafeRawBufferPointer(start: base + start, count: pos - start)
                pos += 1
                let info = s.strings[Int(op.a)]
                var found: Int32 = -1
                if info.enumLengthStart >= 0 {
                    let len = raw.count
                    guard len <= Int(info.enumMaxLength) else { return false }
                    var c = Int(s.lengthIndex[Int(info.enumLengthStart) + len])
                    let cEnd = Int(s.lengthIndex[Int(info.enumLengthStart) + len + 1])
                    while c < cEnd {
                        if memcmpBytes(base + start, s.names.baseAddress! + Int(s.candidateStart[c]), len) { found = s.candidates[c]; break }
                        c += 1
                    }
                    guard found >= 0 else { return false }
                    if op.c >= 0 {
                        let unique = s.arrays[Int(ops[Int(frames[depth - 1].open)].a)].uniqueCount
                        frames[depth - 1].packed |= UInt64(s.ranks[Int(info.rankStart) + Int(found)]) << UInt64(16 * (Int(unique) - 1 - Int(op.c)))
                    }
                }
                if info.needsChecks {
                    guard info.fastChecks, s.stringPasses(info, raw, todayDays: todayDays) else { return false }
                }
                if found >= 0 { sink.pointee.enumIndex(slot: Int(op.b), Int(found)) }
                else { sink.pointee.bytes(slot: Int(op.b), raw) }
                pc += 1

            case .number:
                var value: Int64 = 0, scaled = false
                let start = pos
                guard readNumber(base, &pos, end, s.numbers[Int(op.a)], &value, &scaled) else { return false }
                if scaled { sink.pointee.scaled(slot: Int(op.b), value) } else { sink.pointee.integer(slot: Int(op.b), value, at: start) }
                pc += 1

            case .arrayOpen:
                guard pos < end, base.load(fromByteOffset: pos, as: UInt8.self) == 0x5B else { return false }
                pos += 1
                if pos < end, base.load(fromByteOffset: pos, as: UInt8.self) == 0x5D {
                    guard s.arrays[Int(op.a)].minItems <= 0 else { return false }
                    pos += 1
                    pc = Int(op.c)
                } else {
                    frames[depth] = Frame(open: Int32(pc))
                    depth += 1
                    pc += 1
                }

            case .itemEnd:
                let open = ops[Int(op.a)]
                let info = s.arrays[Int(open.a)]
                sink.pointee.endItem(slot: Int(open.b))
                var f = frames[depth - 1]
                f.count += 1
                if info.uniqueCount > 0 {
                    // Strictly increasing keys: no two items share a key and they are in canonical order.
                    if f.count > 1, f.packed <= f.previous { return false }
                    f.previous = f.packed
                    f.packed = 0
                }
                guard f.count <= info.maxItems, pos < end else { return false }
                let c = base.load(fromByteOffset: pos, as: UInt8.self)
                pos += 1
                if c == 0x2C {
                    frames[depth - 1] = f
                    pc = Int(op.a) + 1
                } else if c == 0x5D {
                    guard f.count >= info.minItems else { return false }
                    depth -= 1
                    pc += 1
                } else {
                    return false
                }

            case .end:
                return pos == end || (pos == end - 1 && base.load(fromByteOffset: pos, as: UInt8.self) == 0x0A)
            }
        }
    }

    /// A number the walker's fast paths would accept without remark, written as the canonical form writes
    /// it: `0` or no leading zero, no `-0`, no exponent, no trailing zero in a fraction. On success `pos`
    /// is past it, `value` holds it (scaled by 10^maxDecimals when `scaled`); false otherwise.
    @inline(__always)
    static func readNumber(_ base: UnsafeRawPointer, _ pos: inout Int, _ end: Int, _ info: FlatSchema.NumberInfo,
                           _ value: inout Int64, _ scaled: inout Bool) -> Bool {
        let start = pos
        var p = pos
        let negative = p < end && base.load(fromByteOffset: p, as: UInt8.self) == 0x2D
        if negative { p += 1 }
        let intStart = p
        var v: Int64 = 0
        while p < end {
            let d = base.load(fromByteOffset: p, as: UInt8.self) &- 0x30
            guard d < 10 else { break }
            v = v &* 10 &+ Int64(d)
            p += 1
        }
        let intDigits = p - intStart
        guard intDigits > 0 else { return false }
        if intDigits > 1, base.load(fromByteOffset: intStart, as: UInt8.self) == 0x30 { return false }   // leading zero: a syntax error
        var places = 0
        if p < end, base.load(fromByteOffset: p, as: UInt8.self) == 0x2E {
            p += 1
            while p < end {
                let d = base.load(fromByteOffset: p, as: UInt8.self) &- 0x30
                guard d < 10 else { break }
                v = v &* 10 &+ Int64(d)
                p += 1
                places += 1
            }
            guard places > 0, base.load(fromByteOffset: p - 1, as: UInt8.self) != 0x30 else { return false }
        }
        if p < end {
            let c = base.load(fromByteOffset: p, as: UInt8.self)
            if c == 0x65 || c == 0x45 { return false }   // exponent: left to the walker
        }
        if places == 0 {
            // The walker's integer fast path.
            guard p - start <= 18, info.fastInteger else { return false }
            if negative { guard v != 0 else { return false }; v = -v }
            guard v >= info.intMin, v <= info.intMax else { return false }
            if info.hasConstInt, v != info.constInt { return false }
            if info.maxDecimals >= 0 {
                guard info.fastDecimal else { return false }
                for _ in 0..<info.maxDecimals { v = v &* 10 }
                scaled = true
            }
        } else {
            // The walker's decimal fast path.
            guard info.fastDecimal, p - start <= 17, places <= Int(info.maxDecimals) else { return false }
            for _ in places..<Int(info.maxDecimals) { v = v &* 10 }
            if negative { guard v != 0 else { return false }; v = -v }
            var lo = info.intMin, hi = info.intMax
            for _ in 0..<info.maxDecimals { lo = lo &* 10; hi = hi &* 10 }
            guard v >= lo, v <= hi else { return false }
            scaled = true
        }
        value = v
        pos = p
        return true
    }
}
