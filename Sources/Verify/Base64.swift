import Core
import CSodium

/// Standard base64 (RFC 4648 §4, with `=` padding) through libsodium's ORIGINAL variant: the only flavour
/// minisign, ssh-keygen and signify read. Decoding is canonical-only: no whitespace, padding required,
/// unused trailing bits zero, so that one byte string has exactly one text (no malleable encodings).
public enum Base64 {
    public static func encode(_ bytes: [UInt8]) -> String {
        String(decoding: encodeBytes(bytes), as: UTF8.self)
    }

    /// The base64 text as bytes, for secrets: the caller can wipe the result (a String cannot be wiped).
    public static func encodeBytes(_ bytes: [UInt8]) -> [UInt8] {
        sodiumReady()
        let variant = sodium_base64_VARIANT_ORIGINAL
        let size = sodium_base64_encoded_len(bytes.count, variant)  // includes the NUL
        var out = [UInt8](repeating: 0, count: size)
        out.withUnsafeMutableBufferPointer { o in
            o.withMemoryRebound(to: CChar.self) { c in withPointer(bytes) { p, n in _ = sodium_bin2base64(c.baseAddress!, size, p, n, variant) } }
        }
        out.removeLast()  // the NUL; removing in place keeps the one buffer
        return out
    }

    /// Appends the base64 text of `bytes` (at most 96) to `out`, without an intermediate array: for writing
    /// hundreds of thousands of proof hashes.
    public static func append(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        precondition(bytes.count <= 96, "for short values")
        sodiumReady()
        let variant = sodium_base64_VARIANT_ORIGINAL
        let size = sodium_base64_encoded_len(bytes.count, variant)
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 132) { b in
            _ = sodium_bin2base64(b.baseAddress!, size, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count, variant)
            out.append(contentsOf: UnsafeRawBufferPointer(start: b.baseAddress!, count: size - 1))   // without the NUL
        }
    }

    /// Decodes canonical standard base64; nil if the text is not exactly the encoding of some bytes.
    public static func decode(_ text: [UInt8]) -> [UInt8]? {
        sodiumReady()
        guard !text.isEmpty, text.count % 4 == 0 else { return nil }
        var out = [UInt8](repeating: 0, count: text.count / 4 * 3)
        defer { Secret.wipe(&out) }  // it may hold a secret key's bytes
        var written = 0
        var end: UnsafePointer<CChar>? = nil
        let rc = text.withUnsafeBufferPointer { t in
            t.withMemoryRebound(to: CChar.self) { tc in
                out.withUnsafeMutableBufferPointer { o in
                    sodium_base642bin(o.baseAddress!, o.count, tc.baseAddress, tc.count, nil, &written, &end,
                                      sodium_base64_VARIANT_ORIGINAL)
                }
            }
        }
        guard rc == 0 else { return nil }
        let consumed = text.withUnsafeBufferPointer { t in
            t.withMemoryRebound(to: CChar.self) { tc in end.map { tc.baseAddress!.distance(to: $0) } ?? -1 }
        }
        guard consumed == text.count else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(written)
        bytes.append(contentsOf: out[0..<written])
        // libsodium checks the padding bits; re-encoding makes the canonical-only promise independent of that.
        var again = encodeBytes(bytes)
        defer { Secret.wipe(&again) }
        guard again == text else { Secret.wipe(&bytes); return nil }
        return bytes
    }
}
