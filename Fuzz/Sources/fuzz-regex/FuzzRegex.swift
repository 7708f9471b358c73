// Compiles arbitrary patterns and matches arbitrary subjects. Input layout: pattern bytes, a 0x00 byte,
// then subject bytes (no 0x00: the whole input is the pattern and also the subject). Must not crash or
// hang (run.sh sets a per-input timeout), the introspection used by schema lint and the samples and
// differences used by schema diff must agree with matching, and an unanchored pattern that matches part of a subject must match all of it; a
// disagreement traps.
import Schema

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRegex(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    let split = bytes.firstIndex(of: 0) ?? size
    let pattern = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[..<split]), as: UTF8.self)
    let subject = split < size ? UnsafeRawBufferPointer(rebasing: bytes[(split + 1)...]) : bytes

    let dfa: ByteDFA
    do { dfa = try ByteDFA(pattern: pattern) } catch {
        guard error.offset >= 0, error.offset <= pattern.unicodeScalars.count else {
            fatalError("error offset \(error.offset) outside the pattern")
        }
        _ = error.description
        return 0
    }
    let matched = dfa.matches(subject)
    let validUTF8 = String(validating: subject, as: UTF8.self)
    if let s = validUTF8 {
        guard dfa.matches(s) == matched else { fatalError("String and byte matching disagree") }
        if matched {
            guard !dfa.acceptsNothing else { fatalError("acceptsNothing but matched") }
            if dfa.isASCIIOnly, s.utf8.contains(where: { $0 >= 0x80 }) { fatalError("isASCIIOnly but matched non-ASCII") }
            if !dfa.acceptsNewline, s.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) { fatalError("!acceptsNewline but matched a newline") }
        }
        if let bits = dfa.capacityBits, matched, bits == -.infinity { fatalError("capacity -inf but matched") }
        // Samples and differences walk the DFA: every sample must match, and nothing differs from itself.
        let samples = dfa.samples(limit: 4)
        for x in samples where !dfa.matches(x) { fatalError("sample \(x.debugDescription) does not match") }
        if !samples.isEmpty, dfa.acceptsNothing { fatalError("samples from a pattern that accepts nothing") }
        if let d = dfa.difference(dfa, limit: 1), !d.isEmpty { fatalError("a pattern differs from itself") }
        // Search semantics: without anchors, a match inside a string is a match of any string around it.
        if !pattern.utf8.contains(where: { $0 == UInt8(ascii: "^") || $0 == UInt8(ascii: "$") }) {
            let scalars = Array(s.unicodeScalars)
            let half = scalars.count / 2
            var a = "", b = ""
            a.unicodeScalars.append(contentsOf: scalars[..<half])
            b.unicodeScalars.append(contentsOf: scalars[half...])
            if (dfa.matches(a) || dfa.matches(b)) && !matched { fatalError("a part matches but the whole does not") }
        }
    }
    return 0
}

extension UnsafeRawBufferPointer {
    fileprivate func firstIndex(of byte: UInt8) -> Int? {
        for i in 0..<count where self[i] == byte { return i }
        return nil
    }
}
