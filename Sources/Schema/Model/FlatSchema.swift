import Core
/// The compiled schema laid out flat for the validator's hot loop: nodes, properties and vocabulary
/// words in arrays of plain values, addressed by index. The walker borrows these arrays' storage for the
/// duration of one check, so reading the schema costs no reference counting; the `SchemaNode` graph stays
/// the source of truth and is consulted only to word messages.
final class FlatSchema: @unchecked Sendable {
    enum Kind: UInt8 { case any, object, array, string, integer, number, boolean, null }

    struct Node {
        var kind: Kind
        var hasConst: Bool
        /// object: first property; array: item node; string: string info; integer/number: number info.
        var a: Int32
        /// object: property count; array: array info.
        var b: Int32
    }

    struct Prop {
        var nameStart: Int32
        var nameLength: Int32
        var node: Int32
        var slot: Int32
        /// Printable ASCII without quote or backslash: matchable in place, without a string scan.
        var plainName: Bool
    }

    struct ObjectInfo {
        var requiredMask: UInt64
        var allowsAdditional: Bool
    }

    struct ArrayInfo {
        var minItems: Int
        var maxItems: Int        // Int.max when unbounded
        /// Index into `uniqueSlots` of the first unique-by property slot, and how many (0: no rule).
        var uniqueStart: Int32
        var uniqueCount: Int32
        /// True when every unique-by property is a vocabulary string: keys pack into a UInt64.
        var uniquePacked: Bool
    }

    struct StringInfo {
        /// Vocabulary: range of `lengthIndex` (one entry per byte length 0...maxLength+1), or -1.
        var enumLengthStart: Int32
        var enumMaxLength: Int32
        /// Index into `ranks` of this vocabulary's UTF-16 ranks (-1 when no vocabulary).
        var rankStart: Int32
        /// True when pattern, format, calendar, length or const checks apply beyond the vocabulary.
        var needsChecks: Bool
        /// True when only the checks below apply (no length or const): they run without the node graph.
        var fastChecks: Bool
        /// 0 none, 1 uuid, 2 date.
        var format: UInt8
        /// Index into `dfas`, or -1.
        var dfa: Int32
        /// Calendar rule: days since the epoch of the minimum (Int.min when none) and of the fixed
        /// maximum, or the offset from today when `maxIsRelative`.
        var hasCalendar: Bool
        var minDay: Int
        var maxDay: Int
        var maxIsRelative: Bool
    }

    /// A DFA's tables, frozen for the walker.
    struct DFAView {
        let classOf: UnsafeBufferPointer<UInt8>
        let table: UnsafeBufferPointer<Int32>
        let accepting: UnsafeBufferPointer<Bool>
        let start: Int32
        let sinkLimit: Int32
        let terminalLimit: Int32
        let classCount: Int32

        @inline(__always)
        func matches(_ bytes: UnsafeRawBufferPointer) -> Bool {
            var s = start
            if s < terminalLimit { return s < sinkLimit }
            // In bounds by construction of ByteDFA: 256 classes, every entry a state offset.
            for b in bytes {
                s = table[Int(s) + Int(classOf[Int(b)])]
                if s < terminalLimit { return s < sinkLimit }
            }
            return accepting[Int(s / classCount)]
        }
    }

    var dfaSources: [ByteDFA] = []

    struct NumberInfo {
        /// Plain bounds [intMin, intMax] hold and nothing else applies: the integer fast path is exact.
        var fastInteger: Bool
        var intMin: Int64
        var intMax: Int64
        /// `x-backpay-max-decimals` (-1 when absent).
        var maxDecimals: Int32
        /// The bounds scaled by 10^maxDecimals stay within ±10^15: the decimal fast path cannot overflow.
        var fastDecimal: Bool
        /// An integer `const` (schema_version): the fast path compares against it.
        var hasConstInt: Bool
        var constInt: Int64
    }

