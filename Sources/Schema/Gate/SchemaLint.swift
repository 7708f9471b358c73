import Core
/// `schema lint`: proves a schema closed, or says where it is open (docs/schema-rules.md).
///
/// Closed means: every object sets `"additionalProperties": false`; every string is an enum, a const or
/// an anchored, ASCII-only, bounded pattern; every number has both bounds (and numbers a decimal limit);
/// every array has `items` and `maxItems`; only allow-listed keywords appear; references are local.
public enum SchemaLint {
    public struct Result: Sendable {
        public let findings: [Finding]
        /// Upper bound, in bits, of what one payload can carry; nil when unbounded.
        public let capacityBits: Double?
        public var isClosed: Bool { findings.errorCount == 0 }
    }

    static let annotations = SchemaFingerprint.annotationKeywords.subtracting(["$id"])
    static let numericKeywords: Set<String> = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "x-backpay-max-decimals"]
    static let stringKeywords: Set<String> = ["pattern", "format", "minLength", "maxLength", "x-backpay-calendar-date"]
    static let arrayKeywords: Set<String> = ["items", "minItems", "maxItems", "uniqueItems", "x-backpay-unique-by"]
    static let objectKeywords: Set<String> = ["properties", "required", "additionalProperties"]
    static let rootKeywords: Set<String> = ["$schema", "$id", "$defs"]
    static let generalKeywords: Set<String> = ["$ref", "type", "enum", "const"]
    static var allowed: Set<String> {
        annotations.union(numericKeywords).union(stringKeywords).union(arrayKeywords).union(objectKeywords)
            .union(rootKeywords).union(generalKeywords)
    }

    /// Known JSON Schema keywords that the closed subset refuses, with what to do instead.
    static let forbidden: [String: String] = [
        "patternProperties": "members matching the pattern are accepted beside additionalProperties: false; list each property",
        "propertyNames": "it constrains names but not what is accepted; list each property",
        "unevaluatedProperties": "draft-07 validators ignore it; use additionalProperties: false with properties in the same subschema",
        "unevaluatedItems": "draft-07 validators ignore it; use items",
        "allOf": "combinators split properties from additionalProperties (over- or under-closing); write one subschema",
        "anyOf": "one permissive branch re-opens the schema; write one subschema or an enum",
        "oneOf": "one permissive branch re-opens the schema; write one subschema or an enum",
        "not": "a negation accepts everything it does not name",
        "if": "conditionals make the accepted set depend on data; write one subschema",
        "then": "conditionals make the accepted set depend on data; write one subschema",
        "else": "conditionals make the accepted set depend on data; write one subschema",
        "dependentRequired": "conditional requirements make the shape depend on data",
        "dependentSchemas": "conditional subschemas make the shape depend on data",
        "dependencies": "draft-07 keyword, ignored by 2020-12 validators",
        "prefixItems": "positions beyond prefixItems are open unless items is false; use items",
        "additionalItems": "draft-07 keyword, ignored by 2020-12 validators",
        "contains": "contains checks one element and lets the others through",
        "minContains": "goes with contains", "maxContains": "goes with contains",
        "$dynamicRef": "dynamic references resolve at run time; use #/$defs/NAME",
        "$dynamicAnchor": "dynamic references resolve at run time; use #/$defs/NAME",
        "$anchor": "use #/$defs/NAME references", "$recursiveRef": "use #/$defs/NAME",
        "$recursiveAnchor": "use #/$defs/NAME", "$vocabulary": "the dialect is fixed to 2020-12",
        "definitions": "draft-07 name; use $defs",
        "multipleOf": "decimal divisors are decided through binary floating point differently by validators; use x-backpay-max-decimals",
        "minProperties": "closed objects list their properties; use required",
        "maxProperties": "closed objects list their properties",
        "contentEncoding": "encoded content is free text", "contentMediaType": "encoded content is free text",
        "contentSchema": "encoded content is free text",
    ]

    public static func lint(_ doc: SchemaDocument) -> Result {
        var l = Linter(root: doc.value)
        l.lintRoot()
        let findings = l.findings.located(file: doc.name, locations: doc.locations).sorted(by: Finding.displayOrder)
        return Result(findings: findings, capacityBits: SchemaCapacity.bits(of: doc.value))
    }
}

