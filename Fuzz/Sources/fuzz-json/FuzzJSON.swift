// Round-trip law of the strict reader and the JCS writer (age's FuzzMalleability, adapted):
// for every input x the reader accepts,
//   0. canonical(x) exists (the reader and the writer share one limit on numbers);
//   1. parse(canonical(x)) succeeds and equals x, numbers compared as the binary64 values JCS keeps;
//   2. canonical(parse(canonical(x))) == canonical(x), byte for byte (canonical output is a fixed point).
// Any violation traps, which libFuzzer reports as a crash with the input saved.
import Core

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    guard let value = try? StrictJSON.parse(bytes, limits: .document) else { return 0 }
    let canonical: [UInt8]
    do { canonical = try CanonicalJSON.serialize(value) } catch {
        // One limit for both: the reader refuses what the writer cannot write (integers binary64 would change).
        fatalError("the reader accepted what has no canonical form: \(error)")
    }
    let again: JSONValue
    do { again = try StrictJSON.parse(canonical, limits: .document) } catch {
        fatalError("canonical output does not parse: \(error)")
    }
    guard sameUnderJCS(value, again) else { fatalError("parse(canonical(x)) differs from x") }
    guard let twice = try? CanonicalJSON.serialize(again), twice == canonical else {
        fatalError("canonical(parse(canonical(x))) differs from canonical(x)")
    }
    return 0
}

/// JSON equality where numbers are equal when they round to the same binary64 value: RFC 8785 writes
/// numbers as ECMAScript does, so decimals beyond binary64 precision are rounded by design.
func sameUnderJCS(_ a: JSONValue, _ b: JSONValue) -> Bool {
    switch (a, b) {
    case (.null, .null): return true
    case (.bool(let x), .bool(let y)): return x == y
    case (.string(let x), .string(let y)): return Array(x.unicodeScalars) == Array(y.unicodeScalars)
    case (.number(let x), .number(let y)): return x.doubleValue == y.doubleValue
    case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy(sameUnderJCS)
    case (.object(let x), .object(let y)):
        guard x.count == y.count else { return false }
        return x.allSatisfy { m in y[m.key].map { sameUnderJCS(m.value, $0) } ?? false }
    default: return false
    }
}
