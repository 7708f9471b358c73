import Core
/// `schema diff OLD NEW`: every change between two schemas as a finding with a rule, a direction and a
/// reason, and for each widening change a payload the new schema accepts and the old rejects.
///
/// The walk follows the payload's shape (properties, items, `$ref` targets) in both schemas at once, so
/// pointers name the place in the NEW schema where the change is (or, for removals, where it was).
public enum SchemaDiff {
    public struct Result: Sendable {
        public let findings: [Finding]
        public let oldVersion: Int?
        public let newVersion: Int?
        public let oldFingerprint: String?
        public let newFingerprint: String?
        /// True when the material fingerprints differ.
        public var isMaterial: Bool { oldFingerprint != newFingerprint }
        public var widening: [Finding] { findings.filter { $0.direction == .widening } }
    }

    public static func diff(old: SchemaDocument, new: SchemaDocument, today: CalendarDay) -> Result {
        // The version const is the bump itself (the gate compares it); the walk never sees it.
        var d = Differ(oldRoot: CounterexampleBuilder.withoutVersionConst(old.value),
                       newRoot: CounterexampleBuilder.withoutVersionConst(new.value), today: today)
        d.compare(d.oldRoot, .root, d.newRoot, .root, instance: .root)
        let builder = CounterexampleBuilder(oldRoot: old.value, newRoot: new.value, today: today)
        var findings: [Finding] = []
        for (f, probe) in d.findings {
            var f = f
            if f.direction == .widening { f.counterexample = builder.build(probe) }
            findings.append(f)
        }
        findings = findings.located(file: new.name, locations: new.locations).sorted(by: Finding.displayOrder)
        return Result(findings: findings, oldVersion: old.schemaVersion, newVersion: new.schemaVersion,
                      oldFingerprint: try? SchemaFingerprint.fingerprint(old.value),
                      newFingerprint: try? SchemaFingerprint.fingerprint(new.value))
    }
}

/// Where a counterexample should be built: an instance path and values to try there, in order
/// (`nil` = remove the member). The node's own alternatives are tried after them.
struct Probe {
    var instance: JSONPointer
    var values: [JSONValue?]
    /// The new schema's node at `instance`, for generic alternatives.
    var newNode: JSONValue?
}

struct Differ {
    let oldRoot: JSONValue
    let newRoot: JSONValue
    let today: CalendarDay
    var findings: [(Finding, Probe)] = []
    var visited = Set<[JSONPointer]>()

    static let lowerBounds = ["minimum", "exclusiveMinimum", "minItems", "minLength"]
    static let upperBounds = ["maximum", "exclusiveMaximum", "maxItems", "maxLength"]
    static let handled: Set<String> = Set(lowerBounds + upperBounds).union([
        "$ref", "type", "enum", "const", "pattern", "format", "x-backpay-max-decimals", "x-backpay-calendar-date",
        "x-backpay-unique-by", "uniqueItems", "properties", "required", "additionalProperties", "items", "$defs",
        "$schema",
    ]).union(SchemaFingerprint.annotationKeywords)

    mutating func add(_ rule: Rule, _ dir: ChangeDirection, _ p: JSONPointer, _ msg: String, arg: String? = nil,
                      probe: Probe) {
        findings.append((Finding(rule: rule, pointer: p, argument: arg, direction: dir, message: msg), probe))
    }

