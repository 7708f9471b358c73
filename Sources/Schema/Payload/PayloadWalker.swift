import Core
/// The validation pass: one walk over the payload bytes, driven by the flat compiled schema, without
/// building a value tree. It checks syntax (through `JSONLexer`), the schema and the canonical form together.
///
/// Semantic violations are collected and the walk goes on, so a member sees every problem at once; a
/// syntax error ends the walk (nothing after it can be read reliably). The path of the value being read is
/// kept as integer codes and turned into a JSON Pointer only when something is reported. Schema data is
/// read through `FlatSchema.View` (borrowed storage), so the hot loop does no reference counting.
struct PayloadWalker<Sink: PayloadSink> {
    var lx: JSONLexer
    let s: FlatSchema.View
    let flat: Unmanaged<FlatSchema>
    let today: CalendarDay
    let todayDays: Int
    let maxDepth: Int
    /// Borrowed from the caller for the walk: held by pointer so the sink (and the arrays it fills) is
    /// never copied, which would force a copy-on-write of its buffers for every payload.
    let sink: UnsafeMutablePointer<Sink>
    /// ≥ 0: a property index; -1 - i: array index i; ≤ unknownBase: an unknown key in `unknownKeys`.
    var path = PathStack()
    var unknownKeys: [String] = []
    /// Set when a failure came from the tree reader, whose path is more precise.
    var failurePath: JSONPointer? = nil
    var violations: [Violation] = []
    var freedoms: [CanonicalFreedom] = []
    var freedomSeen: UInt8 = 0
    /// Unique-by capture for the array item being read (slots come from the schema).
    var capturing = false
    var captureStart: Int32 = 0
    var captureCount: Int32 = 0
    var capturePacked: UInt64 = 0
    var captureSeen = 0
    var captureStrings: [String]? = nil

    static var unknownBase: Int { -(1 << 40) }

    /// The depth the walk refuses beyond: the limit asked for, within what the path stack holds.
    static func depthLimit(_ asked: Int) -> Int { min(asked, PathStack.capacity - 2) }

    init(bytes: UnsafeRawBufferPointer, flat: FlatSchema, today: CalendarDay, todayDays: Int, maxDepth: Int, sink: UnsafeMutablePointer<Sink>) {
        self.lx = JSONLexer(bytes)
        self.s = flat.view
        self.flat = Unmanaged.passUnretained(flat)
        self.today = today
        self.todayDays = todayDays
        self.maxDepth = Self.depthLimit(maxDepth)
        self.sink = sink
    }

    // MARK: reporting (error paths only)

    var currentPointer: JSONPointer {
        let f = flat.takeUnretainedValue()
        return JSONPointer(path.map { code in
            if code >= 0 { return f.propNames[code] }
            if code > Self.unknownBase { return String(-code - 1) }
            return unknownKeys[Self.unknownBase - code]
        })
    }

    var pathSteps: [PathStep] {
        let f = flat.takeUnretainedValue()
        return path.map { code in
            if code >= 0 { return .key(f.propNames[code]) }
            if code > Self.unknownBase { return .index(-code - 1) }
            return .key(unknownKeys[Self.unknownBase - code])
        }
    }

    func source(_ node: Int32) -> SchemaNode { flat.takeUnretainedValue().sources[Int(node)] }

    mutating func violate(_ rule: Violation.Rule, at offset: Int, _ message: String, pointer: JSONPointer? = nil) {
        violations.append(Violation(rule: rule, pointer: pointer ?? currentPointer,
                                    location: SourceLocation.locate(offset: offset, in: lx.bytes), message: message))
    }

    @inline(__always)
    mutating func free(_ kind: CanonicalFreedom.Kind, at offset: Int, _ detail: @autoclosure () -> String) {
        let bit: UInt8 = 1 << UInt8(CanonicalFreedom.Kind.allCases.firstIndex(of: kind)!)
        guard freedomSeen & bit == 0 else { return }
        freedomSeen |= bit
        freedoms.append(CanonicalFreedom(kind: kind, pointer: currentPointer, location: SourceLocation.locate(offset: offset, in: lx.bytes), detail: detail()))
    }

    @inline(__always)
    mutating func ws() {
        let at = lx.pos
        if lx.skipWhitespace() > 0 { whitespaceFound(at) }
    }

    @inline(never)
    mutating func whitespaceFound(_ at: Int) { free(.whitespace, at: at, "whitespace between tokens") }

    // MARK: document

