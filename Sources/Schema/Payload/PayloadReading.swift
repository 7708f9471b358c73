import Core

/// One validation pass over a payload that also yields what `payload --canonical` and `payload --consent`
/// need, so that no payload is read twice: the verdict, the payload's canonical bytes and, under a consent
/// record, the refusal of a payload of another schema version (as one more violation).
///
/// ```swift
/// var reading = PayloadReading(validator, canonical: true, consent: record)
/// let outcome = bytes.withUnsafeBytes { reading.read($0) }
/// ```
///
/// Create one per run and reuse it: it keeps its buffers from one payload to the next.
public struct PayloadReading {
    public let validator: PayloadValidator
    public let canonical: Bool
    public let consent: ConsentRecord?
    private var sink: ValueSink

    public init(_ validator: PayloadValidator, canonical: Bool, consent: ConsentRecord?) {
        self.validator = validator; self.canonical = canonical; self.consent = consent
        sink = ValueSink(schema: validator.root, rebuilds: canonical)
    }

    /// Validates `bytes` once. Asked for neither canonical bytes nor consent, it is `validator.check`.
    public mutating func read(_ bytes: UnsafeRawBufferPointer) -> PayloadOutcome {
        guard canonical || consent != nil else { return PayloadOutcome(report: validator.check(bytes)) }
        sink.reset()
        var report = validator.check(bytes, sink: &sink)
        guard report.isValid else { return PayloadOutcome(report: report) }
        if let consent, let (version, offset) = sink.version,
           let refusal = consent.refusal(payloadVersion: version, at: SourceLocation.locate(offset: offset, in: bytes)) {
            report.violations.append(refusal)
            return PayloadOutcome(report: report)
        }
        guard canonical else { return PayloadOutcome(report: report) }
        return PayloadOutcome(report: report, canonicalBytes: report.isCanonical ? Self.withoutFinalNewline(bytes) : sink.canonicalBytes(validator))
    }

    /// A canonical payload is its own canonical form, less the one newline it may end with.
    static func withoutFinalNewline(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        Array(bytes.last == 0x0A ? UnsafeRawBufferPointer(rebasing: bytes.dropLast()) : bytes)
    }
}

/// The result of one `PayloadReading.read`.
public struct PayloadOutcome: Sendable {
    /// The verdict, with the consent refusal among the violations when there is one.
    public var report: PayloadReport
    /// The canonical bytes (docs/payload-format.md, no final newline), when asked for and the payload
    /// is valid and allowed.
    public var canonicalBytes: [UInt8]?

    public init(report: PayloadReport, canonicalBytes: [UInt8]? = nil) {
        self.report = report; self.canonicalBytes = canonicalBytes
    }
}

extension PayloadValidator {
    /// The canonical bytes of a valid payload (docs/payload-format.md): RFC 8785 after sorting unique-by
    /// arrays by their key. Nil when the bytes are not a valid payload.
    public func canonicalBytes(_ bytes: [UInt8]) -> [UInt8]? {
        var reading = PayloadReading(self, canonical: true, consent: nil)
        return bytes.withUnsafeBytes { reading.read($0) }.canonicalBytes
    }

    /// The canonical bytes rebuilt from the walker's values even when the payload is canonical already,
    /// for the law that a canonical payload is its own canonical form (tests). Nil when not valid.
    func rebuiltCanonicalBytes(_ bytes: [UInt8]) -> [UInt8]? {
        var v = self
        v.usesCanonicalTemplate = false
        var sink = ValueSink(schema: root, rebuilds: true)
        let report = bytes.withUnsafeBytes { v.check($0, sink: &sink) }
        return report.isValid ? sink.canonicalBytes(self) : nil
    }

    func sortUniqueArrays(_ v: JSONValue, _ node: SchemaNode) -> JSONValue {
        switch (v, node.kind) {
        case (.object(let o), .object(let shape)):
            var out = o
            for p in shape.properties { if let child = o[p.name] { out.set(p.name, sortUniqueArrays(child, p.node)) } }
            return .object(out)
        case (.array(let items), .array(let shape)):
            var sorted = items.map { sortUniqueArrays($0, shape.items) }
            if !shape.uniqueBy.isEmpty {
                let keys = shape.uniqueBy
                sorted.sort { a, b in
                    for k in keys {
                        let x = a[k]?.stringValue ?? "", y = b[k]?.stringValue ?? ""
                        if x != y { return CanonicalJSON.utf16Less(x, y) }
                    }
                    return false
                }
            }
            return .array(sorted)
        default:
            return v
        }
    }
}

/// The sink of `PayloadReading`: notes the root's `schema_version` and where it is written, and, when
/// asked, rebuilds the payload's value from what the walker hands over (the canonical writer's input).
struct ValueSink: PayloadSink {
    struct Frame {
        var node: SchemaNode
        var slot: Int
        var object = JSONObject()
        var items: [JSONValue] = []
    }