struct Linter {
    let root: JSONValue
    var findings: [Finding] = []

    mutating func add(_ rule: Rule, _ p: JSONPointer, _ message: String) {
        findings.append(Finding(rule: rule, pointer: p, message: message))
    }

    mutating func lintRoot() {
        guard case .object(let o) = root else {
            add(.notASchema, .root, "the document is \(root.typeName), not a schema object"); return
        }
        if case .string(let s)? = o["$schema"], s == SchemaRefs.draft202012 {
        } else if let s = o["$schema"] {
            add(.dialect, JSONPointer(["$schema"]), "$schema is \(s.stringValue.map { quoteForMessage($0) } ?? s.typeName), not \(quoteForMessage(SchemaRefs.draft202012))")
        } else {
            add(.dialect, .root, "$schema is missing; set it to \(quoteForMessage(SchemaRefs.draft202012))")
        }
        if let defs = o["$defs"] {
            if case .object(let d) = defs {
                for (name, sub) in d { lintNode(sub, JSONPointer(["$defs", name])) }
            } else {
                add(.keywordInvalid, JSONPointer(["$defs"]), "$defs must be an object of subschemas")
            }
        }
        lintNode(root, .root)
        checkVersionConst(o)
    }

    mutating func checkVersionConst(_ o: JSONObject) {
        let p = JSONPointer(["properties", "schema_version"])
        guard case .object(let sv)? = root.value(at: p) else {
            add(.versionConstMissing, .root, "no schema_version property: payloads would not say which schema they follow"); return
        }
        guard let c = sv["const"]?.numberValue, let v = c.int64Value, v >= 0 else {
            add(.versionConstMissing, p, "schema_version needs an integer const (0, 1, 2, …) naming this version"); return
        }
        if !(o["required"]?.arrayValue ?? []).contains(.string("schema_version")) {
            add(.versionConstMissing, p, "schema_version must be required so that every payload states its version")
        }
    }

    mutating func lintNode(_ node: JSONValue, _ p: JSONPointer) {
        guard case .object(let o) = node else {
            if case .bool(let b) = node {
                add(.booleanSubschema, p, b ? "subschema true accepts any value: write the schema it stands for"
                                            : "subschema false rejects everything: remove the property instead")
            } else {
                add(.keywordInvalid, p, "a subschema must be an object, found \(node.typeName)")
            }
            return
        }
        checkKeywords(o, p)
        if let r = o["$ref"] { lintRef(r, o, p); return }
        let types = lintType(o, p)
        checkApplicability(o, p, types)
        if let e = o["enum"] { lintEnum(e, types, p.appending("enum")) }
        if o["enum"] != nil || o["const"] != nil {
            lintNumberBounds(o, p, required: false)
            return
        }
        guard let t = types.first, types.count == 1 else { return }
        switch t {
        case "object": lintObject(o, p)
        case "array": lintArray(o, p)
        case "string": lintString(o, p)
        case "integer", "number": lintNumberBounds(o, p, required: true); if t == "number" { lintDecimals(o, p) }
        default: break
        }
    }

    mutating func checkKeywords(_ o: JSONObject, _ p: JSONPointer) {
        for key in o.keys {
            let kp = p.appending(key)
            if let why = SchemaLint.forbidden[key] {
                add(.forbiddenKeyword, kp, "\(key) is not allowed in a closed schema: \(why)")
            } else if !SchemaLint.allowed.contains(key) {
                var msg = "unknown keyword \(quoteForMessage(key)) is ignored by validators, so it constrains nothing"
                if let s = suggestion(for: key) { msg += " (did you mean \(quoteForMessage(s))?)" }
                add(.unknownKeyword, kp, msg)
            } else if SchemaLint.rootKeywords.contains(key) && !p.tokens.isEmpty {
                add(.keywordNotApplicable, kp, "\(key) belongs at the root of the schema only")
            }
        }
    }

