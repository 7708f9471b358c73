/// The validation pass: one walk over the payload bytes, driven by the compiled schema, without building
/// a value tree. It checks syntax (through `JSONLexer`), the schema and the canonical form together.
///
/// Semantic violations are collected and the walk goes on, so a member sees every problem at once; a
/// syntax error ends the walk (nothing after it can be read reliably). The path of the value being read
/// is kept as cheap `PathStep`s and turned into a JSON Pointer only when something is reported.
struct PayloadWalker<Sink: PayloadSink> {
    var lx: JSONLexer
    let today: CalendarDay
    let maxDepth: Int
    var sink: Sink
    var path: [PathStep] = []
    var violations: [Violation] = []
    var freedoms: [CanonicalFreedom] = []
    var freedomSeen: Set<CanonicalFreedom.Kind> = []
    /// The enum index of the last vocabulary string read (-1 when it was not a vocabulary word).
    var lastEnumIndex = -1
    /// The last string read, decoded, when a uniqueness check needs it.
    var captureStrings = false
    var lastString: String? = nil

    init(bytes: UnsafeRawBufferPointer, today: CalendarDay, maxDepth: Int, sink: Sink) {
        self.lx = JSONLexer(bytes)
        self.today = today
        self.maxDepth = maxDepth
        self.sink = sink
        path.reserveCapacity(8)
    }

    // MARK: reporting

    mutating func violate(_ rule: Violation.Rule, at offset: Int, _ message: String, key: String? = nil) {
        var p = pointer(from: path)
        if let key { p = p.appending(key) }
        violations.append(Violation(rule: rule, pointer: p, location: SourceLocation.locate(offset: offset, in: lx.bytes), message: message))
    }

    @inline(__always)
    mutating func free(_ kind: CanonicalFreedom.Kind, at offset: Int, _ detail: @autoclosure () -> String) {
        guard !freedomSeen.contains(kind) else { return }
        freedomSeen.insert(kind)
        freedoms.append(CanonicalFreedom(kind: kind, pointer: pointer(from: path), location: SourceLocation.locate(offset: offset, in: lx.bytes), detail: detail()))
    }

    @inline(__always)
    mutating func ws() {
        let at = lx.pos
        if lx.skipWhitespace() > 0 { free(.whitespace, at: at, "whitespace between tokens") }
    }

    // MARK: document

    mutating func document(_ root: SchemaNode) throws(JSONLexer.Failure) {
        let buf = lx.bytes
        if buf.count >= 3, buf[0] == 0xEF, buf[1] == 0xBB, buf[2] == 0xBF { throw .init(problem: .byteOrderMark, offset: 0) }
        ws()
        if lx.atEnd { throw .init(problem: .empty, offset: lx.pos) }
        try value(root, depth: 1, slot: -1)
        // The canonical form may end with exactly one newline.
        if lx.end - lx.pos == 1, buf[lx.pos] == 0x0A { lx.pos += 1; return }
        ws()
        if !lx.atEnd { throw .init(problem: .trailingContent, offset: lx.pos) }
    }

    // MARK: values

    mutating func value(_ node: SchemaNode, depth: Int, slot: Int) throws(JSONLexer.Failure) {
        guard let b = lx.peek() else { throw lx.badValueStart(expected: "a value") }
        switch node.kind {
        case .object(let shape):
            guard b == 0x7B else { return try mismatch(node, depth: depth) }
            try object(node, shape, depth: depth)
        case .array(let shape):
            guard b == 0x5B else { return try mismatch(node, depth: depth) }
            try array(node, shape, depth: depth, slot: slot)
        case .string(let shape):
            guard b == 0x22 else { return try mismatch(node, depth: depth) }
            try string(node, shape, slot: slot)
        case .integer(let shape):
            guard b == 0x2D || isDigit(b) else { return try mismatch(node, depth: depth) }
            try number(node, shape, integer: true, slot: slot)
        case .number(let shape):
            guard b == 0x2D || isDigit(b) else { return try mismatch(node, depth: depth) }
            try number(node, shape, integer: false, slot: slot)
        case .boolean:
            guard b == 0x74 || b == 0x66 else { return try mismatch(node, depth: depth) }
            let v = try readAny(depth: depth)
            checkConst(node, v, at: lx.pos)
            sink.leaf(slot: slot, .bool(v == .bool(true)))
        case .null:
            guard b == 0x6E else { return try mismatch(node, depth: depth) }
            try lx.scanLiteral("null")
            sink.leaf(slot: slot, .null)
        case .any, .unresolved:
            let start = lx.pos
            let v = try readAny(depth: depth)
            checkConst(node, v, at: start)
        }
    }

