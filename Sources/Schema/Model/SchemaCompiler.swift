import Core
/// Why a schema document cannot be used. Unknown and unsupported keywords are errors, never ignored.
public struct SchemaCompileError: Error, Hashable, Sendable, CustomStringConvertible {
    public let pointer: JSONPointer
    public let reason: Reason

    public enum Reason: Error, Hashable, Sendable {
        case notASchema(String)
        case unknownKeyword(String, suggestion: String?)
        case unsupportedKeyword(String, why: String)
        case badValue(keyword: String, expected: String)
        case badPattern(String, String)
        case unresolvableRef(String)
        case refCycle(String)
        case unsupportedFormat(String)
        case tooManyProperties(Int)
        case wrongDialect(String)
    }

    public var description: String {
        let where_ = pointer.display
        switch reason {
        case .notASchema(let why): return "\(where_): not a schema: \(why)"
        case .unknownKeyword(let k, let s):
            return "\(where_): unknown keyword \(quoteForMessage(k))" + (s.map { " (did you mean \(quoteForMessage($0))?)" } ?? "") + ": unknown keywords would be silently ignored by other validators"
        case .unsupportedKeyword(let k, let why): return "\(where_): keyword \(quoteForMessage(k)) is not supported: \(why)"
        case .badValue(let k, let expected): return "\(where_): \(quoteForMessage(k)) must be \(expected)"
        case .badPattern(let p, let why): return "\(where_): pattern \(quoteForMessage(p)) cannot be compiled: \(why)"
        case .unresolvableRef(let r): return "\(where_): $ref \(quoteForMessage(r)) does not resolve to a subschema under #/$defs"
        case .refCycle(let r): return "\(where_): $ref \(quoteForMessage(r)) refers to itself without any structure in between"
        case .unsupportedFormat(let f): return "\(where_): format \(quoteForMessage(f)) is not supported (only uuid and date)"
        case .tooManyProperties(let n): return "\(where_): \(n) properties; at most 64 are supported in one object"
        case .wrongDialect(let d): return "\(where_): $schema \(quoteForMessage(d)) is not JSON Schema 2020-12"
        }
    }
}

/// Compiles a JSON Schema 2020-12 document (the allow-listed subset) into `SchemaNode`s.
public struct SchemaCompiler {
    public static let dialect = "https://json-schema.org/draft/2020-12/schema"

    /// Keywords with no effect on validation (excluded from the material fingerprint).
    public static let annotationKeywords: Set<String> = ["title", "description", "$comment", "examples", "default", "deprecated", "readOnly", "writeOnly"]

    /// Every keyword this toolkit understands.
    public static let knownKeywords: Set<String> = annotationKeywords.union([
        "$schema", "$id", "$defs", "$ref", "type", "properties", "required", "additionalProperties",
        "items", "minItems", "maxItems", "uniqueItems", "enum", "const", "pattern", "format",
        "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
        "x-backpay-calendar-date", "x-backpay-unique-by", "x-backpay-max-decimals",
    ])

    /// Keywords of JSON Schema that are deliberately refused, with the reason shown to the author.
    public static let refusedKeywords: [String: String] = [
        "patternProperties": "it opens the object to any key matching the pattern",
        "propertyNames": "keys are fixed by `properties` in a closed schema",
        "unevaluatedProperties": "use additionalProperties: false on the object itself",
        "unevaluatedItems": "use items with a single schema",
        "allOf": "combinators make closedness undecidable by inspection; inline the subschema",
        "anyOf": "a permissive branch would open the schema",
        "oneOf": "a permissive branch would open the schema",
        "not": "negation admits everything else",
        "if": "conditional subschemas are not supported", "then": "conditional subschemas are not supported",
        "else": "conditional subschemas are not supported",
        "dependentRequired": "not needed by a closed payload", "dependentSchemas": "not needed by a closed payload",
        "prefixItems": "tuples are not supported; use items", "contains": "not supported",
        "minContains": "not supported", "maxContains": "not supported",
        "$dynamicRef": "dynamic references are not supported", "$dynamicAnchor": "dynamic references are not supported",
        "$anchor": "use #/$defs references", "$vocabulary": "not supported", "multipleOf": "binary floating point makes decimal multipleOf disagree between validators; use x-backpay-max-decimals",
        "minProperties": "not supported", "maxProperties": "not supported", "contentEncoding": "free content is not allowed",
        "contentMediaType": "free content is not allowed", "contentSchema": "free content is not allowed",
    ]