    func suggestion(for key: String) -> String? {
        let lower = key.lowercased()
        var best: (String, Int)? = nil
        for a in SchemaLint.allowed.union(SchemaLint.forbidden.keys).sorted() {
            let d = editDistance(lower, a.lowercased())
            if d <= 2, best == nil || d < best!.1 { best = (a, d) }
        }
        return best?.0
    }

    mutating func lintRef(_ r: JSONValue, _ o: JSONObject, _ p: JSONPointer) {
        let rp = p.appending("$ref")
        guard case .string(let ref) = r else { add(.keywordInvalid, rp, "$ref must be a string"); return }
        guard let target = SchemaRefs.pointer(of: ref), target.tokens.count == 2, target.tokens[0] == "$defs" else {
            add(.refNotLocal, rp, "$ref \(quoteForMessage(ref)) is not of the form #/$defs/NAME"); return
        }
        if root.value(at: target) == nil {
            add(.refUnresolved, rp, "$ref \(quoteForMessage(ref)) names no definition in $defs")
        }
        for key in o.keys where key != "$ref" && !SchemaLint.annotations.contains(key) && SchemaLint.allowed.contains(key) {
            add(.refWithSiblings, p.appending(key), "\(key) beside $ref: move it into the referenced definition")
        }
    }

    mutating func lintType(_ o: JSONObject, _ p: JSONPointer) -> Set<String> {
        let known: Set<String> = ["object", "array", "string", "integer", "number", "boolean", "null"]
        switch o["type"] {
        case nil:
            if o["enum"] == nil && o["const"] == nil {
                let bounds = o.keys.filter { SchemaLint.numericKeywords.union(SchemaLint.stringKeywords).contains($0) }
                let extra = bounds.isEmpty ? "" : " (\(bounds.joined(separator: ", ")) apply to one type only; other values pass)"
                add(.typeMissing, p, "no type, enum or const: any JSON value is accepted here" + extra)
            }
            return []
        case .string(let t)?:
            if !known.contains(t) { add(.typeUnsupported, p.appending("type"), "unknown type \(quoteForMessage(t))"); return [] }
            return [t]
        case .array?:
            add(.typeUnsupported, p.appending("type"), "type lists several types; use one type per subschema")
            return []
        case let v?:
            add(.keywordInvalid, p.appending("type"), "type must be a string, found \(v.typeName)")
            return []
        }
    }

    mutating func checkApplicability(_ o: JSONObject, _ p: JSONPointer, _ types: Set<String>) {
        guard let t = types.first else { return }
        let groups: [(Set<String>, Set<String>, String)] = [
            (SchemaLint.numericKeywords, ["integer", "number"], "numbers"),
            (SchemaLint.stringKeywords, ["string"], "strings"),
            (SchemaLint.arrayKeywords, ["array"], "arrays"),
            (SchemaLint.objectKeywords, ["object"], "objects"),
        ]
        for key in o.keys {
            for (kw, ok, what) in groups where kw.contains(key) && !ok.contains(t) {
                if key == "x-backpay-max-decimals" && t == "integer" { continue }
                add(.keywordNotApplicable, p.appending(key), "\(key) applies to \(what) only and constrains nothing on type \(t)")
            }
        }
    }

    mutating func lintEnum(_ e: JSONValue, _ types: Set<String>, _ p: JSONPointer) {
        guard case .array(let values) = e, !values.isEmpty else {
            add(.enumInvalid, p, "enum must be a non-empty array"); return
        }
        if let bad = values.firstIndex(where: { $0.stringValue == nil }) {
            add(.enumInvalid, p.appending(bad), "enum values must be strings, found \(values[bad].typeName)"); return
        }
        if !types.isEmpty && types != ["string"] {
            add(.enumInvalid, p, "enum of strings under type \(types.sorted().joined(separator: ","))")
        }
        var seen = Set<String>()
        for (i, v) in values.enumerated() where !seen.insert(v.stringValue!).inserted {
            add(.enumInvalid, p.appending(i), "duplicate enum value \(quoteForMessage(v.stringValue!))")
        }
    }