    mutating func document() throws(JSONLexer.Failure) {
        let buf = lx.bytes
        if buf.count >= 3, buf[0] == 0xEF, buf[1] == 0xBB, buf[2] == 0xBF { throw .init(problem: .byteOrderMark, offset: 0) }
        ws()
        if lx.atEnd { throw .init(problem: .empty, offset: lx.pos) }
        try value(0, depth: 1, slot: -1)
        // The canonical form may end with exactly one newline.
        if lx.end - lx.pos == 1, buf[lx.pos] == 0x0A { lx.pos += 1; return }
        let at = lx.pos
        if lx.skipWhitespace() > 0 {
            let found = UnsafeRawBufferPointer(rebasing: buf[at..<lx.pos]).map { b -> String in
                switch b { case 0x0A: return "\\n"; case 0x0D: return "\\r"; case 0x09: return "\\t"; default: return " " }
            }.joined()
            free(.whitespace, at: at, "whitespace after the payload: the canonical form ends with at most one \"\\n\" (found \"\(found.prefix(40))\")")
        }
        if !lx.atEnd { throw .init(problem: .trailingContent, offset: lx.pos) }
    }

    // MARK: values

    mutating func value(_ n: Int32, depth: Int, slot: Int32) throws(JSONLexer.Failure) {
        guard let b = lx.peek() else { throw lx.badValueStart(expected: "a value") }
        let node = s.nodes[Int(n)]
        switch node.kind {
        case .object:
            guard b == 0x7B else { return try mismatch(n, depth: depth) }
            sink.pointee.open(.object, slot: Int(slot))
            try object(n, node, depth: depth)
            sink.pointee.close()
        case .array:
            guard b == 0x5B else { return try mismatch(n, depth: depth) }
            sink.pointee.open(.array, slot: Int(slot))
            try array(n, node, depth: depth, slot: slot)
            sink.pointee.close()
        case .string:
            guard b == 0x22 else { return try mismatch(n, depth: depth) }
            try string(n, node, slot: slot)
        case .integer, .number:
            guard b == 0x2D || isDigit(b) else { return try mismatch(n, depth: depth) }
            try number(n, node, slot: slot)
        case .boolean:
            guard b == 0x74 || b == 0x66 else { return try mismatch(n, depth: depth) }
            let start = lx.pos
            let v = try readAny(depth: depth)
            if node.hasConst { checkConst(n, v, at: start) }
            sink.pointee.leaf(slot: Int(slot), .bool(v == .bool(true)))
        case .null:
            guard b == 0x6E else { return try mismatch(n, depth: depth) }
            try lx.scanLiteral("null")
            sink.pointee.leaf(slot: Int(slot), .null)
        case .any:
            let start = lx.pos
            let v = try readAny(depth: depth)
            if node.hasConst { checkConst(n, v, at: start) }
            sink.pointee.untyped(slot: Int(slot), key: nil, v)
        }
    }

    /// Reads any value strictly (duplicate keys, depth, UTF-8) into a tree: used only off the hot path
    /// (wrong types, unknown members, untyped subschemas).
    mutating func readAny(depth: Int) throws(JSONLexer.Failure) -> JSONValue {
        var tb = TreeBuilder(lexer: lx, limits: JSONLimits(maxBytes: Int.max, maxDepth: maxDepth))
        tb.path = pathSteps
        do {
            let v = try tb.value(depth: depth)
            lx.pos = tb.lexer.pos
            return v
        } catch {
            failurePath = pointer(from: tb.path)
            throw error
        }
    }

    mutating func checkConst(_ n: Int32, _ v: JSONValue, at offset: Int) {
        guard let c = source(n).constant, c != v else { return }
        violate(.const, at: offset, "\(describe(n)) must be \(render(c)), found \(render(v))")
    }

    @inline(never)
    mutating func mismatch(_ n: Int32, depth: Int) throws(JSONLexer.Failure) {
        let start = lx.pos
        let v = try readAny(depth: depth)
        let expected = source(n).typeName
        var msg = "expected \(expected), found \(v.typeName)"
        if case .string(let text) = v, expected == "integer" || expected == "number", JSONNumberText.isNumber(text) {
            msg += " \(render(v)) (write the number without quotes)"
        } else if case .array = v {} else if case .object = v {} else if case .null = v {} else {
            msg += " \(render(v))"
        }
        violate(.type, at: start, msg)
    }

    // MARK: objects

