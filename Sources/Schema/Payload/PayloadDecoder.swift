import Core
/// Builds payloads while the validator walks (one pass), for schemas shaped like version 0:
/// `schema_version`, `panelist`, `date` and `entries` of (tool, model, four token counters, cost, sessions).
///
/// What it keeps is compact and allocation-free after the first payload: vocabulary words as indices,
/// the panelist's bytes in a reused buffer, counters as integers. `take()` turns that into a `Payload`;
/// the release builder reads the compact form directly (`panelistBytes`, `day`, `entries`).
public struct PayloadDecoder: PayloadSink {
    enum Field { case version, panelist, date, tool, model, input, output, cacheRead, cacheCreation, cost, sessions }

    /// One entry: indices into `tools` and `models`, and the six counters in `Measure.counters` order
    /// (input, output, cache read, cache creation tokens, cost in cents, sessions).
    public struct Entry: Sendable {
        public var tool: Int32
        public var model: Int32
        public var counters: InlineArray<6, Int64>

        public init(tool: Int32, model: Int32, counters: InlineArray<6, Int64>) {
            self.tool = tool; self.model = model; self.counters = counters
        }
    }

    private let fields: [Field?]
    private let entriesSlot: Int
    /// The schema's vocabularies, in `enum` order.
    public let tools: [String]
    public let models: [String]
    public private(set) var version = 0
    /// The panelist's UTF-8 bytes as sent (decoded when the string had escapes).
    public private(set) var panelistBytes: [UInt8] = []
    public private(set) var date: CalendarDay? = nil
    public private(set) var entries: [Entry] = []
    private var entry = Entry(tool: 0, model: 0, counters: InlineArray(repeating: 0))

    /// Nil when the schema does not have the version 0 shape.
    public init?(schema root: SchemaNode) {
        guard case .object(let top) = root.kind,
              let entriesProp = top.properties.first(where: { $0.name == "entries" }),
              case .array(let arr) = entriesProp.node.kind, case .object(let item) = arr.items.kind else { return nil }
        var map: [Int: Field] = [:]
        let topNames: [String: Field] = ["schema_version": .version, "panelist": .panelist, "date": .date]
        let itemNames: [String: Field] = ["tool": .tool, "model": .model, "input_tokens": .input, "output_tokens": .output,
                                          "cache_read_tokens": .cacheRead, "cache_creation_tokens": .cacheCreation,
                                          "cost_usd_est": .cost, "sessions": .sessions]
        for p in top.properties { if let f = topNames[p.name] { map[p.slot] = f } }
        var tools: [String] = [], models: [String] = []
        for p in item.properties {
            guard let f = itemNames[p.name] else { continue }
            map[p.slot] = f
            if case .string(let s) = p.node.kind, let e = s.enumValues { if f == .tool { tools = e } else if f == .model { models = e } }
            if f == .cost, case .number(let n) = p.node.kind, n.maxDecimals != 2 { return nil }
        }
        guard map.count == topNames.count + itemNames.count, !tools.isEmpty, !models.isEmpty else { return nil }
        var fields = [Field?](repeating: nil, count: (map.keys.max() ?? 0) + 1)
        for (slot, f) in map { fields[slot] = f }
        self.fields = fields
        self.entriesSlot = entriesProp.slot
        self.tools = tools
        self.models = models
    }

    /// Leaves the validator hands over as a `LeafValue`: strings that had escapes; the common kinds go
    /// to the typed entry points below, which hold the one mapping from fields to the payload.
    public mutating func leaf(slot: Int, _ value: LeafValue) {
        switch value {
        case .enumIndex(let i): enumIndex(slot: slot, i)
        case .integer(let v): integer(slot: slot, v)
        case .scaled(let v): scaled(slot: slot, v)
        case .bytes(let b): bytes(slot: slot, b)
        case .string(let text):
            switch field(slot) {
            case .panelist?: panelistBytes = Array(text.utf8)
            case .date?: date = CalendarDay(text)
            default: break
            }
        case .decimal, .bool, .null: break
        }
    }

    @inline(__always)
    private func field(_ slot: Int) -> Field? { slot >= 0 && slot < fields.count ? fields[slot] : nil }

    @inline(__always)
    public mutating func enumIndex(slot: Int, _ index: Int) {
        switch field(slot) {
        case .tool?: entry.tool = Int32(index)
        case .model?: entry.model = Int32(index)
        default: break
        }
    }