    mutating func lintObject(_ o: JSONObject, _ p: JSONPointer) {
        var declared = Set<String>()
        if let props = o["properties"] {
            if case .object(let m) = props {
                for (name, sub) in m { declared.insert(name); lintNode(sub, p.appending("properties").appending(name)) }
            } else {
                add(.keywordInvalid, p.appending("properties"), "properties must be an object of subschemas")
            }
        }
        switch o["additionalProperties"] {
        case .bool(false)?: break
        case nil: add(.objectOpen, p, "object does not set \"additionalProperties\": false, so any other member is accepted")
        case .bool(true)?: add(.additionalPropertiesSchema, p.appending("additionalProperties"), "additionalProperties true accepts any other member; set it to false")
        case .object?: add(.additionalPropertiesSchema, p.appending("additionalProperties"), "additionalProperties as a schema accepts any other member name; set it to false")
        case let v?: add(.keywordInvalid, p.appending("additionalProperties"), "additionalProperties must be false, found \(v.typeName)")
        }
        if let req = o["required"] {
            guard case .array(let names) = req else { add(.keywordInvalid, p.appending("required"), "required must be an array of names"); return }
            var seen = Set<String>()
            for (i, n) in names.enumerated() {
                guard let s = n.stringValue else { add(.keywordInvalid, p.appending("required").appending(i), "required names must be strings"); continue }
                if !seen.insert(s).inserted { add(.keywordInvalid, p.appending("required").appending(i), "\(quoteForMessage(s)) is required twice") }
                if !declared.contains(s) { add(.requiredUndeclared, p.appending("required").appending(i), "required \(quoteForMessage(s)) is not in properties, so the object can never be valid") }
            }
        }
    }

    mutating func lintArray(_ o: JSONObject, _ p: JSONPointer) {
        if let items = o["items"] { lintNode(items, p.appending("items")) }
        else { add(.arrayWithoutItems, p, "array without items accepts elements of any shape") }
        let minI = nonNegativeInt(o, "minItems", p), maxI = nonNegativeInt(o, "maxItems", p)
        if o["maxItems"] == nil { add(.arrayUnbounded, p, "array without maxItems accepts any number of elements") }
        if let a = minI, let b = maxI, a > b { add(.keywordInvalid, p.appending("minItems"), "minItems \(a) is above maxItems \(b): no array is valid") }
        let itemObject = o["items"].flatMap { SchemaRefs.resolve($0, at: p.appending("items"), root: root)?.0 }
        if case .bool(true)? = o["uniqueItems"], let io = itemObject, io["type"]?.stringValue == "object" {
            add(.uniqueItemsWeak, p.appending("uniqueItems"), "uniqueItems only rejects entries equal in every member; two entries for the same key that differ in one count pass: use x-backpay-unique-by")
        }
        if let u = o["x-backpay-unique-by"] {
            let up = p.appending("x-backpay-unique-by")
            guard case .array(let keys) = u, !keys.isEmpty, keys.allSatisfy({ $0.stringValue != nil }), Set(keys).count == keys.count else {
                add(.extensionInvalid, up, "x-backpay-unique-by must be a non-empty array of distinct property names"); return
            }
            let props = itemObject?["properties"]?.objectValue
            for (i, k) in keys.enumerated() where props?[k.stringValue!] == nil {
                add(.extensionInvalid, up.appending(i), "x-backpay-unique-by names \(quoteForMessage(k.stringValue!)), which is not a property of the items")
            }
        }
    }

    mutating func nonNegativeInt(_ o: JSONObject, _ key: String, _ p: JSONPointer) -> Int? {
        guard let v = o[key] else { return nil }
        guard let n = v.numberValue?.int64Value, n >= 0, n <= 1 << 30 else {
            add(.keywordInvalid, p.appending(key), "\(key) must be a non-negative integer"); return nil
        }
        return Int(n)
    }

