/// A compiled `pattern`: a minimal DFA over the UTF-8 bytes of a string, matched by a table walk.
///
/// Semantics are JSON Schema's: the pattern is searched for anywhere in the string unless it is
/// anchored (see `RegexSyntax.swift` for the dialect). Input must be well-formed UTF-8, which strings
/// from the strict JSON reader and Swift `String`s are; a class or `.` never matches an ill-formed
/// byte, and a non-ASCII character counts once for quantifiers however many bytes it takes.
///
/// Table layout: `table[state + classOf[byte]]` is the next state, where states are stored
/// premultiplied by `classCount` so the walk needs no multiplication. States that decide the outcome
/// whatever follows (the accept-everything sink, then the dead state) come first, so one comparison per
/// byte detects them and the walk stops early.
public struct ByteDFA: Sendable {
    /// The pattern as written.
    public let pattern: String
    /// Whether every top-level alternative starts with `^` and ends with `$`.
    public let isAnchored: Bool

    let classOf: [UInt8]
    let classCount: Int
    let table: [Int32]
    let accepting: [Bool]        // by state index (offset / classCount)
    let start: Int32
    let sinkLimit: Int32         // offsets below: the accept-everything sink
    let terminalLimit: Int32     // offsets below: sink or dead, outcome decided

    public static let defaultMaxStates = 10_000

    /// Compiles `pattern`.
    /// - Throws: `RegexError` for unsupported syntax or a pattern whose DFA exceeds `maxStates`.
    public init(pattern: String, maxStates: Int = ByteDFA.defaultMaxStates) throws(RegexError) {
        let branches = try RegexParser.parse(pattern)
        let nfa = try ThompsonNFA(branches: branches)
        let raw = try DFABuilder.minimize(DFABuilder.determinize(nfa, maxStates: maxStates))
        self.init(pattern: pattern, anchored: branches.allSatisfy { $0.anchoredStart && $0.anchoredEnd }, raw: raw)
    }

    private init(pattern: String, anchored: Bool, raw: RawDFA) {
        self.pattern = pattern
        self.isAnchored = anchored
        let n = raw.stateCount, k0 = raw.classCount

        // Merge byte classes whose columns are equal in the minimal DFA.
        var columnID: [[Int32]: UInt8] = [:]
        var remap = [UInt8](repeating: 0, count: k0)
        var keep: [Int] = []
        for c in 0..<k0 {
            let column = (0..<n).map { raw.next[$0 * k0 + c] }
            if let id = columnID[column] { remap[c] = id } else {
                remap[c] = UInt8(keep.count); columnID[column] = UInt8(keep.count); keep.append(c)
            }
        }
        let k = keep.count
        classOf = raw.classOf.map { remap[Int($0)] }
        classCount = k

        // Order: accept-everything sink, dead state, then the rest (start among them unless it is a sink).
        func isSink(_ s: Int) -> Bool { (0..<k0).allSatisfy { raw.next[s * k0 + $0] == Int32(s) } }
        let sinks = (0..<n).filter(isSink)
        let acceptSinks = sinks.filter { raw.accepting[$0] }
        let deadSinks = sinks.filter { !raw.accepting[$0] }
        let order = acceptSinks + deadSinks + (0..<n).filter { !isSink($0) }
        var newIndex = [Int32](repeating: 0, count: n)
        for (i, s) in order.enumerated() { newIndex[s] = Int32(i) }

        var table = [Int32](repeating: 0, count: n * k)
        var accepting = [Bool](repeating: false, count: n)
        for (i, s) in order.enumerated() {
            accepting[i] = raw.accepting[s]
            for (j, c) in keep.enumerated() { table[i * k + j] = newIndex[Int(raw.next[s * k0 + c])] * Int32(k) }
        }
        self.table = table
        self.accepting = accepting
        start = newIndex[0] * Int32(k)
        sinkLimit = Int32(acceptSinks.count * k)
        terminalLimit = Int32(sinks.count * k)
    }

    /// Number of states of the minimal DFA (the dead state included).
    public var stateCount: Int { accepting.count }

    /// Whether the pattern matches the UTF-8 string in `bytes`. No allocation, one table read per byte.
    public func matches(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var s = start
        if s < terminalLimit { return s < sinkLimit }
        return classOf.withUnsafeBufferPointer { cls in
            table.withUnsafeBufferPointer { tab in
                for b in bytes {
                    // In bounds: `cls` has 256 entries; every table entry is a state offset and every class
                    // index is below `classCount`, both by construction in `init`.
                    s = tab[unchecked: Int(s) + Int(cls[unchecked: Int(b)])]
                    if s < terminalLimit { return s < sinkLimit }
                }
                return accepting[Int(s) / classCount]
            }
        }
    }

    /// Whether the pattern matches `string`.
    public func matches(_ string: String) -> Bool {
        var s = string
        return s.withUTF8 { matches(UnsafeRawBufferPointer($0)) }
    }

    /// Whether the pattern matches the UTF-8 bytes.
    public func matches(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBytes { matches($0) } }
}

extension UnsafeBufferPointer {
    @inline(__always)
    fileprivate subscript(unchecked i: Int) -> Element { (baseAddress.unsafelyUnwrapped + i).pointee }
}