    mutating func object(_ n: Int32, _ node: FlatSchema.Node, depth: Int) throws(JSONLexer.Failure) {
        let start = lx.pos
        if depth > maxDepth { throw .init(problem: .tooDeep(limit: maxDepth), offset: start) }
        lx.pos += 1
        ws()
        let first = Int(node.a), count = Int(node.b)
        let info = s.objects[Int(s.objectIndex[Int(n)])]
        var seen: UInt64 = 0
        var previousIndex = -1
        var previousUnknown: String? = nil   // set once an unknown key has been read
        var unknownHere: [String] = []        // unknown keys of this object, for duplicate detection
        if lx.peek() == 0x7D {
            lx.pos += 1
        } else {
            while true {
                guard let b = lx.peek() else { throw .init(problem: .unexpectedEnd(expected: "a key string or '}'"), offset: lx.pos) }
                guard b == 0x22 else { throw .init(problem: .unexpectedByte(b, expected: "a key string (in double quotes)"), offset: lx.pos) }
                var index = -1
                var keyStart = lx.pos
                // Fastest path: the expected next property, written plainly, is matched in place. Its name
                // has no quote, backslash, control or non-ASCII byte (checked when the schema was
                // flattened), so bytes equal to `"name"` are exactly that string and need no scan.
                let guess = previousIndex + 1
                if guess < count, case let p = s.props[first + guess], p.plainName,
                   case let len = Int(p.nameLength), lx.pos + len + 2 <= lx.end,
                   lx.bytes[lx.pos + len + 1] == 0x22,
                   memcmpBytes(lx.bytes.baseAddress! + lx.pos + 1, s.names.baseAddress! + Int(p.nameStart), len) {
                    index = guess
                    lx.pos += len + 2
                } else {
                    let tok = try lx.scanString()
                    keyStart = tok.start
                    if tok.hasNonCanonicalEscape { escapeFreedom(tok) }
                    if !tok.hasEscapes {
                        let len = tok.contentEnd - tok.contentStart
                        let base = lx.bytes.baseAddress! + tok.contentStart
                        var i = 0
                        while i < count {
                            let p = s.props[first + i]
                            if Int(p.nameLength) == len, memcmpBytes(base, s.names.baseAddress! + Int(p.nameStart), len) { index = i; break }
                            i += 1
                        }
                    } else {
                        let key = lx.decode(tok)
                        let f = flat.takeUnretainedValue()
                        index = (0..<count).first { f.propNames[first + $0] == key } ?? -1
                    }
                    if index < 0 {
                        ws()
                        try lx.expect(0x3A, "':' after the key")
                        ws()
                        try unknownMember(tok, info: info, first: first, count: count, depth: depth, previous: &previousUnknown, previousIndex: previousIndex, seen: &unknownHere)
                        if try moreMembers() { continue } else { break }
                    }
                }
                ws()
                try lx.expect(0x3A, "':' after the key")
                ws()
                do {    // a known member
                    let p = s.props[first + index]
                    let bit: UInt64 = 1 << UInt64(index)
                    path.append(first + index)
                    if seen & bit != 0 { throw .init(problem: .duplicateKey(flat.takeUnretainedValue().propNames[first + index]), offset: keyStart) }
                    seen |= bit
                    if previousUnknown == nil ? index < previousIndex : !CanonicalJSON.utf16Less(previousUnknown!, flat.takeUnretainedValue().propNames[first + index]) {
                        orderFreedom(at: keyStart, flat.takeUnretainedValue().propNames[first + index], previousUnknown ?? flat.takeUnretainedValue().propNames[first + previousIndex])
                    }
                    previousIndex = index
                    if previousUnknown != nil { previousUnknown = flat.takeUnretainedValue().propNames[first + index] }
                    try value(p.node, depth: depth + 1, slot: p.slot)
                    path.removeLast()
                }
                if try moreMembers() { continue } else { break }
            }
        }
        let missing = info.requiredMask & ~seen
        if missing != 0 { reportMissing(missing, first: first, count: count, at: start) }
    }

    /// After a member: true when a ',' announces another, false when '}' closes the object.
    @inline(__always)
    mutating func moreMembers() throws(JSONLexer.Failure) -> Bool {
        ws()
        guard let c = lx.peek() else { throw .init(problem: .unexpectedEnd(expected: "',' or '}'"), offset: lx.pos) }
        if c == 0x2C {
            lx.pos += 1
            ws()
            if lx.peek() == 0x7D { throw .init(problem: .unexpectedByte(0x7D, expected: "another member after ',' (trailing commas are not JSON)"), offset: lx.pos) }
            return true
        }
        if c == 0x7D { lx.pos += 1; return false }
        throw .init(problem: .unexpectedByte(c, expected: "',' or '}'"), offset: lx.pos)
    }