    mutating func compare(_ oldNode: JSONValue, _ oldAt: JSONPointer, _ newNode: JSONValue, _ newAt: JSONPointer, instance: JSONPointer) {
        let (o0, oAt) = SchemaRefs.resolve(oldNode, at: oldAt, root: oldRoot) ?? (oldNode, oldAt)
        let (n0, nAt) = SchemaRefs.resolve(newNode, at: newAt, root: newRoot) ?? (newNode, newAt)
        guard visited.insert([oAt, nAt, instance]).inserted else { return }
        let probe = Probe(instance: instance, values: [], newNode: n0)
        guard case .object(let o) = o0, case .object(let n) = n0 else {
            if o0 != n0 {
                add(.typeChanged, .widening, nAt, "the subschema changed from \(describe(o0)) to \(describe(n0))", probe: probe)
            }
            return
        }
        let before = findings.count
        compareAnnotations(o, n, nAt, probe)
        compareType(o, n, nAt, probe)
        compareEnum(o, n, nAt, probe)
        compareConst(o, n, nAt, probe)
        compareBounds(o, n, nAt, probe)
        comparePattern(o, n, nAt, probe)
        compareFormat(o, n, nAt, probe)
        compareExtensions(o, n, nAt, probe)
        compareObject(o, oAt, n, nAt, instance)
        compareItems(o, oAt, n, nAt, instance)
        compareOther(o, n, nAt, probe)
        reportUnexplained(o, n, nAt, probe, since: before)
    }

    /// Every keyword whose value differs must be explained by some finding at or below it, so that no
    /// material change is ever silent. What the rules above did not explain is reported here: as
    /// cosmetic when it provably constrains nothing (a bound on a type the node does not have, a
    /// definition no payload reaches), otherwise as widening, since its effect is not modelled.
    mutating func reportUnexplained(_ o: JSONObject, _ n: JSONObject, _ nAt: JSONPointer, _ probe: Probe, since before: Int) {
        let added = findings[before...].map(\.0)
        // Compare material forms: annotations and the order of set-like arrays explain nothing.
        let om = SchemaFingerprint.normalise(.object(o)).objectValue ?? o, nm = SchemaFingerprint.normalise(.object(n)).objectValue ?? n
        let keys = Set(om.keys).union(nm.keys)
        let kinds = Differ.kinds(o).map { k in Differ.kinds(n).map { k.union($0) } ?? k }
        let bound = Differ.lowerBounds + Differ.upperBounds + ["x-backpay-max-decimals"]
        let typeChanged = added.contains { [.typeWidened, .typeNarrowed, .typeChanged].contains($0.rule) }
        for key in keys.sorted() where om[key] != nm[key] {
            let kp = nAt.appending(key)
            let explained = added.contains { $0.pointer.tokens.starts(with: kp.tokens) }
                || (key == "additionalProperties" && added.contains { [.objectOpened, .objectClosed].contains($0.rule) })
                || (bound.contains(key) && typeChanged)
            if explained { continue }
            let inapplicable: Bool
            if bound.contains(key), let kinds {
                inapplicable = key.hasSuffix("Items") ? !kinds.contains("array") : key.hasSuffix("Length") ? !kinds.contains("string") : !kinds.contains("number") && !kinds.contains("integer")
            } else {
                inapplicable = key == "$defs" && nAt.tokens.isEmpty
            }
            if inapplicable {
                add(.keywordChanged, .cosmetic, kp, key == "$defs"
                    ? "a definition no payload reaches changed; nothing accepted changes"
                    : "\(key) changed, but it does not apply to this node's type; nothing accepted changes", probe: probe)
            } else {
                add(.keywordChanged, .widening, kp, "\(key) changed in a way the diff does not model; treated as widening", probe: probe)
            }
        }
    }

    func describe(_ v: JSONValue) -> String {
        switch v {
        case .bool(true): return "true (anything)"
        case .bool(false): return "false (nothing)"
        default: return v.typeName
        }
    }

    mutating func compareAnnotations(_ o: JSONObject, _ n: JSONObject, _ p: JSONPointer, _ probe: Probe) {
        for key in SchemaFingerprint.annotationKeywords.sorted() where o[key] != n[key] {
            let what = o[key] == nil ? "added" : (n[key] == nil ? "removed" : "changed")
            add(.annotationChanged, .cosmetic, p.appending(key), "\(key) \(what); annotations do not change what is accepted", probe: probe)
        }
    }

    static func kinds(_ o: JSONObject) -> Set<String>? {
        guard let t = SchemaRefs.types(.object(o)) else { return nil }
        return t.contains("number") ? t.union(["integer"]) : t
    }