    /// Reads any value strictly (duplicate keys, depth, UTF-8) into a tree: used only off the hot path
    /// (wrong types, unknown members, untyped subschemas).
    mutating func readAny(depth: Int) throws(JSONLexer.Failure) -> JSONValue {
        var tb = TreeBuilder(lexer: lx, limits: JSONLimits(maxBytes: Int.max, maxDepth: maxDepth))
        tb.path = path
        do {
            let v = try tb.value(depth: depth)
            lx.pos = tb.lexer.pos
            return v
        } catch {
            path = tb.path
            throw error
        }
    }

    mutating func checkConst(_ node: SchemaNode, _ v: JSONValue, at offset: Int) {
        guard let c = node.constant, c != v else { return }
        violate(.const, at: offset, "\(describe(node)) must be \(render(c)), found \(render(v))")
    }

    mutating func mismatch(_ node: SchemaNode, depth: Int) throws(JSONLexer.Failure) {
        let start = lx.pos
        let v = try readAny(depth: depth)
        var msg = "expected \(node.typeName), found \(v.typeName)"
        if case .string = v, v.stringValue.map({ CalendarDay($0) == nil && Int64($0) != nil }) == true, node.typeName == "integer" || node.typeName == "number" {
            msg += " \(render(v)) (write the number without quotes)"
        } else if case .array = v {} else if case .object = v {} else {
            msg += " \(render(v))"
        }
        violate(.type, at: start, msg)
        lastEnumIndex = -1
    }

    // MARK: objects

    mutating func object(_ node: SchemaNode, _ shape: ObjectShape, depth: Int) throws(JSONLexer.Failure) {
        let start = lx.pos
        if depth > maxDepth { throw .init(problem: .tooDeep(limit: maxDepth), offset: start) }
        lx.pos += 1
        ws()
        var seen: UInt64 = 0
        var unknown: [String] = []
        var previous: String? = nil     // only kept when an unknown key breaks index order
        var previousIndex = -1
        if lx.peek() == 0x7D {
            lx.pos += 1
        } else {
            let props = shape.properties
            while true {
                guard let b = lx.peek() else { throw .init(problem: .unexpectedEnd(expected: "a key string or '}'"), offset: lx.pos) }
                guard b == 0x22 else { throw .init(problem: .unexpectedByte(b, expected: "a key string (in double quotes)"), offset: lx.pos) }
                let tok = try lx.scanString()
                if tok.hasNonCanonicalEscape { free(.escape, at: tok.start, "a key is written with an escape the canonical form does not use") }
                var index = -1
                if !tok.hasEscapes {
                    let n = tok.contentEnd - tok.contentStart
                    let base = lx.bytes.baseAddress! + tok.contentStart
                    for i in 0..<props.count where props[i].utf8.count == n {
                        if props[i].utf8.withUnsafeBytes({ memcmpBytes(base, $0.baseAddress!, n) }) { index = i; break }
                    }
                } else {
                    let key = lx.decode(tok)
                    index = props.firstIndex { $0.name == key } ?? -1
                }
                ws()
                try lx.expect(0x3A, "':' after the key")
                ws()
                if index >= 0 {
                    let p = props[index]
                    let bit: UInt64 = 1 << UInt64(index)
                    if seen & bit != 0 { path.append(.key(p.name)); throw .init(problem: .duplicateKey(p.name), offset: tok.start) }
                    seen |= bit
                    if previous == nil {
                        if index < previousIndex { free(.memberOrder, at: tok.start, "members are not in canonical order (\(quoteForMessage(p.name)) comes after \(quoteForMessage(props[previousIndex].name)))") }
                    } else if !CanonicalJSON.utf16Less(previous!, p.name) {
                        free(.memberOrder, at: tok.start, "members are not in canonical order (\(quoteForMessage(p.name)) comes after \(quoteForMessage(previous!)))")
                    }
                    previousIndex = index
                    if previous != nil { previous = p.name }
                    path.append(.key(p.name))
                    try value(p.node, depth: depth + 1, slot: p.slot)
                    path.removeLast()
                } else {
                    let key = lx.decode(tok)
                    if unknown.contains(key) { path.append(.key(key)); throw .init(problem: .duplicateKey(key), offset: tok.start) }
                    unknown.append(key)
                    let prevName = previous ?? (previousIndex >= 0 ? props[previousIndex].name : nil)
                    if let prevName, !CanonicalJSON.utf16Less(prevName, key) {
                        free(.memberOrder, at: tok.start, "members are not in canonical order (\(quoteForMessage(key)) comes after \(quoteForMessage(prevName)))")
                    }
                    previous = key
                    if !shape.allowsAdditional {
                        let allowed = props.map(\.name).joined(separator: ", ")
                        violate(.additionalProperty, at: tok.start, "unknown member \(quoteForMessage(key)): only \(allowed) are allowed here", key: key)
                    }
                    path.append(.key(key))
                    _ = try readAny(depth: depth + 1)
                    path.removeLast()
                }
                ws()
                guard let c = lx.peek() else { throw .init(problem: .unexpectedEnd(expected: "',' or '}'"), offset: lx.pos) }
                if c == 0x2C {
                    lx.pos += 1
                    ws()
                    if lx.peek() == 0x7D { throw .init(problem: .unexpectedByte(0x7D, expected: "another member after ',' (trailing commas are not JSON)"), offset: lx.pos) }
                    continue
                }
                if c == 0x7D { lx.pos += 1; break }
                throw .init(problem: .unexpectedByte(c, expected: "',' or '}'"), offset: lx.pos)
            }
        }
        let missing = shape.requiredMask & ~seen
        if missing != 0 {
            for (i, p) in shape.properties.enumerated() where missing & (1 << UInt64(i)) != 0 {
                violate(.required, at: start, "missing required member \(quoteForMessage(p.name))")
            }
        }
    }