    var nodes: [Node] = []
    var props: [Prop] = []
    var objects: [ObjectInfo] = []
    var arrays: [ArrayInfo] = []
    var strings: [StringInfo] = []
    var numbers: [NumberInfo] = []
    var names: [UInt8] = []
    /// Per vocabulary and byte length: start into `candidates` (the entry after is the end).
    var lengthIndex: [Int32] = []
    /// Enum indices, grouped by byte length, with their bytes at `valueStart`/`valueLength`.
    var candidates: [Int32] = []
    var candidateStart: [Int32] = []
    var candidateLength: [Int32] = []
    var ranks: [Int32] = []
    var uniqueSlots: [Int32] = []
    /// The original nodes, by flat index, for messages and rare checks.
    var sources: [SchemaNode] = []
    var propNames: [String] = []
    /// For each flat object node: its ObjectInfo index is `objectIndex[node]`.
    var objectIndex: [Int32] = []

    /// Frozen copies of the arrays above, allocated once, read by the walker without reference counting.
    private(set) var view: View! = nil
    /// The canonical-form fast path, when the schema has a fixed layout (see `CanonicalTemplate`).
    private(set) var template: CanonicalTemplate.View? = nil

    struct View {
        let nodes: UnsafeBufferPointer<Node>
        let props: UnsafeBufferPointer<Prop>
        let objects: UnsafeBufferPointer<ObjectInfo>
        let arrays: UnsafeBufferPointer<ArrayInfo>
        let strings: UnsafeBufferPointer<StringInfo>
        let numbers: UnsafeBufferPointer<NumberInfo>
        let names: UnsafeBufferPointer<UInt8>
        let lengthIndex: UnsafeBufferPointer<Int32>
        let candidates: UnsafeBufferPointer<Int32>
        let candidateStart: UnsafeBufferPointer<Int32>
        let candidateLength: UnsafeBufferPointer<Int32>
        let ranks: UnsafeBufferPointer<Int32>
        let uniqueSlots: UnsafeBufferPointer<Int32>
        let objectIndex: UnsafeBufferPointer<Int32>
        let dfas: UnsafeBufferPointer<DFAView>
    }

    init(_ root: SchemaNode) {
        var ids: [ObjectIdentifier: Int32] = [:]
        _ = add(root, &ids)
        func freeze<T>(_ a: [T]) -> UnsafeBufferPointer<T> {
            let p = UnsafeMutableBufferPointer<T>.allocate(capacity: max(a.count, 1))
            _ = p.initialize(from: a)
            return UnsafeBufferPointer(rebasing: UnsafeBufferPointer(p)[0..<a.count])
        }
        view = View(nodes: freeze(nodes), props: freeze(props), objects: freeze(objects), arrays: freeze(arrays),
                    strings: freeze(strings), numbers: freeze(numbers), names: freeze(names), lengthIndex: freeze(lengthIndex),
                    candidates: freeze(candidates), candidateStart: freeze(candidateStart), candidateLength: freeze(candidateLength),
                    ranks: freeze(ranks), uniqueSlots: freeze(uniqueSlots), objectIndex: freeze(objectIndex),
                    dfas: freeze(dfaSources.map { d in
                        DFAView(classOf: freeze(d.classOf), table: freeze(d.table), accepting: freeze(d.accepting), start: d.start,
                                sinkLimit: d.sinkLimit, terminalLimit: d.terminalLimit, classCount: Int32(d.classCount))
                    }))
        if let t = CanonicalTemplate.compile(self) {
            template = CanonicalTemplate.View(ops: freeze(t.ops), bytes: freeze(t.bytes), depth: t.depth)
        }
    }

    deinit {
        func free<T>(_ p: UnsafeBufferPointer<T>) {
            let m = UnsafeMutablePointer(mutating: p.baseAddress!)
            m.deinitialize(count: p.count)
            m.deallocate()
        }
        free(view.nodes); free(view.props); free(view.objects); free(view.arrays); free(view.strings); free(view.numbers)
        free(view.names); free(view.lengthIndex); free(view.candidates); free(view.candidateStart); free(view.candidateLength)
        free(view.ranks); free(view.uniqueSlots); free(view.objectIndex)
        for d in view.dfas { free(d.classOf); free(d.table); free(d.accepting) }
        free(view.dfas)
        if let t = template { free(t.ops); free(t.bytes) }
    }