    mutating func compareType(_ o: JSONObject, _ n: JSONObject, _ p: JSONPointer, _ probe: Probe) {
        guard o["type"] != n["type"] else { return }
        let ok = Differ.kinds(o), nk = Differ.kinds(n)
        let tp = p.appending("type")
        let from = o["type"].map(schemaValueText) ?? "absent", to = n["type"].map(schemaValueText) ?? "absent"
        if let ok, let nk, ok == nk { return }
        if nk == nil || (ok != nil && nk!.isSuperset(of: ok!)) {
            add(.typeWidened, .widening, tp, "type \(from) became \(to), which admits more values", probe: probe)
        } else if ok == nil || nk!.isSubset(of: ok!) {
            add(.typeNarrowed, .narrowing, tp, "type \(from) became \(to), which admits fewer values", probe: probe)
        } else {
            add(.typeChanged, .widening, tp, "type \(from) became \(to): new values are accepted and old ones rejected", probe: probe)
        }
    }

    mutating func compareEnum(_ o: JSONObject, _ n: JSONObject, _ p: JSONPointer, _ probe: Probe) {
        let ep = p.appending("enum")
        switch (o["enum"]?.arrayValue, n["enum"]?.arrayValue) {
        case (let a?, let b?):
            for v in b where !a.contains(v) {
                var pr = probe; pr.values = [v]
                add(.enumValueAdded, .widening, ep, "enum value \(schemaValueText(v)) was added; payloads may now carry it", arg: canonicalText(v), probe: pr)
            }
            for v in a where !b.contains(v) {
                add(.enumValueRemoved, .narrowing, ep, "enum value \(schemaValueText(v)) was removed; payloads carrying it are rejected", arg: canonicalText(v), probe: probe)
            }
            if Set(a) == Set(b) && a != b {
                add(.enumReordered, .cosmetic, ep, "enum values were reordered; the accepted set is the same", probe: probe)
            }
        case (nil, _?): add(.constraintAdded, .narrowing, ep, "enum was added; only its values are accepted", probe: probe)
        case (_?, nil): add(.constraintRemoved, .widening, ep, "enum was removed; values outside it are accepted", probe: probe)
        case (nil, nil): break
        }
    }

    mutating func compareConst(_ o: JSONObject, _ n: JSONObject, _ p: JSONPointer, _ probe: Probe) {
        // The version const is the bump itself; the gate compares it on its own.
        if p == JSONPointer(["properties", "schema_version"]) { return }
        let cp = p.appending("const")
        switch (o["const"], n["const"]) {
        case (let a?, let b?) where a != b:
            var pr = probe; pr.values = [b]
            add(.constChanged, .widening, cp, "const changed from \(schemaValueText(a)) to \(schemaValueText(b)); payloads carry the new value", probe: pr)
        case (nil, _?): add(.constraintAdded, .narrowing, cp, "const was added; only its value is accepted", probe: probe)
        case (_?, nil): add(.constraintRemoved, .widening, cp, "const was removed; other values are accepted", probe: probe)
        default: break
        }
    }

    mutating func compareBounds(_ o: JSONObject, _ n: JSONObject, _ p: JSONPointer, _ probe: Probe) {
        let ok = Differ.kinds(o), nk = Differ.kinds(n)
        func both(_ t: String) -> Bool { (ok?.contains(t) ?? true) && (nk?.contains(t) ?? true) }
        for key in Differ.lowerBounds + Differ.upperBounds {
            let a = o[key]?.numberValue?.decimal, b = n[key]?.numberValue?.decimal
            guard a != b else { continue }
            // A bound on a type one side does not admit constrains nothing there; the type finding says it.
            let applies = key.hasSuffix("Items") ? both("array") : key.hasSuffix("Length") ? both("string") : both("integer")
            guard applies else { continue }
            let isLower = Differ.lowerBounds.contains(key)
            let kp = p.appending(key)
            let from = o[key].map(schemaValueText) ?? "absent", to = n[key].map(schemaValueText) ?? "absent"
            let widened: Bool
            switch (a, b) {
            case (nil, _): widened = false
            case (_, nil): widened = true
            case (let x?, let y?): widened = isLower ? y < x : x < y
            }
            if widened {
                add(.boundWidened, .widening, kp, "\(key) went from \(from) to \(to); values beyond the old bound are accepted", probe: probe)
            } else {
                add(.boundNarrowed, .narrowing, kp, "\(key) went from \(from) to \(to); values beyond the new bound are rejected", probe: probe)
            }
        }
    }