    // MARK: arrays

    /// The uniqueness key of one array item: packed vocabulary ranks when possible, else decoded strings.
    struct ItemKey {
        var packed: UInt64
        var strings: [String]?
        var valid: Bool
        var index: Int
        var offset: Int
    }

    mutating func array(_ node: SchemaNode, _ shape: ArrayShape, depth: Int, slot: Int) throws(JSONLexer.Failure) {
        let start = lx.pos
        if depth > maxDepth { throw .init(problem: .tooDeep(limit: maxDepth), offset: start) }
        lx.pos += 1
        ws()
        var count = 0
        let unique = !shape.uniqueProps.isEmpty
        var keys: [ItemKey] = []
        if lx.peek() == 0x5D {
            lx.pos += 1
        } else {
            while true {
                path.append(.index(count))
                let itemStart = lx.pos
                if unique, case .object(let itemShape) = shape.items.kind, lx.peek() == 0x7B {
                    keys.append(try uniqueItem(shape, itemShape, depth: depth + 1, index: count, offset: itemStart))
                } else {
                    try value(shape.items, depth: depth + 1, slot: -1)
                }
                sink.endItem(slot: slot)
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
        let what = describe(node)
        if count < shape.minItems {
            violate(.minItems, at: start, count == 0 ? "\(what) is empty; at least \(shape.minItems) \(shape.minItems == 1 ? "item is" : "items are") required" : "\(what) has \(count) items; at least \(shape.minItems) are required")
        }
        if let max = shape.maxItems, count > max {
            violate(.maxItems, at: start, "\(what) has \(count) items; at most \(max) are allowed")
        }
        if unique { checkUnique(keys, shape) }
    }

    /// Reads one object item of an array with `x-backpay-unique-by`, capturing its key values.
    mutating func uniqueItem(_ shape: ArrayShape, _ itemShape: ObjectShape, depth: Int, index: Int, offset: Int) throws(JSONLexer.Failure) -> ItemKey {
        // The item is walked normally; the key values are captured from the leaves as they pass.
        var capture = KeyCapture(props: shape.uniqueProps.map { itemShape.properties[$0].slot }, ranks: shape.uniqueRanks)
        let savedCapture = captureStrings
        captureStrings = shape.uniqueRanks.contains { $0 == nil }
        keyCapture = capture
        try value(shape.items, depth: depth, slot: -1)
        capture = keyCapture!
        keyCapture = nil
        captureStrings = savedCapture
        return ItemKey(packed: capture.packed, strings: capture.strings, valid: capture.complete, index: index, offset: offset)
    }

    var keyCapture: KeyCapture? = nil

    mutating func checkUnique(_ keys: [ItemKey], _ shape: ArrayShape) {
        var orderReported = false
        for i in keys.indices where keys[i].valid {
            for j in 0..<i where keys[j].valid {
                if keys[j].packed == keys[i].packed && keys[j].strings == keys[i].strings {
                    path.append(.index(keys[i].index))
                    let names = shape.uniqueBy.joined(separator: ", ")
                    violate(.uniqueBy, at: keys[i].offset, "repeats the (\(names)) of \(pointer(from: path).parent.appending(keys[j].index).display): at most one item per (\(names))")
                    path.removeLast()
                    break
                }
            }
            if !orderReported, i > 0, keys[i - 1].valid, lessKey(keys[i], keys[i - 1]) {
                orderReported = true
                path.append(.index(keys[i].index))
                free(.itemOrder, at: keys[i].offset, "items are not sorted by (\(shape.uniqueBy.joined(separator: ", "))) as the canonical form requires")
                path.removeLast()
            }
        }
    }

    func lessKey(_ a: ItemKey, _ b: ItemKey) -> Bool {
        if let sa = a.strings, let sb = b.strings {
            for (x, y) in zip(sa, sb) where x != y { return CanonicalJSON.utf16Less(x, y) }
            return false
        }
        return a.packed < b.packed
    }

    // MARK: strings

    mutating func string(_ node: SchemaNode, _ shape: StringShape, slot: Int) throws(JSONLexer.Failure) {
        let tok = try lx.scanString()
        if tok.hasNonCanonicalEscape { free(.escape, at: tok.start, "a string is written with an escape the canonical form does not use") }
        lastEnumIndex = -1
        if let values = shape.enumValues {
            var found = -1
            let n = tok.contentEnd - tok.contentStart
            if !tok.hasEscapes {
                if n < shape.enumByLength.count {
                    let base = lx.bytes.baseAddress! + tok.contentStart
                    for cand in shape.enumByLength[n] where cand.bytes.withUnsafeBytes({ memcmpBytes(base, $0.baseAddress!, n) }) {
                        found = cand.index; break
                    }
                }
            } else {
                let s = lx.decode(tok)
                found = values.firstIndex(of: s) ?? -1
            }
            if found < 0 {
                let s = lx.decode(tok)
                let hint = VocabularyHint.explain(s, vocabulary: values)
                violate(hint?.lookalike == true ? .lookalike : .enumeration, at: tok.start,
                        "\(quoteForMessage(s)) is not in the \(describeVocabulary(node)) vocabulary" + (hint.map { " " + $0.hint } ?? ""))
                noteKey(slot: slot, nil, nil)
                return
            }
            lastEnumIndex = found
            noteKey(slot: slot, found, captureStrings ? values[found] : nil)
            if shape.pattern == nil && shape.format == nil && node.constant == nil && shape.minLength == nil && shape.maxLength == nil {
                sink.leaf(slot: slot, .enumIndex(found))
                return
            }
        }
        let raw = UnsafeRawBufferPointer(rebasing: lx.bytes[tok.contentStart..<tok.contentEnd])
        let decoded: String? = tok.hasEscapes ? lx.decode(tok) : nil
        let ok: Bool
        if let decoded {
            var copy = Array(decoded.utf8)
            ok = copy.withUnsafeMutableBytes { checkString(node, shape, UnsafeRawBufferPointer($0), at: tok.start) }
        } else {
            ok = checkString(node, shape, raw, at: tok.start)
        }
        if shape.enumValues == nil { noteKey(slot: slot, nil, ok ? (decoded ?? String(decoding: raw, as: UTF8.self)) : nil) }
        guard ok else { return }
        if shape.enumValues != nil { sink.leaf(slot: slot, .enumIndex(lastEnumIndex)) }
        else if let decoded { sink.leaf(slot: slot, .string(decoded)) }
        else { sink.leaf(slot: slot, .bytes(raw)) }
    }

    /// Format, calendar, pattern, length and const checks on a string's content; one violation at most
    /// (the most specific), so a member is not told the same thing three ways.
    mutating func checkString(_ node: SchemaNode, _ shape: StringShape, _ s: UnsafeRawBufferPointer, at offset: Int) -> Bool {
        let what = describe(node)
        if let fmt = shape.format {
            switch fmt {
            case .uuid:
                if let why = UUIDCheck.problem(s) {
                    violate(.uuidFormat, at: offset, "\(quoteForMessage(String(decoding: s, as: UTF8.self))) is not a lower-case UUID version 4: \(why)")
                    return false
                }
            case .date:
                if let why = DateCheck.problem(s) {
                    violate(why.calendar ? .calendarDate : .dateFormat, at: offset, "\(quoteForMessage(String(decoding: s, as: UTF8.self))) \(why.message)")
                    return false
                }
            }
        }
        if let rule = shape.calendar {
            guard let day = CalendarDay(String(decoding: s, as: UTF8.self)) else {
                let why = DateCheck.problem(s)
                violate(why?.calendar == true ? .calendarDate : .dateFormat, at: offset, "\(quoteForMessage(String(decoding: s, as: UTF8.self))) \(why?.message ?? "is not a date YYYY-MM-DD")")
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
                    if case .today(let n) = hiRule { rel = n == 0 ? " (today, UTC)" : n == 1 ? " (the day after today, UTC)" : " (today + \(n) days, UTC)" } else { rel = "" }
                    violate(.dateRange, at: offset, "\(day) is after \(hi)\(rel): a payload cannot cover a day in the future")
                    return false
                }
            }
        }
        if let m = shape.pattern, !m.matches(s) {
            violate(.pattern, at: offset, "\(quoteForMessage(String(decoding: s, as: UTF8.self))) does not match the pattern \(quoteForMessage(m.source, limit: 120)) of \(what)")
            return false
        }
        if shape.minLength != nil || shape.maxLength != nil {
            let n = s.reduce(0) { $0 + ($1 & 0xC0 != 0x80 ? 1 : 0) }
            if let lo = shape.minLength, n < lo { violate(.minLength, at: offset, "\(what) has \(n) characters; at least \(lo) are required"); return false }
            if let hi = shape.maxLength, n > hi { violate(.maxLength, at: offset, "\(what) has \(n) characters; at most \(hi) are allowed"); return false }
        }
        if let c = node.constant {
            let v = JSONValue.string(String(decoding: s, as: UTF8.self))
            if c != v { violate(.const, at: offset, "\(what) must be \(render(c)), found \(render(v))"); return false }
        }
        return true
    }

    // MARK: numbers

    mutating func number(_ node: SchemaNode, _ shape: NumberShape, integer: Bool, slot: Int) throws(JSONLexer.Failure) {
        let tok = try lx.scanNumber()
        let len = tok.end - tok.start
        let what = describe(node)
        // Fast path: a short plain integer, read straight from the bytes.
        if tok.isIntegerLexeme && len <= 18 {
            var v: Int64 = 0
            var i = tok.negative ? tok.start + 1 : tok.start
            while i < tok.end { v = v &* 10 &+ Int64(lx.bytes[i] &- 0x30); i += 1 }
            if tok.negative { v = -v }
            if tok.negative && v == 0 { free(.numberSpelling, at: tok.start, "-0 is written 0 in canonical form") }
            if let lo = shape.intMin, let hi = shape.intMax, node.constant == nil {
                if v < lo { violate(.minimum, at: tok.start, "\(v) is below the minimum \(lo) for \(what)"); return }
                if v > hi { violate(.maximum, at: tok.start, "\(v) is above the maximum \(hi) for \(what)"); return }
                if let places = shape.maxDecimals {
                    var scaled = v
                    for _ in 0..<places { scaled = scaled &* 10 }
                    sink.leaf(slot: slot, .scaled(scaled))
                } else {
                    sink.leaf(slot: slot, .integer(v))
                }
                return
            }
        }
        let lexeme = String(decoding: UnsafeRawBufferPointer(rebasing: lx.bytes[tok.start..<tok.end]), as: UTF8.self)
        let number = JSONNumber(lexeme: lexeme)
        let exact = number.decimal
        if integer && !tok.isIntegerLexeme {
            let hint = exact.isInteger ? (CanonicalJSON.canonicalNumber(number).map { ": write \($0)" } ?? "") : ""
            violate(.integerLexeme, at: tok.start, "\(lexeme) is not written as an integer; \(what) must be a whole number without fraction or exponent\(hint)")
            return
        }
        if let c = node.constant {
            if c != .number(number) { violate(.const, at: tok.start, "\(what) must be \(render(c)), found \(lexeme)") ; return }
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
        // Canonical spelling: the ECMAScript form of the value.
        if !plainCanonical(tok) {
            if let canon = CanonicalJSON.canonicalNumber(number), canon != lexeme {
                free(.numberSpelling, at: tok.start, "\(lexeme) is written \(canon) in canonical form")
            }
        }
        if integer {
            // Beyond Int64 cannot pass the bounds above for a closed schema; report rather than trap.
            guard let v = exact.scaled(by: 0) else { violate(.maximum, at: tok.start, "\(lexeme) is too large for \(what)"); return }
            sink.leaf(slot: slot, .integer(v))
        } else if let places = shape.maxDecimals, let v = exact.scaled(by: places) {
            sink.leaf(slot: slot, .scaled(v))
        } else {
            sink.leaf(slot: slot, .decimal(exact))
        }
    }

    /// True when a number token is certainly in canonical form: at most 15 significant digits, no
    /// exponent, no trailing zero in a fraction, not -0 (such a decimal round-trips through binary64 and
    /// ECMAScript prints it back unchanged when it is ≥ 1e-6).
    func plainCanonical(_ tok: JSONLexer.NumberToken) -> Bool {
        if tok.hasExponent { return false }
        let len = tok.end - tok.start
        if len > 16 { return false }
        if tok.hasFraction {
            if lx.bytes[tok.end - 1] == 0x30 { return false }
            // 0.00000x and smaller switch to exponent notation in ECMAScript.
            let first = tok.negative ? tok.start + 1 : tok.start
            if lx.bytes[first] == 0x30 {
                var i = first + 2, zeros = 0
                while i < tok.end, lx.bytes[i] == 0x30 { zeros += 1; i += 1 }
                if zeros >= 6 { return false }
            }
            if tok.negative {
                // -0.0 style values fold to 0.
                var allZero = true
                for i in (tok.start + 1)..<tok.end where lx.bytes[i] != 0x30 && lx.bytes[i] != 0x2E { allZero = false }
                if allZero { return false }
            }
        } else if tok.negative && len == 2 && lx.bytes[tok.start + 1] == 0x30 {
            return false
        }
        return true
    }

    // MARK: helpers

    /// Records a unique-by key value when an item is being captured.
    mutating func noteKey(slot: Int, _ enumIndex: Int?, _ text: String?) {
        guard keyCapture != nil, let k = keyCapture!.props.firstIndex(of: slot) else { return }
        keyCapture!.record(position: k, enumIndex: enumIndex, text: text)
    }

    func describe(_ node: SchemaNode) -> String {
        if let n = node.name { return quoteForMessage(n) }
        return "the value"
    }

    func describeVocabulary(_ node: SchemaNode) -> String { node.name ?? "allowed" }
}

/// Captured values of an item's unique-by properties.
struct KeyCapture {
    let props: [Int]
    let ranks: [[Int]?]
    var packed: UInt64 = 0
    var strings: [String]? = nil
    var seen = 0

    init(props: [Int], ranks: [[Int]?]) {
        self.props = props
        self.ranks = ranks
        if ranks.contains(where: { $0 == nil }) { strings = [String](repeating: "", count: props.count) }
    }

    var complete: Bool { seen == (1 << props.count) - 1 }

    mutating func record(position k: Int, enumIndex: Int?, text: String?) {
        if strings != nil {
            guard let text else { return }
            strings![k] = text
            seen |= 1 << k
        } else {
            guard let e = enumIndex, let r = ranks[k]?[e] else { return }
            packed |= UInt64(r) << UInt64(16 * (props.count - 1 - k))
            seen |= 1 << k
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
