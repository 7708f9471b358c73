import Core
/// A schema file as read: its parsed value and where each value starts, for line:col in findings.
public struct SchemaDocument: Sendable {
    public let name: String
    public let value: JSONValue
    public let locations: [JSONPointer: SourceLocation]

    /// Reads a schema strictly (duplicate keys, BOM, NaN… are refused before any schema rule runs).
    public init(name: String, bytes: [UInt8]) throws(JSONReadError) {
        self.name = name
        (value, locations) = try StrictJSON.parseWithLocations(bytes)
    }

    public init(name: String, value: JSONValue) {
        self.name = name; self.value = value; self.locations = [:]
    }

    /// The integer `const` of `/properties/schema_version`, when the schema has one.
    public var schemaVersion: Int? { SchemaDocument.schemaVersion(of: value) }

    static let versionPointer = JSONPointer(["properties", "schema_version", "const"])

    static func schemaVersion(of value: JSONValue) -> Int? {
        guard let n = value.value(at: versionPointer)?.numberValue, n.isIntegerLexeme,
              let v = n.int64Value, v >= 0, v < Int64(Int32.max) else { return nil }
        return Int(v)
    }
}

/// The material fingerprint of docs/ci-gate.md: `sha256:` + hex SHA-256 of the JCS bytes of the schema's
/// material form.
///
/// The material form drops annotations (`title`, `description`, `$comment`, `examples`, `default`,
/// `deprecated`, `readOnly`, `writeOnly`, and `$id`, which only names the document), sorts set-like
/// arrays (`enum`, `required`, `type`, `x-backpay-unique-by`) by their JCS bytes, and leaves out the
/// `schema_version` const itself: the fingerprint says what is collected, the const says which version
/// that is, and the gate checks that the two move together.
public enum SchemaFingerprint {
    public static let annotationKeywords: Set<String> = [
        "title", "description", "$comment", "examples", "default", "deprecated", "readOnly", "writeOnly", "$id",
    ]
    static let setLikeKeywords: Set<String> = ["enum", "required", "type", "x-backpay-unique-by"]
    /// Keywords whose value maps names to subschemas (the names are data, not keywords).
    static let schemaMapKeywords: Set<String> = ["properties", "$defs", "patternProperties", "dependentSchemas"]
    /// Keywords whose value is one subschema.
    static let subschemaKeywords: Set<String> = [
        "items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames",
        "unevaluatedProperties", "unevaluatedItems",
    ]
    static let subschemaListKeywords: Set<String> = ["allOf", "anyOf", "oneOf", "prefixItems"]

    /// `sha256:<64 hex>` of the material form.
    public static func fingerprint(_ schema: JSONValue) throws(CanonicalJSON.Failure) -> String {
        "sha256:" + Hex.encode(SHA256.hash(try CanonicalJSON.serialize(materialForm(schema))))
    }

    /// The schema with everything that does not change the accepted payloads removed or normalised.
    public static func materialForm(_ schema: JSONValue) -> JSONValue {
        var root = normalise(schema)
        // The version const is compared by the gate on its own (see the type's comment).
        if case .object(var o) = root, case .object(var props)? = o["properties"],
           case .object(var sv)? = props["schema_version"], sv["const"] != nil {
            sv.remove("const")
            props.set("schema_version", .object(sv))
            o.set("properties", .object(props))
            root = .object(o)
        }
        return root
    }

    static func normalise(_ schema: JSONValue) -> JSONValue {
        guard case .object(let o) = schema else { return schema }
        var out = JSONObject()
        for (key, value) in o where !annotationKeywords.contains(key) {
            if schemaMapKeywords.contains(key), case .object(let map) = value {
                out.set(key, .object(JSONObject(map.members.map { ($0.key, normalise($0.value)) })))
            } else if subschemaKeywords.contains(key) {
                out.set(key, normalise(value))
            } else if subschemaListKeywords.contains(key), case .array(let list) = value {
                out.set(key, .array(list.map(normalise)))
            } else if setLikeKeywords.contains(key), case .array(let list) = value {
                out.set(key, .array(sortedByCanonicalBytes(list)))
            } else {
                out.set(key, value)
            }
        }
        return .object(out)
    }

    static func sortedByCanonicalBytes(_ list: [JSONValue]) -> [JSONValue] {
        // Values that have no canonical form keep their place at the end; the fingerprint then fails
        // on them anyway with a precise message.
        let keyed = list.map { ((try? CanonicalJSON.serialize($0)) ?? [0xFF], $0) }
        return keyed.sorted { $0.0.lexicographicallyPrecedes($1.0) }.map(\.1)
    }
}