    /// Strings one node accepts and the other rejects. Candidates: the shortest strings one pattern
    /// matches and the other does not (found exactly on the two DFAs), samples of both patterns, and a
    /// few format and calendar probes. Each is checked against each node whole (pattern, format, calendar
    /// rule), as the validator would, since the other rules can reject what the pattern lets through.
    func stringDifference(_ o: JSONObject, _ n: JSONObject) -> (gained: [String], lost: [String]) {
        var candidates: [String] = []
        let np = Differ.closedPattern(n), op = Differ.closedPattern(o)
        if let np, let op, np.source != op.source {
            candidates += np.dfa.difference(op.dfa, limit: 256) ?? []
            candidates += op.dfa.difference(np.dfa, limit: 256) ?? []
        }
        for p in [np, op] { if let p { candidates += p.samples(limit: 256) } }
        for node in [o, n] {
            if case .object(let cal)? = node["x-backpay-calendar-date"] {
                for key in ["minimum", "maximum"] {
                    if let b = cal[key]?.stringValue.flatMap(DateBound.init) { candidates.append(b.resolve(today: today).description) }
                }
                candidates.append(today.description)
            }
        }
        candidates += ["2026-02-30", "2025-13-01", "00000000-0000-1000-8000-000000000000", "00000000-0000-4000-8000-000000000000", "a"]
        let oldCheck = InstanceCheck(schema: oldRoot, today: today), newCheck = InstanceCheck(schema: newRoot, today: today)
        var gained: [String] = [], lost: [String] = []
        var seen = Set<String>()
        for c in candidates where seen.insert(c).inserted {
            let inOld = oldCheck.check(.string(c), .object(o), .root, depth: 0) == nil
            let inNew = newCheck.check(.string(c), .object(n), .root, depth: 0) == nil
            if inNew && !inOld { gained.append(c) }
            if inOld && !inNew { lost.append(c) }
        }
        return (gained, lost)
    }

    static func closedPattern(_ node: JSONObject) -> ClosedPattern? {
        node["pattern"]?.stringValue.flatMap { try? ClosedPattern($0) }
    }

    mutating func comparePattern(_ o: JSONObject, _ n: JSONObject, _ p: JSONPointer, _ probe: Probe) {
        let pp = p.appending("pattern")
        switch (o["pattern"]?.stringValue, n["pattern"]?.stringValue) {
        case (let a?, let b?) where a != b:
            let (gained, lost) = stringDifference(o, n)
            let change = "pattern changed from \(quoteForMessage(a)) to \(quoteForMessage(b))"
            if let g = gained.first {
                var pr = probe; pr.values = gained.prefix(16).map { .string($0) }
                add(.patternChanged, .widening, pp, "\(change); the field now accepts e.g. \(quoteForMessage(g))", probe: pr)
            } else if let l = lost.first {
                add(.patternChanged, .narrowing, pp, "\(change); the field now rejects e.g. \(quoteForMessage(l))", probe: probe)
            } else if let op = Differ.closedPattern(o), let np = Differ.closedPattern(n),
                      op.dfa.isSubset(of: np.dfa) == true, np.dfa.isSubset(of: op.dfa) == true {
                add(.patternChanged, .cosmetic, pp, "\(change); both match exactly the same strings", probe: probe)
            } else if o["format"] != nil && o["format"] == n["format"] {
                add(.patternChanged, .cosmetic, pp, "\(change); the field's other rules (format \(schemaValueText(n["format"]!)), calendar range) still decide, and no string was found that one accepts and the other rejects", probe: probe)
            } else if let op = Differ.closedPattern(o), let np = Differ.closedPattern(n), np.dfa.isSubset(of: op.dfa) == true {
                add(.patternChanged, .narrowing, pp, "\(change); every string the new pattern matches, the old one matched too (the field's other rules may already refuse the strings it drops)", probe: probe)
            } else {
                add(.patternChanged, .widening, pp, "\(change) and cannot be shown to accept no more strings; treated as widening", probe: probe)
            }
        case (nil, _?): add(.constraintAdded, .narrowing, pp, "pattern was added; strings not matching it are rejected", probe: probe)
        case (_?, nil): add(.constraintRemoved, .widening, pp, "pattern was removed; strings it rejected are accepted", probe: probe)
        default: break
        }
    }