    @inline(__always)
    public mutating func integer(slot: Int, _ v: Int64) {
        switch field(slot) {
        case .version?: version = Int(v)
        case .input?: entry.counters[0] = v
        case .output?: entry.counters[1] = v
        case .cacheRead?: entry.counters[2] = v
        case .cacheCreation?: entry.counters[3] = v
        case .sessions?: entry.counters[5] = v
        default: break
        }
    }

    @inline(__always)
    public mutating func scaled(slot: Int, _ v: Int64) {
        if field(slot) == .cost { entry.counters[4] = v }
    }

    @inline(__always)
    public mutating func bytes(slot: Int, _ b: UnsafeRawBufferPointer) {
        switch field(slot) {
        case .panelist?: panelistBytes.removeAll(keepingCapacity: true); panelistBytes.append(contentsOf: b)
        case .date?: date = CalendarDay(utf8: b)
        default: break
        }
    }

    @inline(__always)
    public mutating func endItem(slot: Int) {
        guard slot == entriesSlot else { return }
        entries.append(entry)
    }

    /// Forgets the payload read, keeping the buffers for the next one.
    public mutating func reset() {
        entries.removeAll(keepingCapacity: true); date = nil; panelistBytes.removeAll(keepingCapacity: true); version = 0
    }

    /// The canonical bytes of the valid payload just read (it is left in the decoder); `line` when the
    /// decoder holds no payload.
    public func canonicalBytes(orLine line: UnsafeRawBufferPointer) -> [UInt8] {
        var copy = self
        return copy.take()?.canonicalBytes ?? Array(line)
    }

    /// The payload read, when the check found it valid; resets the decoder for the next payload.
    public mutating func take() -> Payload? {
        defer { reset() }
        guard let date else { return nil }
        let list = entries.map { e in
            PayloadEntry(tool: tools[Int(e.tool)], model: models[Int(e.model)], inputTokens: e.counters[0], outputTokens: e.counters[1],
                         cacheReadTokens: e.counters[2], cacheCreationTokens: e.counters[3], costCents: e.counters[4], sessions: e.counters[5])
        }
        return Payload(schemaVersion: version, panelist: String(decoding: panelistBytes, as: UTF8.self), date: date, entries: list)
    }
}

extension PayloadValidator {
    /// Checks one payload and leaves its values in `decoder` (read them, then `reset()` or `take()`).
    /// The same as `check(_:sink:)`, specialised in this module: a generic call from another module runs
    /// unspecialised, with a metadata lookup and a witness call for every value.
    public func check(_ bytes: UnsafeRawBufferPointer, decoder: inout PayloadDecoder) -> PayloadReport {
        check(bytes, sink: &decoder)
    }

    /// Checks one payload and, when it is valid, returns it decoded (schemas of the version 0 shape).
    public func decode(_ bytes: UnsafeRawBufferPointer, with decoder: inout PayloadDecoder) -> (PayloadReport, Payload?) {
        let report = check(bytes, sink: &decoder)
        let payload = decoder.take()
        return (report, report.isValid ? payload : nil)
    }
}

extension Payload {
    /// The payload as a JSON value (entries in canonical order, cost as a decimal of whole cents).
    public var json: JSONValue {
        let list = entries.sorted { CanonicalJSON.utf16Less($0.tool, $1.tool) || ($0.tool == $1.tool && CanonicalJSON.utf16Less($0.model, $1.model)) }
        return .object(JSONObject([
            ("schema_version", .number(JSONNumber(Int64(schemaVersion)))),
            ("panelist", .string(panelist)),
            ("date", .string(date.description)),
            ("entries", .array(list.map { e in
                .object(JSONObject([
                    ("tool", .string(e.tool)), ("model", .string(e.model)),
                    ("input_tokens", .number(JSONNumber(e.inputTokens))), ("output_tokens", .number(JSONNumber(e.outputTokens))),
                    ("cache_read_tokens", .number(JSONNumber(e.cacheReadTokens))),
                    ("cache_creation_tokens", .number(JSONNumber(e.cacheCreationTokens))),
                    ("cost_usd_est", .number(JSONNumber(lexeme: decimalLexeme(e.costCents, places: 2)))),
                    ("sessions", .number(JSONNumber(e.sessions))),
                ]))
            })),
        ]))
    }

    /// The canonical bytes (RFC 8785 by the one canonical writer, entries sorted by tool then model),
    /// without a trailing newline.
    public var canonicalBytes: [UInt8] {
        // A payload comes out of the validator, whose schema bounds every counter far below 2^53, so
        // each number has a canonical form; a value built otherwise with a larger one is a caller's bug.
        do { return try CanonicalJSON.serialize(json) } catch { preconditionFailure("payload has no canonical form: \(error)") }
    }
}