    let document: JSONValue
    var defs: [String: SchemaNode] = [:]
    var resolving: Set<String> = []
    var nextSlot = 0

    /// Compiles a whole schema document.
    public static func compile(_ document: JSONValue) throws(SchemaCompileError) -> SchemaNode {
        var c = SchemaCompiler(document: document)
        guard case .object(let root) = document else {
            throw SchemaCompileError(pointer: .root, reason: .notASchema("the document must be a JSON object"))
        }
        if let d = root["$schema"] {
            guard d.stringValue == dialect else { throw SchemaCompileError(pointer: JSONPointer(["$schema"]), reason: .wrongDialect(d.stringValue ?? d.typeName)) }
        }
        return try c.node(document, at: .root, name: nil)
    }

    mutating func node(_ value: JSONValue, at ptr: JSONPointer, name: String?) throws(SchemaCompileError) -> SchemaNode {
        func err(_ r: SchemaCompileError.Reason, _ key: String? = nil) -> SchemaCompileError {
            SchemaCompileError(pointer: key.map { ptr.appending($0) } ?? ptr, reason: r)
        }
        guard case .object(let o) = value else {
            if case .bool = value { throw err(.unsupportedKeyword(value == .bool(true) ? "true" : "false", why: "boolean subschemas are not allowed: `true` accepts anything")) }
            throw err(.notASchema("a subschema must be an object"))
        }
        for m in o {
            if Self.knownKeywords.contains(m.key) { continue }
            if let why = Self.refusedKeywords[m.key] { throw err(.unsupportedKeyword(m.key, why: why), m.key) }
            throw err(.unknownKeyword(m.key, suggestion: Self.suggest(m.key)), m.key)
        }
        if ptr != .root, o["$schema"] != nil { throw err(.unsupportedKeyword("$schema", why: "only the root may name the dialect"), "$schema") }
        if ptr != .root, o["$defs"] != nil { throw err(.unsupportedKeyword("$defs", why: "definitions belong at the root"), "$defs") }

        if let ref = o["$ref"] {
            guard o.members.allSatisfy({ $0.key == "$ref" || Self.annotationKeywords.contains($0.key) }) else {
                throw err(.unsupportedKeyword("$ref", why: "keywords beside $ref are not supported; put them in the referenced definition"), "$ref")
            }
            guard let r = ref.stringValue else { throw err(.badValue(keyword: "$ref", expected: "a string"), "$ref") }
            let n = try resolve(r, at: ptr.appending("$ref"))
            if n.name == nil { n.name = name }
            return n
        }

        let typeName: String?
        if let t = o["type"] {
            guard let s = t.stringValue else { throw err(.unsupportedKeyword("type", why: "give exactly one type as a string"), "type") }
            guard ["object", "array", "string", "integer", "number", "boolean", "null"].contains(s) else {
                throw err(.badValue(keyword: "type", expected: "one of object, array, string, integer, number, boolean, null"), "type")
            }
            typeName = s
        } else {
            typeName = nil
        }
        let n = SchemaNode(schemaPointer: ptr, kind: .any)
        n.name = name
        if let c = o["const"] { n.constant = c }

        // Infer the type from keywords when absent, so that `minimum` without `type` still means a number
        // here (lint reports the missing type: other validators would let a string through).
        let inferred = typeName ?? Self.inferType(o)
        switch inferred {
        case "object": n.kind = .object(try objectShape(o, at: ptr))
        case "array": n.kind = .array(try arrayShape(o, at: ptr))
        case "string": n.kind = .string(try stringShape(o, at: ptr))
        case "integer": n.kind = .integer(try numberShape(o, at: ptr, integer: true))
        case "number": n.kind = .number(try numberShape(o, at: ptr, integer: false))
        case "boolean": n.kind = .boolean
        case "null": n.kind = .null
        default: n.kind = .any
        }
        try checkKeywordsFit(o, type: inferred, at: ptr)
        return n
    }

    static func inferType(_ o: JSONObject) -> String? {
        if o["properties"] != nil || o["additionalProperties"] != nil || o["required"] != nil { return "object" }
        if o["items"] != nil || o["minItems"] != nil || o["maxItems"] != nil { return "array" }
        if o["pattern"] != nil || o["format"] != nil || o["minLength"] != nil || o["maxLength"] != nil { return "string" }
        if let e = o["enum"]?.arrayValue, !e.isEmpty, e.allSatisfy({ $0.stringValue != nil }) { return "string" }
        if o["minimum"] != nil || o["maximum"] != nil || o["exclusiveMinimum"] != nil || o["exclusiveMaximum"] != nil { return "number" }
        if let c = o["const"] {
            switch c {
            case .string: return "string"
            case .number(let n): return n.isIntegerLexeme ? "integer" : "number"
            case .bool: return "boolean"
            case .null: return "null"
            default: return nil
            }
        }
        return nil
    }