    mutating func compareFormat(_ o: JSONObject, _ n: JSONObject, _ p: JSONPointer, _ probe: Probe) {
        guard o["format"] != n["format"] else { return }
        let from = o["format"].map(schemaValueText) ?? "absent", to = n["format"].map(schemaValueText) ?? "absent"
        let (gained, lost) = stringDifference(o, n)
        let fp = p.appending("format")
        if let g = gained.first {
            var pr = probe; pr.values = gained.prefix(16).map { .string($0) }
            add(.formatChanged, .widening, fp, "format went from \(from) to \(to); the field now accepts e.g. \(quoteForMessage(g))", probe: pr)
        } else if let l = lost.first {
            add(.formatChanged, .narrowing, fp, "format went from \(from) to \(to); the field now rejects e.g. \(quoteForMessage(l))", probe: probe)
        } else if let (side, format) = Self.oneSidedFormat(o, n), let reason = Self.implied(format, by: side) {
            // The side without the format accepts only strings the format accepts: proved, not sampled.
            add(.formatChanged, .cosmetic, fp, "format went from \(from) to \(to); \(reason) accepts only strings the format accepts", probe: probe)
        } else {
            add(.formatChanged, n["format"] == nil ? .widening : .narrowing, fp, "format went from \(from) to \(to)", probe: probe)
        }
    }

    /// The side without a format and the format the other side has, when only one side has one.
    static func oneSidedFormat(_ o: JSONObject, _ n: JSONObject) -> (JSONObject, String)? {
        switch (o["format"]?.stringValue, n["format"]?.stringValue) {
        case (let f?, nil): return (n, f)
        case (nil, let f?): return (o, f)
        default: return nil
        }
    }

    /// What in `node` already restricts a string to `format` (as the payload validator reads it), or nil
    /// when nothing provably does: the calendar-date rule reads full dates only, and a pattern implies
    /// `uuid` when its DFA accepts nothing outside lower-case version 4 UUIDs.
    static func implied(_ format: String, by node: JSONObject) -> String? {
        switch format {
        case "date":
            return node["x-backpay-calendar-date"]?.objectValue != nil ? "the calendar-date rule" : nil
        case "uuid":
            guard let source = node["pattern"]?.stringValue, let p = try? ClosedPattern(source),
                  let uuid = try? ByteDFA(pattern: UUIDCheck.pattern),
                  p.dfa.isSubset(of: uuid) == true else { return nil }
            return "the pattern"
        default:
            return nil
        }
    }