    mutating func lintString(_ o: JSONObject, _ p: JSONPointer) {
        if let cal = o["x-backpay-calendar-date"] { lintCalendar(cal, p.appending("x-backpay-calendar-date")) }
        _ = nonNegativeInt(o, "minLength", p); _ = nonNegativeInt(o, "maxLength", p)
        if let f = o["format"], f.stringValue == nil { add(.keywordInvalid, p.appending("format"), "format must be a string") }
        guard let pat = o["pattern"] else {
            if let f = o["format"]?.stringValue {
                add(.formatWithoutPattern, p.appending("format"), "format \(quoteForMessage(f)) alone is not asserted by most validators (it is an annotation in 2020-12); add an anchored ASCII pattern")
            } else if o["maxLength"] != nil {
                add(.stringFreeText, p, "a string limited only by maxLength still carries free text; use an enum, a const or an anchored pattern")
            } else {
                add(.stringFreeText, p, "a string without enum, const or pattern carries free text")
            }
            return
        }
        let pp = p.appending("pattern")
        guard case .string(let source) = pat else { add(.keywordInvalid, pp, "pattern must be a string"); return }
        do {
            let parsed = try ClosedPattern(source)
            if parsed.capacityBits == nil {
                add(.patternUnbounded, pp, "pattern \(quoteForMessage(source)) matches unboundedly many strings, so it can carry free text; bound every repetition")
            }
        } catch {
            switch error {
            case .notAnchored(let why): add(.patternNotAnchored, pp, why)
            case .notASCII(let why): add(.patternNotASCII, pp, why)
            case .unsupported(let why): add(.patternUnsupported, pp, "cannot prove pattern closed: \(why)")
            }
        }
    }

    mutating func lintCalendar(_ v: JSONValue, _ p: JSONPointer) {
        guard case .object(let o) = v else { add(.extensionInvalid, p, "x-backpay-calendar-date must be an object with minimum and/or maximum"); return }
        for (k, bound) in o {
            guard k == "minimum" || k == "maximum" else { add(.extensionInvalid, p.appending(k), "x-backpay-calendar-date allows only minimum and maximum"); continue }
            guard let s = bound.stringValue, DateBound(s) != nil else {
                add(.extensionInvalid, p.appending(k), "\(k) must be a date YYYY-MM-DD, \"today\" or \"today+N\"/\"today-N\""); continue
            }
        }
    }

    mutating func lintNumberBounds(_ o: JSONObject, _ p: JSONPointer, required: Bool) {
        var lower: ExactDecimal? = nil, upper: ExactDecimal? = nil
        for key in ["minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"] {
            guard let v = o[key] else { continue }
            guard let n = v.numberValue else { add(.keywordInvalid, p.appending(key), "\(key) must be a number"); continue }
            if n.decimal.magnitudeAboveSafeInteger {
                add(.boundBeyondSafeInteger, p.appending(key), "\(key) \(n.lexeme) is beyond ±(2^53-1); binary64 validators cannot compare it exactly")
            }
            if key.hasSuffix("inimum") { lower = n.decimal } else { upper = n.decimal }
        }
        if required {
            if lower == nil || upper == nil {
                let missing = lower == nil ? (upper == nil ? "minimum and maximum" : "minimum") : "maximum"
                add(.numberUnbounded, p, "number without \(missing): it can carry arbitrarily large values")
            }
        }
        if let l = lower, let u = upper, u < l { add(.keywordInvalid, p, "the lower bound is above the upper bound: no value is valid") }
    }

    mutating func lintDecimals(_ o: JSONObject, _ p: JSONPointer) {
        guard let d = o["x-backpay-max-decimals"] else {
            add(.numberDecimalsUnbounded, p, "a number without x-backpay-max-decimals can hide bits in its fraction digits")
            return
        }
        guard let n = d.numberValue?.int64Value, n >= 0, n <= 15 else {
            add(.extensionInvalid, p.appending("x-backpay-max-decimals"), "x-backpay-max-decimals must be an integer 0…15")
            return
        }
    }
}

extension ExactDecimal {
    var magnitudeAboveSafeInteger: Bool {
        ExactDecimal.compareMagnitude(self, ExactDecimal(lexeme: "9007199254740991")) > 0
    }
}
