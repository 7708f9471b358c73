import Core
/// Checks a JSON value against a schema of the closed subset, including the toolkit's `x-backpay-*`
/// rules. The diff uses it to confirm each counterexample (accepted by the new schema, rejected by the
/// old) before showing it. Unknown keywords are ignored, as JSON Schema validators ignore them.
///
/// It reads no payload: payload bytes have one reader, `PayloadValidator` (its walker, with the
/// canonical-form template as a fast path). This checks values the gate builds itself against schema
/// JSON as written and against any of its subschemas, including schemas the compiler refuses or that
/// lint has not passed (the diff runs on both sides of a change), which a compiled validator cannot do.
/// It shares the format checks (`UUIDCheck`, `DateCheck`) and `ClosedPattern` with the validator.
///
/// It follows the toolkit's strict reading: an `integer` must be written without fraction or exponent,
/// `$` in a pattern is the end of the string (ECMA-262), not "before a final newline" (Python), and the
/// `uuid` and `date` formats are asserted.
public struct InstanceCheck: Sendable {
    public let root: JSONValue
    public let today: CalendarDay

    public init(schema: JSONValue, today: CalendarDay) { self.root = schema; self.today = today }

    /// The pointer of the first value the schema rejects and why, or nil when it accepts `instance`.
    public func firstFailure(_ instance: JSONValue) -> (JSONPointer, String)? {
        check(instance, root, .root, depth: 0)
    }

    public func accepts(_ instance: JSONValue) -> Bool { firstFailure(instance) == nil }

    func check(_ v: JSONValue, _ s: JSONValue, _ at: JSONPointer, depth: Int) -> (JSONPointer, String)? {
        if depth > 64 { return (at, "schema nests too deep") }
        switch s {
        case .bool(let b): return b ? nil : (at, "false schema")
        case .object(let o):
            if case .string(let ref)? = o["$ref"] {
                guard let tp = SchemaRefs.pointer(of: ref), let t = root.value(at: tp) else { return (at, "unresolved $ref") }
                if let f = check(v, t, at, depth: depth + 1) { return f }
            }
            return checkObjectSchema(v, o, at, depth: depth)
        default: return (at, "schema is not an object")
        }
    }

    func checkObjectSchema(_ v: JSONValue, _ o: JSONObject, _ at: JSONPointer, depth: Int) -> (JSONPointer, String)? {
        if let t = o["type"] {
            let names: [String] = t.stringValue.map { [$0] } ?? (t.arrayValue ?? []).compactMap(\.stringValue)
            if !names.contains(where: { hasType(v, $0) }) { return (at, "expected \(names.joined(separator: "|")), found \(v.typeName)") }
        }
        if let c = o["const"], c != v { return (at, "not the const value") }
        if let e = o["enum"]?.arrayValue, !e.contains(v) { return (at, "not in enum") }
        switch v {
        case .number(let n): return checkNumber(n, o, at)
        case .string(let s): return checkString(s, o, at)
        case .array(let items): return checkArray(items, o, at, depth: depth)
        case .object(let obj): return checkObject(obj, o, at, depth: depth)
        default: return nil
        }
    }

    func hasType(_ v: JSONValue, _ t: String) -> Bool {
        switch (t, v) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object), ("number", .number): return true
        case ("integer", .number(let n)): return n.isIntegerLexeme
        default: return false
        }
    }

    func checkNumber(_ n: JSONNumber, _ o: JSONObject, _ at: JSONPointer) -> (JSONPointer, String)? {
        let d = n.decimal
        if let m = o["minimum"]?.numberValue, d < m.decimal { return (at, "below minimum") }
        if let m = o["maximum"]?.numberValue, m.decimal < d { return (at, "above maximum") }
        if let m = o["exclusiveMinimum"]?.numberValue, !(m.decimal < d) { return (at, "not above exclusiveMinimum") }
        if let m = o["exclusiveMaximum"]?.numberValue, !(d < m.decimal) { return (at, "not below exclusiveMaximum") }
        if let places = o["x-backpay-max-decimals"]?.numberValue?.int64Value, d.decimalPlaces > places {
            return (at, "more than \(places) decimals")
        }
        return nil
    }

    func checkString(_ s: String, _ o: JSONObject, _ at: JSONPointer) -> (JSONPointer, String)? {
        let length = s.unicodeScalars.count
        if let m = o["minLength"]?.numberValue?.int64Value, length < m { return (at, "shorter than minLength") }
        if let m = o["maxLength"]?.numberValue?.int64Value, length > m { return (at, "longer than maxLength") }
        // Formats are asserted as the toolkit's payload validator asserts them (FormatChecks.swift).
        switch o["format"]?.stringValue {
        case "uuid"?: if Array(s.utf8).withUnsafeBytes({ UUIDCheck.problem($0) }) != nil { return (at, "not a lower-case UUID version 4") }
        case "date"?: if Array(s.utf8).withUnsafeBytes({ DateCheck.problem($0) }) != nil { return (at, "not a calendar date") }
        default: break
        }
        if case .string(let source)? = o["pattern"] {
            guard let p = try? ClosedPattern(source) else { return (at, "pattern outside the closed subset") }
            if !p.matches(s) { return (at, "does not match the pattern") }
        }
        if case .object(let cal)? = o["x-backpay-calendar-date"] {
            guard let day = CalendarDay(s) else { return (at, "not a calendar date") }
            if let lo = cal["minimum"]?.stringValue.flatMap(DateBound.init), day < lo.resolve(today: today) { return (at, "before the first allowed date") }
            if let hi = cal["maximum"]?.stringValue.flatMap(DateBound.init), hi.resolve(today: today) < day { return (at, "after the last allowed date") }
        }
        return nil
    }

    func checkArray(_ items: [JSONValue], _ o: JSONObject, _ at: JSONPointer, depth: Int) -> (JSONPointer, String)? {
        if let m = o["minItems"]?.numberValue?.int64Value, items.count < m { return (at, "fewer than minItems") }
        if let m = o["maxItems"]?.numberValue?.int64Value, items.count > m { return (at, "more than maxItems") }
        if let s = o["items"] {
            for (i, item) in items.enumerated() { if let f = check(item, s, at.appending(i), depth: depth + 1) { return f } }
        }
        if case .bool(true)? = o["uniqueItems"], Set(items).count != items.count { return (at, "items not unique") }
        if case .array(let keys)? = o["x-backpay-unique-by"] {
            let names = keys.compactMap(\.stringValue)
            var seen = Set<[JSONValue?]>()
            for (i, item) in items.enumerated() where !seen.insert(names.map { item[$0] }).inserted {
                return (at.appending(i), "repeats an earlier entry's \(names.joined(separator: ", "))")
            }
        }
        return nil
    }

    func checkObject(_ obj: JSONObject, _ o: JSONObject, _ at: JSONPointer, depth: Int) -> (JSONPointer, String)? {
        let props = o["properties"]?.objectValue ?? JSONObject()
        for name in (o["required"]?.arrayValue ?? []).compactMap(\.stringValue) where obj[name] == nil {
            return (at, "missing required \(name)")
        }
        for (key, value) in obj {
            if let s = props[key] {
                if let f = check(value, s, at.appending(key), depth: depth + 1) { return f }
            } else if let extra = o["additionalProperties"] {
                if let f = check(value, extra, at.appending(key), depth: depth + 1) { return f }
            }
        }
        return nil
    }
}