    /// Names the first escape of a string that the canonical form would write differently.
    @inline(never)
    mutating func escapeFreedom(_ tok: JSONLexer.StringToken) {
        let b = lx.bytes
        func hex(_ at: Int) -> UInt32 {
            (0..<4).reduce(UInt32(0)) { v, k in let h = b[at + k]; return v << 4 | UInt32(h <= 0x39 ? h - 0x30 : (h | 0x20) - 0x61 + 10) }
        }
        var detail = "an escape the canonical form does not use"
        var i = tok.contentStart
        scan: while i < tok.contentEnd {
            guard b[i] == 0x5C else { i += 1; continue }
            switch b[i + 1] {
            case 0x2F:
                detail = "\\/ is written / in canonical form"
                break scan
            case 0x75:
                let written = String(decoding: UnsafeRawBufferPointer(rebasing: b[i..<(i + 6)]), as: UTF8.self)
                var u = hex(i + 2)
                if u >= 0xD800 && u <= 0xDBFF { u = 0x10000 + ((u - 0xD800) << 10) + (hex(i + 8) - 0xDC00) }
                let short: [UInt32: String] = [0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r"]
                let canonical: String
                if let sh = short[u] { canonical = sh }
                else if u < 0x20 { canonical = "\\u" + hex4(u).lowercased() }
                else { canonical = String(Unicode.Scalar(u).map(Character.init) ?? "?") }
                if canonical != written {
                    detail = "\(written) is written \(quoteForMessage(canonical).dropFirst().dropLast()) in canonical form"
                    break scan
                }
                i += 6
            default:
                i += 2
            }
        }
        free(.escape, at: tok.start, detail)
    }

    @inline(never)
    mutating func orderFreedom(at offset: Int, _ name: String, _ previous: String) {
        free(.memberOrder, at: offset, "members are not in canonical order (\(quoteForMessage(name)) comes after \(quoteForMessage(previous)))")
    }

    @inline(never)
    mutating func unknownMember(_ tok: JSONLexer.StringToken, info: FlatSchema.ObjectInfo, first: Int, count: Int, depth: Int,
                                previous: inout String?, previousIndex: Int, seen: inout [String]) throws(JSONLexer.Failure) {
        let key = lx.decode(tok)
        let f = flat.takeUnretainedValue()
        path.append(Self.unknownBase - unknownKeys.count)
        unknownKeys.append(key)
        if seen.contains(key) { throw .init(problem: .duplicateKey(key), offset: tok.start) }
        seen.append(key)
        let prevName = previous ?? (previousIndex >= 0 ? f.propNames[first + previousIndex] : nil)
        if let prevName, !CanonicalJSON.utf16Less(prevName, key) { orderFreedom(at: tok.start, key, prevName) }
        previous = key
        if !info.allowsAdditional {
            let allowed = (0..<count).map { f.propNames[first + $0] }.joined(separator: ", ")
            violate(.additionalProperty, at: tok.start, "unknown member \(quoteForMessage(key)): only \(allowed) are allowed here")
        }
        let value = try readAny(depth: depth + 1)
        sink.pointee.untyped(slot: -1, key: key, value)
        path.removeLast()
    }

    @inline(never)
    mutating func reportMissing(_ missing: UInt64, first: Int, count: Int, at start: Int) {
        let f = flat.takeUnretainedValue()
        for i in 0..<count where missing & (1 << UInt64(i)) != 0 {
            violate(.required, at: start, "missing required member \(quoteForMessage(f.propNames[first + i]))")
        }
    }

    // MARK: arrays

    struct ItemKey {
        var packed: UInt64 = 0
        var valid = false
        var index = 0
        var offset = 0
    }

    /// Item keys of one array: the first 8 inline (no allocation), any more in an array; string keys
    /// (unique-by over non-vocabulary properties) beside them.
    struct ItemKeys {
        var inline = InlineArray<8, ItemKey>(repeating: ItemKey())
        var extra: [ItemKey] = []
        var strings: [[String]] = []
        var count = 0

        mutating func append(_ k: ItemKey, strings s: [String]?) {
            if count < 8 { inline[count] = k } else { extra.append(k) }
            if let s { strings.append(s) }
            count += 1
        }

        subscript(i: Int) -> ItemKey { i < 8 ? inline[i] : extra[i - 8] }
        func text(_ i: Int) -> [String]? { strings.isEmpty ? nil : strings[i] }
    }

    mutating func array(_ n: Int32, _ node: FlatSchema.Node, depth: Int, slot: Int32) throws(JSONLexer.Failure) {
        let start = lx.pos
        if depth > maxDepth { throw .init(problem: .tooDeep(limit: maxDepth), offset: start) }
        lx.pos += 1
        ws()
        let info = s.arrays[Int(node.b)]
        let unique = info.uniqueCount > 0
        var count = 0
        var keys = ItemKeys()
        if lx.peek() == 0x5D {
            lx.pos += 1
        } else {
            while true {
                path.append(-1 - count)
                let itemStart = lx.pos
                if unique {
                    let saved = (capturing, captureStart, captureCount, capturePacked, captureSeen, captureStrings)
                    capturing = true
                    captureStart = info.uniqueStart
                    captureCount = info.uniqueCount
                    capturePacked = 0
                    captureSeen = 0
                    captureStrings = info.uniquePacked ? nil : [String](repeating: "", count: Int(info.uniqueCount))
                    try value(node.a, depth: depth + 1, slot: -1)
                    keys.append(ItemKey(packed: capturePacked, valid: captureSeen == (1 << Int(info.uniqueCount)) - 1,
                                        index: count, offset: itemStart), strings: captureStrings)
                    (capturing, captureStart, captureCount, capturePacked, captureSeen, captureStrings) = saved
                } else {
                    try value(node.a, depth: depth + 1, slot: -1)
                }
                sink.pointee.endItem(slot: Int(slot))
                path.removeLast()
                count += 1
                ws()
                guard let c = lx.peek() else { throw .init(problem: .unexpectedEnd(expected: "',' or ']'"), offset: lx.pos) }
                if c == 0x2C {
                    lx.pos += 1
                    ws()
                    if lx.peek() == 0x5D { throw .init(problem: .unexpectedByte(0x5D, expected: "another value after ',' (trailing commas are not JSON)"), offset: lx.pos) }
                    continue
                }
                if c == 0x5D { lx.pos += 1; break }
                throw .init(problem: .unexpectedByte(c, expected: "',' or ']'"), offset: lx.pos)
            }
        }
        if count < info.minItems || count > info.maxItems { reportCount(n, count, info, at: start) }
        if unique { checkUnique(keys, n) }
    }

    @inline(never)
    mutating func reportCount(_ n: Int32, _ count: Int, _ info: FlatSchema.ArrayInfo, at start: Int) {
        let what = describe(n)
        if count < info.minItems {
            violate(.minItems, at: start, count == 0 ? "\(what) is empty; at least \(info.minItems) \(info.minItems == 1 ? "item is" : "items are") required" : "\(what) has \(count) items; at least \(info.minItems) are required")
        } else {
            violate(.maxItems, at: start, "\(what) has \(count) items; at most \(info.maxItems) are allowed")
        }
    }

    mutating func checkUnique(_ keys: borrowing ItemKeys, _ n: Int32) {
        guard keys.count > 1 else { return }
        var orderReported = false
        for i in 1..<keys.count where keys[i].valid {
            for j in 0..<i where keys[j].valid && keys[j].packed == keys[i].packed && keys.text(j) == keys.text(i) {
                duplicateItem(n, keys[i], keys[j])
                break
            }
            if !orderReported, keys[i - 1].valid, lessKey(keys, i, i - 1) {
                orderReported = true
                path.append(-1 - keys[i].index)
                let names = uniqueNames(n)
                free(.itemOrder, at: keys[i].offset, "items are not sorted by (\(names)) as the canonical form requires")
                path.removeLast()
            }
        }
    }

    func uniqueNames(_ n: Int32) -> String {
        guard case .array(let shape) = source(n).kind else { return "" }
        return shape.uniqueBy.joined(separator: ", ")
    }

    @inline(never)
    mutating func duplicateItem(_ n: Int32, _ a: ItemKey, _ b: ItemKey) {
        let names = uniqueNames(n)
        path.append(-1 - a.index)
        let other = currentPointer.parent.appending(b.index)
        violate(.uniqueBy, at: a.offset, "repeats the (\(names)) of \(other.display): at most one item per (\(names))")
        path.removeLast()
    }

    func lessKey(_ keys: borrowing ItemKeys, _ a: Int, _ b: Int) -> Bool {
        if let sa = keys.text(a), let sb = keys.text(b) {
            for (x, y) in zip(sa, sb) where x != y { return CanonicalJSON.utf16Less(x, y) }
            return false
        }
        return keys[a].packed < keys[b].packed
    }

    /// Records a unique-by key value when an item is being captured.
    @inline(__always)
    mutating func noteKey(slot: Int32, rank: Int32, text: String?) {
        guard capturing else { return }
        var k: Int32 = 0
        while k < captureCount {
            if s.uniqueSlots[Int(captureStart + k)] == slot { break }
            k += 1
        }
        guard k < captureCount else { return }
        if captureStrings != nil {
            guard let t = text else { return }
            captureStrings![Int(k)] = t
        } else {
            guard rank >= 0 else { return }
            capturePacked |= UInt64(rank) << UInt64(16 * (Int(captureCount) - 1 - Int(k)))
        }
        captureSeen |= 1 << Int(k)
    }

    // MARK: strings

    mutating func string(_ n: Int32, _ node: FlatSchema.Node, slot: Int32) throws(JSONLexer.Failure) {
        let tok = try lx.scanString()
        if tok.hasNonCanonicalEscape { escapeFreedom(tok) }
        let info = s.strings[Int(node.a)]
        var found: Int32 = -1
        if info.enumLengthStart >= 0 {
            if !tok.hasEscapes {
                let len = tok.contentEnd - tok.contentStart
                if len <= Int(info.enumMaxLength) {
                    let base = lx.bytes.baseAddress! + tok.contentStart
                    var c = Int(s.lengthIndex[Int(info.enumLengthStart) + len])
                    let end = Int(s.lengthIndex[Int(info.enumLengthStart) + len + 1])
                    while c < end {
                        if memcmpBytes(base, s.names.baseAddress! + Int(s.candidateStart[c]), len) { found = s.candidates[c]; break }
                        c += 1
                    }
                }
            } else {
                guard case .string(let shape) = source(n).kind else { return }
                found = Int32(shape.enumValues?.firstIndex(of: lx.decode(tok)) ?? -1)
            }
            if found < 0 {
                notInVocabulary(n, tok, slot: slot)
                return
            }
            if capturing {
                let word = captureStrings != nil ? vocabularyWord(n, found) : nil
                noteKey(slot: slot, rank: s.ranks[Int(info.rankStart) + Int(found)], text: word)
            }
            if !info.needsChecks {
                sink.pointee.enumIndex(slot: Int(slot), Int(found))
                return
            }
        }
        let raw = UnsafeRawBufferPointer(rebasing: lx.bytes[tok.contentStart..<tok.contentEnd])
        let decoded: String? = tok.hasEscapes ? lx.decode(tok) : nil
        var ok = true
        if info.needsChecks {
            if info.fastChecks, decoded == nil, s.stringPasses(info, raw, todayDays: todayDays) {
                ok = true
            } else if let decoded {
                let copy = Array(decoded.utf8)
                ok = copy.withUnsafeBytes { checkString(n, $0, at: tok.start) }
            } else {
                ok = checkString(n, raw, at: tok.start)
            }
        }
        if capturing && info.enumLengthStart < 0 { noteKey(slot: slot, rank: -1, text: ok ? (decoded ?? String(decoding: raw, as: UTF8.self)) : nil) }
        guard ok else { return }
        if found >= 0 { sink.pointee.enumIndex(slot: Int(slot), Int(found)) }
        else if let decoded { sink.pointee.leaf(slot: Int(slot), .string(decoded)) }
        else { sink.pointee.bytes(slot: Int(slot), raw) }
    }

    func vocabularyWord(_ n: Int32, _ i: Int32) -> String? {
        guard case .string(let shape) = source(n).kind, let v = shape.enumValues else { return nil }
        return v[Int(i)]
    }

    @inline(never)
    mutating func notInVocabulary(_ n: Int32, _ tok: JSONLexer.StringToken, slot: Int32) {
        guard case .string(let shape) = source(n).kind, let values = shape.enumValues else { return }
        let text = lx.decode(tok)
        let hint = VocabularyHint.explain(text, vocabulary: values)
        violate(hint?.lookalike == true ? .lookalike : .enumeration, at: tok.start,
                "\(quoteForMessage(text)) is not in the \(source(n).name ?? "allowed") vocabulary" + (hint.map { " " + $0.hint } ?? ""))
    }

    /// Format, calendar, pattern, length and const checks on a string's content; one violation at most
    /// (the most specific), so a member is not told the same thing three ways.
    mutating func checkString(_ n: Int32, _ str: UnsafeRawBufferPointer, at offset: Int) -> Bool {
        let node = source(n)
        guard case .string(let shape) = node.kind else { return true }
        var what: String { describe(n) }
        var text: String { String(decoding: str, as: UTF8.self) }
        if let fmt = shape.format {
            switch fmt {
            case .uuid:
                if let why = UUIDCheck.problem(str) {
                    violate(.uuidFormat, at: offset, "\(quoteForMessage(text)) is not a lower-case UUID version 4: \(why)")
                    return false
                }
            case .date:
                if let why = DateCheck.problem(str) {
                    violate(why.calendar ? .calendarDate : .dateFormat, at: offset, "\(quoteForMessage(text)) \(why.message)")
                    return false
                }
            }
        }
        if let rule = shape.calendar {
            guard let day = CalendarDay(text) else {
                let why = DateCheck.problem(str)
                violate(why?.calendar == true ? .calendarDate : .dateFormat, at: offset, "\(quoteForMessage(text)) \(why?.message ?? "is not a date YYYY-MM-DD")")
                return false
            }
            if let lo = rule.minimum, day < lo {
                violate(.dateRange, at: offset, "\(day) is before \(lo), the earliest day this schema accepts")
                return false
            }
            if let hiRule = rule.maximum {
                let hi = hiRule.resolve(today: today)
                if day > hi {
                    let rel: String
                    if case .today(let k) = hiRule { rel = k == 0 ? " (today, UTC)" : k == 1 ? " (the day after today, UTC)" : " (today + \(k) days, UTC)" } else { rel = "" }
                    violate(.dateRange, at: offset, "\(day) is after \(hi)\(rel): a payload cannot cover a day in the future")
                    return false
                }
            }
        }
        if let m = shape.pattern, !m.matches(str) {
            violate(.pattern, at: offset, "\(quoteForMessage(text)) does not match the pattern \(quoteForMessage(m.source, limit: 120)) of \(what)")
            return false
        }
        if shape.minLength != nil || shape.maxLength != nil {
            let count = str.reduce(0) { $0 + ($1 & 0xC0 != 0x80 ? 1 : 0) }
            if let lo = shape.minLength, count < lo { violate(.minLength, at: offset, "\(what) has \(count) characters; at least \(lo) are required"); return false }
            if let hi = shape.maxLength, count > hi { violate(.maxLength, at: offset, "\(what) has \(count) characters; at most \(hi) are allowed"); return false }
        }
        if let c = node.constant {
            let v = JSONValue.string(text)
            if c != v { violate(.const, at: offset, "\(what) must be \(render(c)), found \(render(v))"); return false }
        }
        return true
    }

    // MARK: numbers

    mutating func number(_ n: Int32, _ node: FlatSchema.Node, slot: Int32) throws(JSONLexer.Failure) {
        let tok = try lx.scanNumber()
        let info = s.numbers[Int(node.a)]
        // Fast path: a short plain integer within plain bounds, read straight from the bytes.
        if tok.isIntegerLexeme && tok.end - tok.start <= 18 && info.fastInteger {
            var v = Int64(bitPattern: tok.integerPart)   // at most 18 digits: no wrap
            if tok.negative {
                v = -v
                if v == 0 { free(.numberSpelling, at: tok.start, "-0 is written 0 in canonical form") }
            }
            if v < info.intMin || v > info.intMax { return outOfRange(n, v, info, at: tok.start) }
            if info.hasConstInt && v != info.constInt { return try numberSlow(n, tok, slot: slot) }
            if info.maxDecimals >= 0 {
                guard info.fastDecimal else { return try numberSlow(n, tok, slot: slot) }
                var scaled = v
                for _ in 0..<info.maxDecimals { scaled = scaled &* 10 }
                sink.pointee.scaled(slot: Int(slot), scaled)
            } else {
                sink.pointee.integer(slot: Int(slot), v, at: tok.start)
            }
            return
        }
        // Fast path: a plain decimal with at most maxDecimals places, no exponent (cost in cents).
        if info.fastDecimal, tok.hasFraction, !tok.hasExponent, tok.end - tok.start <= 17 {
            var v: Int64 = 0
            var places: Int32 = -1
            var i = tok.negative ? tok.start + 1 : tok.start
            while i < tok.end {
                let b = lx.bytes[i]
                if b == 0x2E { places = 0 } else { v = v &* 10 &+ Int64(b &- 0x30); if places >= 0 { places += 1 } }
                i += 1
            }
            if places <= info.maxDecimals && lx.bytes[tok.end - 1] != 0x30 {
                for _ in places..<info.maxDecimals { v = v &* 10 }
                if tok.negative { v = -v }
                var lo = info.intMin, hi = info.intMax
                for _ in 0..<info.maxDecimals { lo = lo &* 10; hi = hi &* 10 }
                if v >= lo && v <= hi && !(tok.negative && v == 0) {
                    sink.pointee.scaled(slot: Int(slot), v)
                    return
                }
            }
        }
        try numberSlow(n, tok, slot: slot)
    }

    @inline(never)
    mutating func outOfRange(_ n: Int32, _ v: Int64, _ info: FlatSchema.NumberInfo, at offset: Int) {
        if v < info.intMin { violate(.minimum, at: offset, "\(v) is below the minimum \(info.intMin) for \(describe(n))") }
        else { violate(.maximum, at: offset, "\(v) is above the maximum \(info.intMax) for \(describe(n))") }
    }

    /// Every number the fast paths do not settle: exponents, long digit strings, exclusive or fractional
    /// bounds, const, decimals beyond the limit, non-canonical spellings.
    @inline(never)
    mutating func numberSlow(_ n: Int32, _ tok: JSONLexer.NumberToken, slot: Int32) throws(JSONLexer.Failure) {
        let node = source(n)
        let shape: NumberShape
        let integer: Bool
        switch node.kind {
        case .integer(let sh): shape = sh; integer = true
        case .number(let sh): shape = sh; integer = false
        default: return
        }
        var what: String { describe(n) }
        let lexeme = String(decoding: UnsafeRawBufferPointer(rebasing: lx.bytes[tok.start..<tok.end]), as: UTF8.self)
        let number = JSONNumber(lexeme: lexeme)
        let exact = number.decimal
        if integer && !tok.isIntegerLexeme {
            let hint = exact.isInteger ? (CanonicalJSON.canonicalNumber(number).map { ": write \($0)" } ?? "") : ""
            violate(.integerLexeme, at: tok.start, "\(lexeme) is not written as an integer; \(what) must be a whole number without fraction or exponent\(hint)")
            return
        }
        if let c = node.constant, c != .number(number) {
            violate(.const, at: tok.start, "\(what) must be \(render(c)), found \(lexeme)")
            return
        }
        if let lo = shape.minimum, shape.exclusiveMinimum ? !(lo < exact) : exact < lo {
            violate(.minimum, at: tok.start, "\(lexeme) is below the \(shape.exclusiveMinimum ? "exclusive " : "")minimum \(render(lo)) for \(what)"); return
        }
        if let hi = shape.maximum, shape.exclusiveMaximum ? !(exact < hi) : hi < exact {
            violate(.maximum, at: tok.start, "\(lexeme) is above the \(shape.exclusiveMaximum ? "exclusive " : "")maximum \(render(hi)) for \(what)"); return
        }
        if let places = shape.maxDecimals, exact.decimalPlaces > places {
            violate(.decimals, at: tok.start, "\(lexeme) has \(exact.decimalPlaces) decimal places; at most \(places) are allowed for \(what)")
            return
        }
        if let canon = CanonicalJSON.canonicalNumber(number), canon != lexeme {
            free(.numberSpelling, at: tok.start, "\(lexeme) is written \(canon) in canonical form")
        }
        if integer {
            guard let v = exact.scaled(by: 0) else { violate(.maximum, at: tok.start, "\(lexeme) is too large for \(what)"); return }
            sink.pointee.integer(slot: Int(slot), v, at: tok.start)
        } else if let places = shape.maxDecimals, let v = exact.scaled(by: places) {
            sink.pointee.scaled(slot: Int(slot), v)
        } else {
            sink.pointee.leaf(slot: Int(slot), .decimal(exact))
        }
    }

    func describe(_ n: Int32) -> String {
        if let name = source(n).name { return quoteForMessage(name) }
        return "the value"
    }
}

/// The path of the value being read, held inline (no allocation): the payload depth limit keeps it short.
struct PathStack {
    // Payloads nest at most 16 deep (JSONLimits.payload); a small stack keeps the walker cheap to set up
    // for every payload of a large export.
    static let capacity = 32
    private var items = InlineArray<32, Int>(repeating: 0)
    private(set) var count = 0