    mutating func compareExtensions(_ o: JSONObject, _ n: JSONObject, _ p: JSONPointer, _ probe: Probe) {
        let dk = "x-backpay-max-decimals"
        // Decimals matter only where both sides admit fractions; otherwise the type finding covers it.
        if o[dk] != n[dk], Differ.kinds(o)?.contains("number") ?? true, Differ.kinds(n)?.contains("number") ?? true {
            let a = o[dk]?.numberValue?.int64Value, b = n[dk]?.numberValue?.int64Value
            let from = a.map(String.init) ?? "absent", to = b.map(String.init) ?? "absent"
            if b == nil || (a != nil && b! > a!) {
                add(.decimalsChanged, .widening, p.appending(dk), "x-backpay-max-decimals went from \(from) to \(to); more digits (and bits) fit in each value", probe: probe)
            } else {
                add(.decimalsChanged, .narrowing, p.appending(dk), "x-backpay-max-decimals went from \(from) to \(to); values with more decimals are rejected", probe: probe)
            }
        }
        let ck = "x-backpay-calendar-date"
        if o[ck] != n[ck] {
            let cp = p.appending(ck)
            let oc = o[ck]?.objectValue, nc = n[ck]?.objectValue
            if nc == nil {
                add(.dateRangeChanged, .widening, cp, "the calendar-date rule was removed; impossible dates and any year pass the pattern", probe: probe)
            } else if oc == nil {
                add(.dateRangeChanged, .narrowing, cp, "a calendar-date rule was added", probe: probe)
            } else {
                for key in ["minimum", "maximum"] where oc![key] != nc![key] {
                    let a = oc![key]?.stringValue.flatMap(DateBound.init), b = nc![key]?.stringValue.flatMap(DateBound.init)
                    let from = a?.description ?? "absent", to = b?.description ?? "absent"
                    // Compare relative and fixed bounds on a fixed reference day far from either.
                    let ref = CalendarDay(year: 2026, month: 1, day: 1)!
                    let widened: Bool
                    switch (a, b) {
                    case (nil, _): widened = false
                    case (_, nil): widened = true
                    case (let x?, let y?):
                        widened = key == "minimum" ? y.resolve(today: ref) < x.resolve(today: ref) : x.resolve(today: ref) < y.resolve(today: ref)
                    }
                    var pr = probe
                    if let b { pr.values = [.string(b.resolve(today: today).description)] }
                    add(.dateRangeChanged, widened ? .widening : .narrowing, cp.appending(key),
                        "the \(key) date went from \(from) to \(to); \(widened ? "more" : "fewer") days are accepted", probe: pr)
                }
            }
        }
        let uk = "x-backpay-unique-by"
        if Set(o[uk]?.arrayValue ?? []) != Set(n[uk]?.arrayValue ?? []) || (o[uk] == nil) != (n[uk] == nil) {
            let a = o[uk]?.arrayValue.map(Set.init), b = n[uk]?.arrayValue.map(Set.init)
            let from = o[uk].map(schemaValueText) ?? "absent", to = n[uk].map(schemaValueText) ?? "absent"
            let narrowing = b != nil && (a == nil || b!.isSubset(of: a!))
            add(.uniquenessChanged, narrowing ? .narrowing : .widening, p.appending(uk),
                narrowing ? "entries must now differ in \(to) (was \(from)); more entries clash"
                          : "entries unique by \(from) are now unique by \(to); entries that clashed before are accepted", probe: probe)
        }
        if o["uniqueItems"] != n["uniqueItems"] {
            let was = o["uniqueItems"] == .bool(true), now = n["uniqueItems"] == .bool(true)
            if was != now {
                add(.uniquenessChanged, was ? .widening : .narrowing, p.appending("uniqueItems"),
                    was ? "uniqueItems was dropped; repeated entries are accepted" : "uniqueItems was added; repeated entries are rejected", probe: probe)
            }
        }
    }