    /// True when every string the `uuid` format check accepts matches `dfa`.
    static func uuidFormatImplies(_ dfa: ByteDFA) -> Bool {
        guard let uuid = try? ByteDFA(pattern: UUIDCheck.pattern) else { return false }
        return uuid.isSubset(of: dfa) == true
    }

    /// Adds `node` (once, even when reached through several $refs) and returns its index.
    private func add(_ node: SchemaNode, _ ids: inout [ObjectIdentifier: Int32]) -> Int32 {
        if let id = ids[ObjectIdentifier(node)] { return id }
        let me = Int32(nodes.count)
        ids[ObjectIdentifier(node)] = me
        nodes.append(Node(kind: .any, hasConst: node.constant != nil, a: -1, b: -1))
        sources.append(node)
        objectIndex.append(-1)
        switch node.kind {
        case .any: break
        case .boolean: nodes[Int(me)].kind = .boolean
        case .null: nodes[Int(me)].kind = .null
        case .object(let shape):
            let first = Int32(props.count)
            // Reserve the property block first so that it stays contiguous while children are added.
            for p in shape.properties {
                let start = Int32(names.count)
                names.append(contentsOf: p.utf8)
                props.append(Prop(nameStart: start, nameLength: Int32(p.utf8.count), node: -1, slot: Int32(p.slot),
                                  plainName: p.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }))
                propNames.append(p.name)
            }
            objectIndex[Int(me)] = Int32(objects.count)
            objects.append(ObjectInfo(requiredMask: shape.requiredMask, allowsAdditional: shape.allowsAdditional))
            nodes[Int(me)] = Node(kind: .object, hasConst: node.constant != nil, a: first, b: Int32(shape.properties.count))
            for (i, p) in shape.properties.enumerated() {
                let child = add(p.node, &ids)
                props[Int(first) + i].node = child
            }
        case .array(let shape):
            let info = Int32(arrays.count)
            let packed = !shape.uniqueRanks.isEmpty && shape.uniqueRanks.allSatisfy { $0 != nil } && shape.uniqueProps.count <= 4
            var slots: [Int32] = []
            if case .object(let itemShape) = shape.items.kind {
                slots = shape.uniqueProps.map { Int32(itemShape.properties[$0].slot) }
            }
            arrays.append(ArrayInfo(minItems: shape.minItems, maxItems: shape.maxItems ?? Int.max,
                                    uniqueStart: Int32(uniqueSlots.count), uniqueCount: Int32(slots.count), uniquePacked: packed))
            uniqueSlots.append(contentsOf: slots)
            nodes[Int(me)] = Node(kind: .array, hasConst: node.constant != nil, a: -1, b: info)
            let item = add(shape.items, &ids)
            nodes[Int(me)].a = item
        case .string(let shape):
            var info = StringInfo(enumLengthStart: -1, enumMaxLength: -1, rankStart: -1,
                                  needsChecks: shape.pattern != nil || shape.format != nil || shape.calendar != nil
                                    || shape.minLength != nil || shape.maxLength != nil || node.constant != nil,
                                  fastChecks: shape.minLength == nil && shape.maxLength == nil && node.constant == nil,
                                  format: shape.format == .uuid ? 1 : shape.format == .date ? 2 : 0,
                                  dfa: -1, hasCalendar: shape.calendar != nil, minDay: Int.min, maxDay: Int.max, maxIsRelative: false)
            // A pattern that accepts every UUID the format check accepts adds nothing after it (proved on
            // the automata): the hot path then skips one pass over the string.
            if let m = shape.pattern, !(shape.format == .uuid && Self.uuidFormatImplies(m.dfa)) {
                info.dfa = Int32(dfaSources.count); dfaSources.append(m.dfa)
            }
            if let cal = shape.calendar {
                if let lo = cal.minimum { info.minDay = lo.daysSinceEpoch }
                switch cal.maximum {
                case .fixed(let d)?: info.maxDay = d.daysSinceEpoch
                case .today(let k)?: info.maxDay = k; info.maxIsRelative = true
                case nil: break
                }
            }
            if let values = shape.enumValues {
                let bytes = values.map { Array($0.utf8) }
                let maxLen = bytes.map(\.count).max() ?? 0
                info.enumLengthStart = Int32(lengthIndex.count)
                info.enumMaxLength = Int32(maxLen)
                for len in 0...(maxLen + 1) {
                    lengthIndex.append(Int32(candidates.count))
                    guard len <= maxLen else { break }
                    for (i, b) in bytes.enumerated() where b.count == len {
                        candidates.append(Int32(i))
                        candidateStart.append(Int32(names.count))
                        candidateLength.append(Int32(len))
                        names.append(contentsOf: b)
                    }
                }
                info.rankStart = Int32(ranks.count)
                let order = values.indices.sorted { CanonicalJSON.utf16Less(values[$0], values[$1]) }
                var r = [Int32](repeating: 0, count: values.count)
                for (rank, idx) in order.enumerated() { r[idx] = Int32(rank) }
                ranks.append(contentsOf: r)
            }
            nodes[Int(me)] = Node(kind: .string, hasConst: node.constant != nil, a: Int32(strings.count), b: -1)
            strings.append(info)
        case .integer(let shape), .number(let shape):
            let isInt: Bool
            if case .integer = node.kind { isInt = true } else { isInt = false }
            let constInt = node.constant?.numberValue?.int64Value
            let fast = (shape.intMin != nil && shape.intMax != nil && node.constant == nil) || (constInt != nil && shape.minimum == nil && shape.maximum == nil)
            let d = shape.maxDecimals ?? -1
            let limit: Int64 = 1_000_000_000_000_000 / Int64(pow10(max(d, 0)))
            let fastDecimal = fast && d >= 1 && d <= 6 && (shape.intMin ?? 0).magnitude < limit.magnitude && (shape.intMax ?? 0).magnitude < limit.magnitude
            numbers.append(NumberInfo(fastInteger: fast, intMin: shape.intMin ?? .min, intMax: shape.intMax ?? .max,
                                      maxDecimals: Int32(d), fastDecimal: fastDecimal && constInt == nil,
                                      hasConstInt: constInt != nil, constInt: constInt ?? 0))
            nodes[Int(me)] = Node(kind: isInt ? .integer : .number, hasConst: node.constant != nil, a: Int32(numbers.count - 1), b: -1)
        }
        return me
    }
}

func pow10(_ n: Int) -> Int { var v = 1; for _ in 0..<n { v *= 10 }; return v }

extension FlatSchema.View {
    /// Format, calendar and pattern checks from the flat view alone (strings whose `fastChecks` is set);
    /// false sends the string to the walker's `checkString`, which words the violation.
    @inline(__always)
    func stringPasses(_ info: FlatSchema.StringInfo, _ str: UnsafeRawBufferPointer, todayDays: Int) -> Bool {
        var day: CalendarDay? = nil
        switch info.format {
        case 1: if !UUIDCheck.isValid(str) { return false }
        case 2:
            // Exactly the strings `DateCheck.problem` finds nothing in.
            guard let d = CalendarDay(utf8: str) else { return false }
            day = d
        default: break
        }
        if info.hasCalendar {
            guard let day = day ?? DateCheck.day(str) else { return false }
            let d = day.daysSinceEpoch
            if d < info.minDay { return false }
            if d > (info.maxIsRelative ? todayDays + info.maxDay : info.maxDay) { return false }
        }
        if info.dfa >= 0, !dfas[Int(info.dfa)].matches(str) { return false }
        return true
    }
}
