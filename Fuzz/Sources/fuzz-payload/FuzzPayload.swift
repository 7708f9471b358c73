// The payload validator against arbitrary bytes. Beyond "never crashes", two laws trap on violation:
//   1. the validator never accepts bytes the strict reader rejects;
//   2. the canonical form of an accepted payload is itself accepted;
//   3. the canonical-form fast path never changes an answer: with and without it, the same report and
//      the same decoded payload.
import Core
import Schema

let validator = PayloadValidator.embedded(today: CalendarDay(year: 2026, month: 11, day: 24).unsafelyUnwrapped)
let walkerOnly: PayloadValidator = { var v = validator; v.usesCanonicalTemplate = false; return v }()
nonisolated(unsafe) var fastDecoder = PayloadDecoder(schema: validator.root)!
nonisolated(unsafe) var slowDecoder = PayloadDecoder(schema: validator.root)!

func outcome(_ v: PayloadValidator, _ bytes: UnsafeRawBufferPointer, _ decoder: inout PayloadDecoder) -> ([String], Payload?) {
    let (report, payload) = v.decode(bytes, with: &decoder)
    return (report.violations.map(\.description) + report.freedoms.map(\.description), payload)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPayload(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    let report = validator.check(bytes)
    for v in report.violations { _ = v.description }
    let fast = outcome(validator, bytes, &fastDecoder), slow = outcome(walkerOnly, bytes, &slowDecoder)
    guard fast.0 == slow.0, fast.1 == slow.1 else { fatalError("the canonical template changed the answer") }
    guard report.isValid else { return 0 }
    guard (try? StrictJSON.parse(bytes, limits: .payload)) != nil else {
        fatalError("validator accepted bytes the strict reader rejects")
    }
    guard let canonical = validator.canonicalBytes(Array(bytes)) else { fatalError("valid payload has no canonical bytes") }
    guard validator.check(canonical).isValid else { fatalError("canonical form of a valid payload is invalid") }
    return 0
}