    mutating func compareObject(_ o: JSONObject, _ oAt: JSONPointer, _ n: JSONObject, _ nAt: JSONPointer, _ instance: JSONPointer) {
        let oldClosed = o["additionalProperties"] == .bool(false), newClosed = n["additionalProperties"] == .bool(false)
        let baseProbe = Probe(instance: instance, values: [], newNode: .object(n))
        if oldClosed && !newClosed {
            var pr = Probe(instance: instance.appending("x_unlisted"), values: [.string("x"), .number(JSONNumber(1))], newNode: n["additionalProperties"])
            if pr.newNode == nil { pr.newNode = .bool(true) }
            add(.objectOpened, .widening, nAt, "the object no longer sets \"additionalProperties\": false; payloads may carry any other member", probe: pr)
        } else if !oldClosed && newClosed {
            add(.objectClosed, .narrowing, nAt.appending("additionalProperties"), "the object now sets \"additionalProperties\": false; unlisted members are rejected", probe: baseProbe)
        } else if let a = o["additionalProperties"], let b = n["additionalProperties"], a != b {
            compare(a, oAt.appending("additionalProperties"), b, nAt.appending("additionalProperties"), instance: instance.appending("x_unlisted"))
        }
        let op = o["properties"]?.objectValue ?? JSONObject(), np = n["properties"]?.objectValue ?? JSONObject()
        for (name, sub) in np {
            let pp = nAt.appending("properties").appending(name)
            if let old = op[name] {
                compare(old, oAt.appending("properties").appending(name), sub, pp, instance: instance.appending(name))
            } else {
                let pr = Probe(instance: instance.appending(name), values: [], newNode: sub)
                add(.propertyAdded, oldClosed ? .widening : .narrowing, pp,
                    oldClosed ? "property \(quoteForMessage(name)) was added to a closed object; payloads may now carry it"
                              : "property \(quoteForMessage(name)) now has a schema in an open object", probe: pr)
            }
        }
        for (name, _) in op where np[name] == nil {
            add(.propertyRemoved, newClosed ? .narrowing : .widening, nAt.appending("properties").appending(name),
                newClosed ? "property \(quoteForMessage(name)) was removed; payloads carrying it are rejected"
                          : "property \(quoteForMessage(name)) lost its schema in an open object; any value is accepted", probe: baseProbe)
        }
        let oreq = Set((o["required"]?.arrayValue ?? []).compactMap(\.stringValue))
        let nreq = Set((n["required"]?.arrayValue ?? []).compactMap(\.stringValue))
        for name in nreq.subtracting(oreq).sorted() {
            add(.requiredAdded, .narrowing, nAt.appending("required"), "\(quoteForMessage(name)) became required; payloads without it are rejected", arg: name, probe: baseProbe)
        }
        for name in oreq.subtracting(nreq).sorted() {
            let pr = Probe(instance: instance.appending(name), values: [nil], newNode: nil)
            add(.requiredRemoved, .widening, nAt.appending("required"), "\(quoteForMessage(name)) is no longer required; payloads without it are accepted", arg: name, probe: pr)
        }
    }

    mutating func compareItems(_ o: JSONObject, _ oAt: JSONPointer, _ n: JSONObject, _ nAt: JSONPointer, _ instance: JSONPointer) {
        switch (o["items"], n["items"]) {
        case (let a?, let b?): compare(a, oAt.appending("items"), b, nAt.appending("items"), instance: instance.appending("0"))
        case (nil, _?): add(.constraintAdded, .narrowing, nAt.appending("items"), "items was added; elements must match it", probe: Probe(instance: instance, values: [], newNode: .object(n)))
        case (_?, nil): add(.constraintRemoved, .widening, nAt.appending("items"), "items was removed; elements of any shape are accepted", probe: Probe(instance: instance.appending("0"), values: [.string("x"), .number(JSONNumber(1))], newNode: .bool(true)))
        case (nil, nil): break
        }
    }

    mutating func compareOther(_ o: JSONObject, _ n: JSONObject, _ p: JSONPointer, _ probe: Probe) {
        let keys = Set(o.keys).union(n.keys).subtracting(Differ.handled).sorted()
        for key in keys where o[key] != n[key] {
            if o[key] == nil {
                add(.constraintAdded, .narrowing, p.appending(key), "\(key) was added", probe: probe)
            } else {
                add(.constraintRemoved, .widening, p.appending(key), "\(key) was \(n[key] == nil ? "removed" : "changed"); its effect is not modelled, so it is treated as widening", probe: probe)
            }
        }
    }
}

/// Short JSON text of a schema value for messages (canonical, quoted strings escaped).
func schemaValueText(_ v: JSONValue) -> String {
    if case .string(let s) = v { return quoteForMessage(s) }
    guard let text = try? CanonicalJSON.string(v) else { return v.typeName }
    return text.unicodeScalars.count > 60 ? String(text.unicodeScalars.prefix(60)) + "…" : text
}

/// The RFC 8785 text of a value: what a finding's `argument` holds, so that its id is deterministic.
func canonicalText(_ v: JSONValue) -> String { (try? CanonicalJSON.string(v)) ?? v.typeName }
