import Core
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Validates payloads against a compiled closed schema, in one pass over the bytes: strict JSON, every
/// schema rule, the toolkit rules (`x-backpay-*`) and the canonical form.
///
/// ```swift
/// let validator = PayloadValidator.embedded(today: .utcToday())
/// let report = validator.check(bytes)
/// ```
public struct PayloadValidator: Sendable {
    public let root: SchemaNode
    let flat: FlatSchema
    public let limits: JSONLimits
    /// The day `today+N` bounds are resolved against (UTC; `--today` overrides the clock).
    public var today: CalendarDay { didSet { todayDays = today.daysSinceEpoch } }
    /// `today` in days since 1970-01-01, worked out once rather than for every date checked.
    private(set) var todayDays: Int
    /// Whether payloads in canonical form are settled by the schema's `CanonicalTemplate` before the
    /// walker is asked. It never changes a report; false reads every payload with the walker alone, which
    /// differential tests and the fuzzer compare against.
    public var usesCanonicalTemplate = true

    public init(schema: JSONValue, today: CalendarDay, limits: JSONLimits = .payload) throws(SchemaCompileError) {
        self.root = try SchemaCompiler.compile(schema)
        self.flat = FlatSchema(root)
        self.today = today
        todayDays = today.daysSinceEpoch
        self.limits = limits
    }

    /// The validator for the schema embedded in the binary (version 0).
    public static func embedded(today: CalendarDay) -> PayloadValidator {
        do {
            return try PayloadValidator(schema: try StrictJSON.parse(Array(EmbeddedSchema.payloadV0.utf8)), today: today)
        } catch {
            // The embedded schema is checked by the test suite; failing here is a build defect.
            preconditionFailure("embedded payload schema does not compile: \(error)")
        }
    }

    /// Checks one payload.
    public func check(_ bytes: [UInt8]) -> PayloadReport {
        bytes.withUnsafeBytes { check($0) }
    }

    public func check(_ bytes: UnsafeRawBufferPointer) -> PayloadReport {
        var sink = DiscardingSink()
        return check(bytes, sink: &sink)
    }

    /// Checks one payload and hands every validated leaf to `sink` in the same pass.
    public func check<S: PayloadSink>(_ bytes: UnsafeRawBufferPointer, sink: inout S) -> PayloadReport {
        if bytes.count > limits.maxBytes {
            return PayloadReport(violations: [PayloadValidator.oversize(bytes.count, limit: limits.maxBytes)])
        }
        return withUnsafeMutablePointer(to: &sink) { sink in
            // Most payloads arrive in canonical form: the template settles those without the walker.
            if usesCanonicalTemplate, let t = flat.template, t.depth <= PayloadWalker<S>.depthLimit(limits.maxDepth) {
                let accepted = withExtendedLifetime(flat) {
                    CanonicalTemplate.run(t, flat.view, bytes: bytes, todayDays: todayDays, sink: sink)
                }
                if accepted { return PayloadReport() }
                sink.pointee.reset()
            }
            var walker = PayloadWalker(bytes: bytes, flat: flat, today: today, todayDays: todayDays, maxDepth: limits.maxDepth, sink: sink)
            defer { withExtendedLifetime(flat) {} }
            do throws(JSONLexer.Failure) {
                try walker.document()
            } catch {
                let loc = SourceLocation.locate(offset: error.offset, in: bytes)
                var message = error.problem.message
                if error.problem == .trailingContent { message += " (one payload per file; use --jsonl for one payload per line)" }
                walker.violations.append(Violation(rule: error.problem.rule, pointer: walker.failurePath ?? walker.currentPointer, location: loc,
                                                   message: message, syntaxCode: error.problem.code))
                return PayloadReport(violations: Self.inDocumentOrder(walker.violations), freedoms: [])
            }
            return PayloadReport(violations: Self.inDocumentOrder(walker.violations), freedoms: walker.freedoms)
        }
    }

    /// Reports read top to bottom: missing members are found at an object's end but belong at its start.
    static func inDocumentOrder(_ v: [Violation]) -> [Violation] {
        guard v.count > 1 else { return v }
        return v.enumerated().sorted { ($0.element.location.offset, $0.offset) < ($1.element.location.offset, $1.offset) }.map(\.element)
    }

    /// The violation for a payload larger than the limit, reported at its start with its size.
    public static func oversize(_ size: Int, limit: Int) -> Violation {
        Violation(rule: .size, pointer: .root, location: SourceLocation(line: 1, column: 1, offset: 0),
                  message: "payload is \(size) bytes; a payload is at most \(formatBytes(limit))", syntaxCode: "size")
    }
}

extension CalendarDay {
    /// Today's date in UTC from the system clock.
    public static func utcToday() -> CalendarDay {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        let days = Int(ts.tv_sec) / 86_400 - (ts.tv_sec < 0 && ts.tv_sec % 86_400 != 0 ? 1 : 0)
        return CalendarDay(daysSinceEpoch: days)
    }
}
