import Core
/// Builds small payloads a schema accepts: the minimal one (required members only, first enum value,
/// lower bounds, the fewest array items) and lists of alternative values for one subschema. The diff
/// builds counterexamples from them.
struct PayloadGenerator {
    let root: JSONValue
    let today: CalendarDay

    /// The minimal payload, or nil when the schema gives no way to build one.
    func minimal() -> JSONValue? { value(root, depth: 0) }

    func resolved(_ node: JSONValue) -> JSONValue? { SchemaRefs.resolve(node, at: .root, root: root)?.0 }

    /// The first value `node` accepts.
    func value(_ node: JSONValue, depth: Int) -> JSONValue? {
        alternatives(node, limit: 1, depth: depth).first
    }

    /// Up to `limit` distinct values `node` accepts, the simplest first.
    func alternatives(_ node: JSONValue, limit: Int, depth: Int = 0) -> [JSONValue] {
        guard depth < 32, let n = resolved(node), case .object(let o) = n else { return [] }
        let check = InstanceCheck(schema: root, today: today)
        let raw = candidates(o, limit: limit, depth: depth)
        var out: [JSONValue] = []
        for c in raw where !out.contains(c) && check.check(c, n, .root, depth: 0) == nil {
            out.append(c)
            if out.count >= limit { break }
        }
        return out
    }

    func candidates(_ o: JSONObject, limit: Int, depth: Int) -> [JSONValue] {
        if let c = o["const"] { return [c] }
        if let e = o["enum"]?.arrayValue { return e }
        switch o["type"]?.stringValue {
        case "null": return [.null]
        case "boolean": return [.bool(false), .bool(true)]
        case "integer": return integerCandidates(o, limit: limit)
        case "number": return numberCandidates(o, limit: limit)
        case "string": return stringCandidates(o, limit: limit)
        case "array": return arrayCandidates(o, limit: limit, depth: depth)
        case "object": return objectCandidates(o, depth: depth)
        default: return []
        }
    }

    func integerCandidates(_ o: JSONObject, limit: Int) -> [JSONValue] {
        let lo: Int64 = o["minimum"]?.numberValue?.int64Value ?? o["exclusiveMinimum"]?.numberValue?.int64Value.map { $0 + 1 } ?? 0
        let hi: Int64? = o["maximum"]?.numberValue?.int64Value ?? o["exclusiveMaximum"]?.numberValue?.int64Value.map { $0 - 1 }
        var out: [JSONValue] = []
        var v = lo
        while out.count < limit, hi == nil || v <= hi! { out.append(.number(JSONNumber(v))); v += 1 }
        return out
    }

    func numberCandidates(_ o: JSONObject, limit: Int) -> [JSONValue] {
        var out: [JSONValue] = []
        if let m = o["minimum"]?.numberValue { out.append(.number(m)) }
        if let m = o["maximum"]?.numberValue { out.append(.number(m)) }
        out.append(.number(JSONNumber(0)))
        return out
    }

    func stringCandidates(_ o: JSONObject, limit: Int) -> [JSONValue] {
        var out: [String] = []
        if case .object(let cal)? = o["x-backpay-calendar-date"] {
            if let b = cal["minimum"]?.stringValue.flatMap(DateBound.init) { out.append(b.resolve(today: today).description) }
            out.append(today.description)
            if let b = cal["maximum"]?.stringValue.flatMap(DateBound.init) { out.append(b.resolve(today: today).description) }
        }
        if case .string(let source)? = o["pattern"], let p = try? ClosedPattern(source) {
            out.append(contentsOf: p.samples(limit: max(limit, 8)))
        }
        switch o["format"]?.stringValue {
        case "uuid"?: out.append("00000000-0000-4000-8000-000000000000")
        case "date"?: out.append("2024-01-01")
        default: break
        }
        out.append("a")
        return out.map { .string($0) }
    }

    func arrayCandidates(_ o: JSONObject, limit: Int, depth: Int) -> [JSONValue] {
        guard let items = o["items"] else { return [.array([])] }
        let minI = Int(o["minItems"]?.numberValue?.int64Value ?? 0)
        guard let a = distinctItems(items, count: minI, unique: o, depth: depth) else { return [] }
        return [.array(a)]
    }

    /// `count` items the array schema accepts together: when entries must be unique (by keys or as a
    /// whole), the unique-by members cycle through their alternatives like the digits of a counter.
    func distinctItems(_ items: JSONValue, count: Int, unique o: JSONObject, depth: Int) -> [JSONValue]? {
        guard count > 0 else { return [] }
        guard let base = value(items, depth: depth + 1) else { return nil }
        let keys: [String]
        if case .array(let k)? = o["x-backpay-unique-by"] { keys = k.compactMap(\.stringValue) }
        else if case .bool(true)? = o["uniqueItems"], let obj = base.objectValue { keys = obj.keys }
        else { return Array(repeating: base, count: count) }
        guard case .object(var baseObject) = base, let itemSchema = resolved(items) else { return nil }
        let props = itemSchema["properties"]?.objectValue ?? JSONObject()
        let choices: [[JSONValue]] = keys.map { k in props[k].map { alternatives($0, limit: count, depth: depth + 1) } ?? [] }
        guard choices.allSatisfy({ !$0.isEmpty }) else { return nil }
        var out: [JSONValue] = []
        var counter = Array(repeating: 0, count: keys.count)
        for _ in 0..<count {
            for (i, k) in keys.enumerated() { baseObject.set(k, choices[i][counter[i]]) }
            out.append(.object(baseObject))
            // Advance the last key first (so (tool, model) varies model first).
            var i = keys.count - 1
            while i >= 0 {
                counter[i] += 1
                if counter[i] < choices[i].count { break }
                counter[i] = 0; i -= 1
            }
            if i < 0 && out.count < count { return nil }
        }
        return out
    }

    func objectCandidates(_ o: JSONObject, depth: Int) -> [JSONValue] {
        let props = o["properties"]?.objectValue ?? JSONObject()
        var out = JSONObject()
        for name in (o["required"]?.arrayValue ?? []).compactMap(\.stringValue) {
            guard let s = props[name], let v = value(s, depth: depth + 1) else { return [] }
            out.set(name, v)
        }
        return [.object(out)]
    }
}

extension JSONValue {
    /// A copy with the value at `pointer` replaced (or removed when `newValue` is nil). Missing parents
    /// are not created: the caller builds them from the schema first.
    func replacing(at pointer: JSONPointer, with newValue: JSONValue?) -> JSONValue? {
        guard let first = pointer.tokens.first else { return newValue ?? .null }
        let rest = JSONPointer(Array(pointer.tokens.dropFirst()))
        switch self {
        case .object(var o):
            if rest.tokens.isEmpty {
                if let newValue { o.set(first, newValue) } else { o.remove(first) }
                return .object(o)
            }
            guard let child = o[first], let updated = child.replacing(at: rest, with: newValue) else { return nil }
            o.set(first, updated)
            return .object(o)
        case .array(var a):
            guard let i = JSONPointer.arrayIndex(first), i < a.count else { return nil }
            if rest.tokens.isEmpty {
                if let newValue { a[i] = newValue } else { a.remove(at: i) }
                return .array(a)
            }
            guard let updated = a[i].replacing(at: rest, with: newValue) else { return nil }
            a[i] = updated
            return .array(a)
        default:
            return nil
        }
    }
}
