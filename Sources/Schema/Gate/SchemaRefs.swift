import Core
/// Local `$ref` resolution shared by lint, diff, capacity and the payload generator.
enum SchemaRefs {
    static let draft202012 = "https://json-schema.org/draft/2020-12/schema"

    /// The pointer a local reference names (`#/$defs/entry` → `/$defs/entry`), or nil for anything else.
    static func pointer(of ref: String) -> JSONPointer? {
        guard ref.hasPrefix("#") else { return nil }
        return JSONPointer(parsing: String(ref.dropFirst()))
    }

    /// Follows `$ref` chains from `node` (at `at`) to a node without `$ref`. Nil when a reference does not
    /// resolve or the chain loops.
    static func resolve(_ node: JSONValue, at: JSONPointer, root: JSONValue) -> (JSONValue, JSONPointer)? {
        var node = node, at = at
        var seen: Set<JSONPointer> = []
        while case .string(let ref)? = node["$ref"] {
            guard let p = pointer(of: ref), seen.insert(p).inserted, let target = root.value(at: p) else { return nil }
            node = target; at = p
        }
        return (node, at)
    }

    /// The JSON types a subschema admits; nil when it names none (then enum/const or nothing decides).
    static func types(_ node: JSONValue) -> Set<String>? {
        switch node["type"] {
        case .string(let t)?: return [t]
        case .array(let ts)?: return Set(ts.compactMap(\.stringValue))
        default: return nil
        }
    }
}