    /// Keywords that belong to another type are refused: they would be silently ignored.
    func checkKeywordsFit(_ o: JSONObject, type: String?, at ptr: JSONPointer) throws(SchemaCompileError) {
        let byType: [String: Set<String>] = [
            "object": ["properties", "required", "additionalProperties"],
            "array": ["items", "minItems", "maxItems", "uniqueItems", "x-backpay-unique-by"],
            "string": ["pattern", "format", "minLength", "maxLength", "x-backpay-calendar-date"],
            "number": ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "x-backpay-max-decimals"],
        ]
        let family = type == "integer" ? "number" : (type ?? "")
        let own = byType[family] ?? []
        for (t, keys) in byType where t != family {
            for k in keys where o[k] != nil && !own.contains(k) {
                throw SchemaCompileError(pointer: ptr.appending(k), reason: .unsupportedKeyword(k, why: "it applies to \(t) values, but this subschema is \(type.map { "of type \($0)" } ?? "untyped")"))
            }
        }
    }

    mutating func resolve(_ ref: String, at ptr: JSONPointer) throws(SchemaCompileError) -> SchemaNode {
        guard ref.hasPrefix("#/$defs/"), let target = JSONPointer(parsing: String(ref.dropFirst())), target.tokens.count == 2,
              let sub = document.value(at: target) else {
            throw SchemaCompileError(pointer: ptr, reason: .unresolvableRef(ref))
        }
        if let done = defs[ref] { return done }
        if resolving.contains(ref) { throw SchemaCompileError(pointer: ptr, reason: .refCycle(ref)) }
        resolving.insert(ref)
        let n = try node(sub, at: target, name: nil)
        resolving.remove(ref)
        defs[ref] = n
        return n
    }

    mutating func objectShape(_ o: JSONObject, at ptr: JSONPointer) throws(SchemaCompileError) -> ObjectShape {
        var required: [String] = []
        if let r = o["required"] {
            guard let arr = r.arrayValue, arr.allSatisfy({ $0.stringValue != nil }) else {
                throw SchemaCompileError(pointer: ptr.appending("required"), reason: .badValue(keyword: "required", expected: "an array of strings"))
            }
            required = arr.compactMap(\.stringValue)
        }
        var allows = true
        if let ap = o["additionalProperties"] {
            switch ap {
            case .bool(let b): allows = b
            default:
                throw SchemaCompileError(pointer: ptr.appending("additionalProperties"), reason: .unsupportedKeyword("additionalProperties", why: "only `false` is supported: a subschema here admits unnamed members"))
            }
        }
        var props: [ObjectShape.Property] = []
        if let p = o["properties"] {
            guard let po = p.objectValue else {
                throw SchemaCompileError(pointer: ptr.appending("properties"), reason: .badValue(keyword: "properties", expected: "an object"))
            }
            for m in po {
                let child = try node(m.value, at: ptr.appending("properties").appending(m.key), name: m.key)
                props.append(.init(name: m.key, utf8: Array(m.key.utf8), node: child, required: required.contains(m.key), slot: nextSlot))
                nextSlot += 1
            }
        }
        for r in required where !props.contains(where: { $0.name == r }) {
            if !allows {
                throw SchemaCompileError(pointer: ptr.appending("required"), reason: .badValue(keyword: "required", expected: "names declared in properties (\(quoteForMessage(r)) is not, and the object is closed)"))
            }
            props.append(.init(name: r, utf8: Array(r.utf8), node: SchemaNode(schemaPointer: ptr, kind: .any), required: true, slot: nextSlot))
            nextSlot += 1
        }
        guard props.count <= 64 else { throw SchemaCompileError(pointer: ptr.appending("properties"), reason: .tooManyProperties(props.count)) }
        props.sort { CanonicalJSON.utf16Less($0.name, $1.name) }
        var mask: UInt64 = 0
        for (i, p) in props.enumerated() where p.required { mask |= 1 << UInt64(i) }
        return ObjectShape(properties: props, allowsAdditional: allows, requiredMask: mask)
    }

    mutating func arrayShape(_ o: JSONObject, at ptr: JSONPointer) throws(SchemaCompileError) -> ArrayShape {
        let items: SchemaNode
        if let i = o["items"] {
            if case .array = i { throw SchemaCompileError(pointer: ptr.appending("items"), reason: .unsupportedKeyword("items", why: "an array of schemas is draft-07 tuple syntax; give one schema")) }
            items = try node(i, at: ptr.appending("items"), name: nil)
        } else {
            items = SchemaNode(schemaPointer: ptr, kind: .any)
        }
        let minItems = try nonNegativeInt(o, "minItems", at: ptr) ?? 0
        let maxItems = try nonNegativeInt(o, "maxItems", at: ptr)
        var uniqueBy: [String] = []
        if let u = o["x-backpay-unique-by"] {
            guard let arr = u.arrayValue, !arr.isEmpty, arr.allSatisfy({ $0.stringValue != nil }) else {
                throw SchemaCompileError(pointer: ptr.appending("x-backpay-unique-by"), reason: .badValue(keyword: "x-backpay-unique-by", expected: "a non-empty array of property names"))
            }
            uniqueBy = arr.compactMap(\.stringValue)
            guard case .object(let shape) = items.kind, uniqueBy.allSatisfy({ n in shape.properties.contains { $0.name == n && $0.required } }) else {
                throw SchemaCompileError(pointer: ptr.appending("x-backpay-unique-by"), reason: .badValue(keyword: "x-backpay-unique-by", expected: "names of required properties of the item objects"))
            }
        }
        var uniqueItems = false
        if let u = o["uniqueItems"] {
            guard let b = u.boolValue else { throw SchemaCompileError(pointer: ptr.appending("uniqueItems"), reason: .badValue(keyword: "uniqueItems", expected: "a boolean")) }
            uniqueItems = b
        }
        var shape = ArrayShape(items: items, minItems: minItems, maxItems: maxItems, uniqueBy: uniqueBy, uniqueItems: uniqueItems)
        if case .object(let itemShape) = items.kind {
            for name in uniqueBy {
                let i = itemShape.properties.firstIndex { $0.name == name }!
                shape.uniqueProps.append(i)
                if case .string(let ss) = itemShape.properties[i].node.kind, let values = ss.enumValues {
                    let order = values.indices.sorted { CanonicalJSON.utf16Less(values[$0], values[$1]) }
                    var ranks = [Int](repeating: 0, count: values.count)
                    for (r, idx) in order.enumerated() { ranks[idx] = r }
                    shape.uniqueRanks.append(ranks)
                } else {
                    shape.uniqueRanks.append(nil)
                }
            }
        }
        return shape
    }

    func stringShape(_ o: JSONObject, at ptr: JSONPointer) throws(SchemaCompileError) -> StringShape {
        var s = StringShape()
        if let e = o["enum"] {
            guard let arr = e.arrayValue, !arr.isEmpty, arr.allSatisfy({ $0.stringValue != nil }) else {
                throw SchemaCompileError(pointer: ptr.appending("enum"), reason: .badValue(keyword: "enum", expected: "a non-empty array of strings"))
            }
            s.enumValues = arr.compactMap(\.stringValue)
        }
        if let p = o["pattern"] {
            guard let src = p.stringValue else { throw SchemaCompileError(pointer: ptr.appending("pattern"), reason: .badValue(keyword: "pattern", expected: "a string")) }
            do { s.pattern = try PatternMatcher(src) } catch { throw SchemaCompileError(pointer: ptr.appending("pattern"), reason: error) }
            s.patternSource = src
        }
        if let f = o["format"] {
            guard let name = f.stringValue else { throw SchemaCompileError(pointer: ptr.appending("format"), reason: .badValue(keyword: "format", expected: "a string")) }
            guard let fmt = StringFormat(rawValue: name) else { throw SchemaCompileError(pointer: ptr.appending("format"), reason: .unsupportedFormat(name)) }
            s.format = fmt
        }
        s.minLength = try nonNegativeInt(o, "minLength", at: ptr)
        s.maxLength = try nonNegativeInt(o, "maxLength", at: ptr)
        if let c = o["x-backpay-calendar-date"] {
            let kp = ptr.appending("x-backpay-calendar-date")
            guard let co = c.objectValue, co.keys.allSatisfy({ $0 == "minimum" || $0 == "maximum" }) else {
                throw SchemaCompileError(pointer: kp, reason: .badValue(keyword: "x-backpay-calendar-date", expected: "an object with optional minimum and maximum dates"))
            }
            var rule = CalendarRule()
            if let m = co["minimum"] {
                guard let t = m.stringValue, let d = CalendarDay(t) else { throw SchemaCompileError(pointer: kp.appending("minimum"), reason: .badValue(keyword: "minimum", expected: "a date YYYY-MM-DD")) }
                rule.minimum = d
            }
            if let m = co["maximum"] {
                guard let t = m.stringValue else { throw SchemaCompileError(pointer: kp.appending("maximum"), reason: .badValue(keyword: "maximum", expected: "a date YYYY-MM-DD or today+N")) }
                if let d = CalendarDay(t) { rule.maximum = .fixed(d) }
                else if t == "today" { rule.maximum = .today(plus: 0) }
                else if t.hasPrefix("today+"), let n = Int(t.dropFirst(6)), (0...366).contains(n) { rule.maximum = .today(plus: n) }
                else { throw SchemaCompileError(pointer: kp.appending("maximum"), reason: .badValue(keyword: "maximum", expected: "a date YYYY-MM-DD or today+N")) }
            }
            s.calendar = rule
        }
        return s
    }

    func numberShape(_ o: JSONObject, at ptr: JSONPointer, integer: Bool) throws(SchemaCompileError) -> NumberShape {
        func bound(_ k: String) throws(SchemaCompileError) -> ExactDecimal? {
            guard let v = o[k] else { return nil }
            guard let n = v.numberValue else { throw SchemaCompileError(pointer: ptr.appending(k), reason: .badValue(keyword: k, expected: "a number")) }
            return n.decimal
        }
        var s = NumberShape(minimum: try bound("minimum"), maximum: try bound("maximum"), exclusiveMinimum: false, exclusiveMaximum: false)
        if let x = try bound("exclusiveMinimum") { s.minimum = x; s.exclusiveMinimum = true; if o["minimum"] != nil { throw SchemaCompileError(pointer: ptr.appending("exclusiveMinimum"), reason: .badValue(keyword: "exclusiveMinimum", expected: "used instead of minimum, not beside it")) } }
        if let x = try bound("exclusiveMaximum") { s.maximum = x; s.exclusiveMaximum = true; if o["maximum"] != nil { throw SchemaCompileError(pointer: ptr.appending("exclusiveMaximum"), reason: .badValue(keyword: "exclusiveMaximum", expected: "used instead of maximum, not beside it")) } }
        s.maxDecimals = try nonNegativeInt(o, "x-backpay-max-decimals", at: ptr)
        if integer, s.maxDecimals != nil {
            throw SchemaCompileError(pointer: ptr.appending("x-backpay-max-decimals"), reason: .unsupportedKeyword("x-backpay-max-decimals", why: "integers have no decimals"))
        }
        if let lo = s.minimum, lo.isInteger, !s.exclusiveMinimum { s.intMin = lo.scaled(by: 0) }
        if let hi = s.maximum, hi.isInteger, !s.exclusiveMaximum { s.intMax = hi.scaled(by: 0) }
        if let places = s.maxDecimals, places <= 6 {
            if let lo = s.minimum, !s.exclusiveMinimum { s.scaledMin = lo.scaled(by: places) }
            if let hi = s.maximum, !s.exclusiveMaximum { s.scaledMax = hi.scaled(by: places) }
        }
        return s
    }

    func nonNegativeInt(_ o: JSONObject, _ k: String, at ptr: JSONPointer) throws(SchemaCompileError) -> Int? {
        guard let v = o[k] else { return nil }
        guard let n = v.numberValue?.int64Value, n >= 0, n <= Int64(Int32.max) else {
            throw SchemaCompileError(pointer: ptr.appending(k), reason: .badValue(keyword: k, expected: "a non-negative integer"))
        }
        return Int(n)
    }

    /// The known keyword closest to a misspelt one (case-insensitive match or edit distance ≤ 2).
    static func suggest(_ k: String) -> String? {
        let lower = k.lowercased()
        if let exact = knownKeywords.first(where: { $0.lowercased() == lower }) { return exact }
        var best: (String, Int)? = nil
        for cand in knownKeywords {
            let d = editDistance(lower, cand.lowercased())
            if d <= 2, best == nil || d < best!.1 || (d == best!.1 && cand < best!.0) { best = (cand, d) }
        }
        return best?.0
    }
}

/// Levenshtein distance over Unicode scalars (short strings only).
func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var prev = Array(0...y.count), cur = [Int](repeating: 0, count: y.count + 1)
    for i in 1...x.count {
        cur[0] = i
        for j in 1...y.count {
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
        }
        swap(&prev, &cur)
    }
    return prev[y.count]
}