    let rebuilds: Bool
    let root: SchemaNode
    /// Every property declaration by slot: its name and subschema.
    let properties: [Int: (name: String, node: SchemaNode)]
    let versionSlot: Int
    /// A schema whose root is not an object or array: its one leaf is the whole payload.
    let rootIsLeaf: Bool
    private(set) var version: (Int, offset: Int)? = nil
    private var stack: [Frame] = []
    private var value: JSONValue? = nil

    init(schema root: SchemaNode, rebuilds: Bool) {
        self.root = root
        self.rebuilds = rebuilds
        var properties: [Int: (name: String, node: SchemaNode)] = [:]
        var seen = Set<ObjectIdentifier>()
        var pending = [root]
        while let node = pending.popLast() {
            guard seen.insert(ObjectIdentifier(node)).inserted else { continue }
            switch node.kind {
            case .object(let shape):
                for p in shape.properties { properties[p.slot] = (p.name, p.node); pending.append(p.node) }
            case .array(let shape):
                pending.append(shape.items)
            default:
                break
            }
        }
        self.properties = properties
        switch root.kind {
        case .object, .array: rootIsLeaf = false
        default: rootIsLeaf = true
        }
        if case .object(let shape) = root.kind, let p = shape.properties.first(where: { $0.name == "schema_version" }) {
            versionSlot = p.slot
        } else {
            versionSlot = Int.min
        }
    }

    /// The canonical bytes of the value rebuilt; nil when there is none or it has no canonical form.
    func canonicalBytes(_ validator: PayloadValidator) -> [UInt8]? {
        guard let value else { return nil }
        return try? CanonicalJSON.serialize(validator.sortUniqueArrays(value, root))
    }

    mutating func reset() {
        version = nil; stack.removeAll(keepingCapacity: true); value = nil
    }

    /// The schema node of a value of property `slot` in the innermost open container.
    private func node(slot: Int) -> SchemaNode? {
        guard let top = stack.last else { return stack.isEmpty ? root : nil }
        switch top.node.kind {
        case .array(let shape): return shape.items
        default: return properties[slot]?.node
        }
    }

    private mutating func add(_ v: JSONValue, slot: Int, key: String? = nil) {
        guard !stack.isEmpty else { value = v; return }
        if case .array = stack[stack.count - 1].node.kind {
            stack[stack.count - 1].items.append(v)
        } else if let name = key ?? properties[slot]?.name {
            stack[stack.count - 1].object.set(name, v)
        }
    }

    mutating func open(_ container: PayloadContainer, slot: Int) {
        guard rebuilds, let node = node(slot: slot) else { return }
        stack.append(Frame(node: node, slot: slot))
    }

    mutating func close() {
        guard rebuilds, let frame = stack.popLast() else { return }
        if case .array = frame.node.kind { add(.array(frame.items), slot: frame.slot) } else { add(.object(frame.object), slot: frame.slot) }
    }

    mutating func untyped(slot: Int, key: String?, _ v: JSONValue) {
        if rebuilds { add(v, slot: slot, key: key) }
    }

    mutating func integer(slot: Int, _ v: Int64, at offset: Int) {
        // At the root only (the canonical-form fast path opens no container): a recursive schema may
        // declare the same property deeper down.
        if slot == versionSlot, stack.count <= 1 { version = (Int(v), offset) }
        integer(slot: slot, v)
    }

    mutating func endItem(slot: Int) {}

    mutating func leaf(slot: Int, _ leaf: LeafValue) {
        // Leaves outside any container come from the canonical-form fast path (unless the whole payload
        // is one leaf): a payload it accepts is its own canonical form and needs no rebuilding.
        guard rebuilds, !stack.isEmpty || rootIsLeaf, let node = node(slot: slot) else { return }
        let v: JSONValue
        switch leaf {
        case .enumIndex(let i):
            guard case .string(let shape) = node.kind, let words = shape.enumValues else { return }
            v = .string(words[i])
        case .integer(let n): v = .number(JSONNumber(n))
        case .scaled(let n):
            guard case .number(let shape) = node.kind, let places = shape.maxDecimals else { return }
            v = .number(JSONNumber(lexeme: decimalLexeme(n, places: places)))
        case .decimal(let d): v = .number(JSONNumber(lexeme: render(d)))
        case .bytes(let raw): v = .string(String(decoding: raw, as: UTF8.self))
        case .string(let s): v = .string(s)
        case .bool(let b): v = .bool(b)
        case .null: v = .null
        }
        add(v, slot: slot)
    }
}

/// `value` / 10^`places` as a JSON number's text: 2391, 2 → "23.91".
func decimalLexeme(_ value: Int64, places: Int) -> String {
    var digits = String(value.magnitude)
    if places > 0 {
        if digits.count <= places { digits = String(repeating: "0", count: places + 1 - digits.count) + digits }
        digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -places))
    }
    return (value < 0 ? "-" : "") + digits
}
