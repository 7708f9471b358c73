// The payload validator against arbitrary bytes. Beyond "never crashes", two laws trap on violation:
//   1. the validator never accepts bytes the strict reader rejects;
//   2. the canonical form of an accepted payload is itself accepted.
import Schema

let validator = PayloadValidator.embedded(today: CalendarDay(year: 2026, month: 11, day: 24).unsafelyUnwrapped)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPayload(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    let report = validator.check(bytes)
    for v in report.violations { _ = v.description }
    guard report.isValid else { return 0 }
    guard (try? StrictJSON.parse(bytes, limits: .payload)) != nil else {
        fatalError("validator accepted bytes the strict reader rejects")
    }
    guard let canonical = validator.canonicalBytes(Array(bytes)) else { fatalError("valid payload has no canonical bytes") }
    guard validator.check(canonical).isValid else { fatalError("canonical form of a valid payload is invalid") }
    return 0
}
