import Core
/// Builds the concrete payload of a widening finding: the minimal payload of the NEW schema with the
/// changed place set to a value the change admits, kept only if the new schema accepts it and the old
/// one rejects it (both checked with `InstanceCheck`).
struct CounterexampleBuilder {
    let oldRoot: JSONValue
    let newRoot: JSONValue
    let today: CalendarDay

    func build(_ probe: Probe) -> JSONValue? {
        let gen = PayloadGenerator(root: newRoot, today: today)
        // The version const differs across every bump; comparing it would make any payload a
        // counterexample, so both sides are checked without it (the payload keeps the new version).
        let newCheck = InstanceCheck(schema: CounterexampleBuilder.withoutVersionConst(newRoot), today: today)
        let oldCheck = InstanceCheck(schema: CounterexampleBuilder.withoutVersionConst(oldRoot), today: today)
        guard let minimal = gen.minimal(), let prepared = ensureParents(minimal, of: probe.instance, gen) else { return nil }
        let base = agreeing(prepared, outside: probe.instance, gen, newCheck, oldCheck)
        var candidates = probe.values
        if let node = probe.newNode { candidates += probeValues(node, gen).map { Optional($0) } }
        var fallback: JSONValue? = nil
        for c in candidates {
            guard let cx = base.replacing(at: probe.instance, with: c), newCheck.accepts(cx),
                  let (failure, _) = oldCheck.firstFailure(cx) else { continue }
            // Prefer a payload the old schema rejects exactly at the changed place.
            if failure.tokens.starts(with: probe.instance.tokens) || probe.instance.tokens.starts(with: failure.tokens) { return cx }
            if fallback == nil { fallback = cx }
        }
        return fallback
    }

    static func withoutVersionConst(_ root: JSONValue) -> JSONValue {
        root.replacing(at: SchemaDocument.versionPointer, with: nil) ?? root
    }

    /// Moves the base payload towards one both schemas accept, so that a counterexample differs from an
    /// accepted payload only where the change is: each place the old schema rejects (outside the changed
    /// place) gets the first alternative both accept.
    func agreeing(_ base: JSONValue, outside changed: JSONPointer, _ gen: PayloadGenerator,
                  _ newCheck: InstanceCheck, _ oldCheck: InstanceCheck) -> JSONValue {
        var value = base
        for _ in 0..<16 {
            guard let (at, _) = oldCheck.firstFailure(value), !at.tokens.starts(with: changed.tokens),
                  let node = schemaNode(at: at) else { break }
            let fixed = gen.alternatives(node, limit: 64).lazy.compactMap { value.replacing(at: at, with: $0) }.first { v in
                newCheck.accepts(v) && oldCheck.firstFailure(v)?.0 != at
            }
            guard let fixed else { break }
            value = fixed
        }
        return value
    }

    /// Makes every ancestor of `instance` exist in `base` (optional members, empty arrays), building
    /// each missing one from the new schema.
    func ensureParents(_ base: JSONValue, of instance: JSONPointer, _ gen: PayloadGenerator) -> JSONValue? {
        var value = base
        var prefix = JSONPointer.root
        for token in instance.tokens.dropLast() {
            let next = prefix.appending(token)
            if value.value(at: next) == nil {
                guard let node = schemaNode(at: next), let v = gen.value(node, depth: 0) else { return nil }
                if case .array(var a)? = value.value(at: prefix) {
                    a.append(v)
                    guard let updated = value.replacing(at: prefix, with: .array(a)) else { return nil }
                    value = updated
                } else {
                    guard let updated = value.replacing(at: next, with: v) else { return nil }
                    value = updated
                }
            }
            prefix = next
        }
        return value
    }

    /// The new schema's subschema for an instance path (through properties, items and `$ref`).
    func schemaNode(at instance: JSONPointer) -> JSONValue? {
        var node = newRoot
        for token in instance.tokens {
            guard let (n, _) = SchemaRefs.resolve(node, at: .root, root: newRoot) else { return nil }
            if let items = n["items"], n["type"]?.stringValue == "array" { node = items; continue }
            if let p = n["properties"]?[token] { node = p; continue }
            if let extra = n["additionalProperties"], extra != .bool(false) { node = extra; continue }
            return nil
        }
        return node
    }

    /// Values worth trying at a changed place: the node's own alternatives, its bounds, fractions just
    /// above its lower bound, and arrays of the shortest and longest allowed lengths.
    func probeValues(_ node: JSONValue, _ gen: PayloadGenerator) -> [JSONValue] {
        if node == .bool(true) { return [.string("x"), .number(JSONNumber(1))] }
        var out = gen.alternatives(node, limit: 64)
        guard let (n, _) = SchemaRefs.resolve(node, at: .root, root: newRoot), case .object(let o) = n else { return out }
        for key in ["maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum"] {
            if let b = o[key]?.numberValue { out.append(.number(b)) }
        }
        let lo = o["minimum"]?.numberValue?.int64Value ?? o["exclusiveMinimum"]?.numberValue?.int64Value ?? 0
        for k in 1...4 { out.append(.number(JSONNumber(lexeme: "\(lo)." + String(repeating: "0", count: k - 1) + "1"))) }
        out.append(.number(JSONNumber(lexeme: "\(lo).5")))
        if let hi = o["maximum"]?.numberValue?.int64Value { out.append(.number(JSONNumber(hi + 1))) }
        if o["type"]?.stringValue == "array", let items = o["items"] {
            for key in ["maxItems", "minItems"] {
                if let c = o[key]?.numberValue?.int64Value, c >= 0, c <= 4096,
                   let a = gen.distinctItems(items, count: Int(c), unique: o, depth: 0) { out.append(.array(a)) }
            }
            if let one = gen.value(items, depth: 1) { out.append(.array([one, one])) }
            if let pair = equalOnOldKeys(items, gen) { out.append(.array(pair)) }
        }
        for t in ["string", "integer", "number", "boolean", "null", "object", "array"] where SchemaRefs.types(.object(o))?.contains(t) ?? true {
            var forced = o
            forced.remove("enum"); forced.remove("const")
            forced.set("type", .string(t))
            out.append(contentsOf: gen.alternatives(.object(forced), limit: 4))
        }
        return out
    }

    /// Two items that differ only in members outside the new unique-by keys are not interesting; two
    /// that differ in exactly one member are: they clash under a coarser old key.
    func equalOnOldKeys(_ items: JSONValue, _ gen: PayloadGenerator) -> [JSONValue]? {
        guard case .object(let base)? = gen.value(items, depth: 1),
              let (schema, _) = SchemaRefs.resolve(items, at: .root, root: newRoot),
              let props = schema["properties"]?.objectValue else { return nil }
        for (name, sub) in props {
            let alts = gen.alternatives(sub, limit: 2)
            if alts.count == 2 {
                var other = base
                other.set(name, alts[0] == base[name] ? alts[1] : alts[0])
                return [.object(base), .object(other)]
            }
        }
        return nil
    }
}
