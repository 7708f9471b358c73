import Core
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An upper bound, in bits, of what one canonical payload can carry under a schema: log2 of the number
/// of distinct payloads it accepts, bounded from above (choices are summed, array lengths and optional
/// members counted generously). Whitespace and key order are not counted: canonical form removes them.
public enum SchemaCapacity {
    /// Nil when the schema accepts unboundedly many payloads (an open object, an unbounded string…).
    public static func bits(of root: JSONValue) -> Double? {
        var visiting = Set<JSONPointer>()
        return bits(root, at: .root, root: root, visiting: &visiting)
    }

    static func bits(_ node: JSONValue, at p: JSONPointer, root: JSONValue, visiting: inout Set<JSONPointer>) -> Double? {
        guard case .object(let o) = node else { return nil }
        if case .string(let ref)? = o["$ref"] {
            guard let target = SchemaRefs.pointer(of: ref), let t = root.value(at: target),
                  visiting.insert(target).inserted else { return nil }
            defer { visiting.remove(target) }
            return bits(t, at: target, root: root, visiting: &visiting)
        }
        if o["const"] != nil { return 0 }
        if case .array(let values)? = o["enum"] { return values.isEmpty ? 0 : log2(Double(Set(values).count)) }
        guard case .string(let type)? = o["type"] else { return nil }
        switch type {
        case "null": return 0
        case "boolean": return 1
        case "integer", "number":
            guard let lo = lowerBound(o), let hi = upperBound(o) else { return nil }
            let places: Int
            if type == "integer" { places = 0 } else {
                guard let d = o["x-backpay-max-decimals"]?.numberValue?.int64Value, d >= 0, d <= 15 else {
                    return 64  // any binary64 value in range
                }
                places = Int(d)
            }
            let steps = (hi - lo) * pow(10, Double(places))
            return steps < 0 ? 0 : log2(floor(steps) + 1)
        case "string":
            guard case .string(let source)? = o["pattern"], let pattern = try? ClosedPattern(source),
                  let bits = pattern.capacityBits else { return nil }
            return max(0, bits)
        case "array":
            guard let items = o["items"], let maxI = o["maxItems"]?.numberValue?.int64Value else { return nil }
            let minI = o["minItems"]?.numberValue?.int64Value ?? 0
            guard let per = bits(items, at: p.appending("items"), root: root, visiting: &visiting) else { return nil }
            let lengths = Double(max(0, maxI - minI) + 1)
            return log2(lengths) + Double(maxI) * per
        case "object":
            guard case .bool(false)? = o["additionalProperties"] else { return nil }
            let required = Set((o["required"]?.arrayValue ?? []).compactMap(\.stringValue))
            var total = 0.0
            for (name, sub) in o["properties"]?.objectValue ?? JSONObject() {
                guard let b = bits(sub, at: p.appending("properties").appending(name), root: root, visiting: &visiting) else { return nil }
                total += b + (required.contains(name) ? 0 : 1)
            }
            return total
        default:
            return nil
        }
    }

    static func lowerBound(_ o: JSONObject) -> Double? {
        if let m = o["minimum"]?.numberValue { return m.doubleValue }
        if let m = o["exclusiveMinimum"]?.numberValue { return m.doubleValue }
        return nil
    }

    static func upperBound(_ o: JSONObject) -> Double? {
        if let m = o["maximum"]?.numberValue { return m.doubleValue }
        if let m = o["exclusiveMaximum"]?.numberValue { return m.doubleValue }
        return nil
    }

    /// `12407.3` style: one decimal, rounded up so that the printed figure stays an upper bound.
    public static func format(_ bits: Double?) -> String {
        guard let bits else { return "unbounded" }
        let tenths = (bits * 10).rounded(.up) / 10
        let whole = Int(tenths)
        let frac = Int(((tenths - Double(whole)) * 10).rounded())
        return "\(whole).\(frac)"
    }
}