    @inline(__always) mutating func append(_ code: Int) {
        // The walker refuses nesting deeper than `capacity - 2` before it gets here.
        items[count] = code
        count += 1
    }
    @inline(__always) mutating func removeLast() { count -= 1 }
    func map<T>(_ f: (Int) -> T) -> [T] { (0..<count).map { f(items[$0]) } }
}

/// Recognises text that is a JSON number (for the "write it without quotes" hint).
enum JSONNumberText {
    static func isNumber(_ s: String) -> Bool {
        let bytes = Array(s.utf8)
        guard !bytes.isEmpty else { return false }
        return bytes.withUnsafeBytes { buf in
            var lx = JSONLexer(buf)
            guard let b = lx.peek(), b == 0x2D || isDigit(b) else { return false }
            do { _ = try lx.scanNumber() } catch { return false }
            return lx.atEnd
        }
    }
}

func render(_ v: JSONValue) -> String {
    switch v {
    case .string(let s): return quoteForMessage(s)
    case .number(let n): return n.lexeme
    case .bool(let b): return b ? "true" : "false"
    case .null: return "null"
    case .array: return "an array"
    case .object: return "an object"
    }
}

func render(_ d: ExactDecimal) -> String {
    var digits = String(decoding: d.digits, as: UTF8.self)
    if digits.isEmpty { return "0" }
    if d.exponent >= 0 { digits += String(repeating: "0", count: d.exponent) }
    else {
        let places = -d.exponent
        if digits.count <= places { digits = "0." + String(repeating: "0", count: places - digits.count) + digits }
        else { digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -places)) }
    }
    return (d.negative ? "-" : "") + digits
}
