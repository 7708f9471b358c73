import CSodium

/// SHA-256 through libsodium, for schema fingerprints and finding ids.
enum Digest {
    /// Lower-case hex SHA-256 of `bytes`.
    static func sha256Hex(_ bytes: [UInt8]) -> String {
        var out = [UInt8](repeating: 0, count: Int(crypto_hash_sha256_BYTES))
        // crypto_hash_sha256 cannot fail for in-memory input; sodium_init only seeds the RNG we do not use.
        _ = bytes.withUnsafeBufferPointer { inp in
            out.withUnsafeMutableBufferPointer { o in
                crypto_hash_sha256(o.baseAddress!, inp.baseAddress ?? UnsafePointer(bitPattern: 1)!, UInt64(inp.count))
            }
        }
        return hex(out)
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var s: [UInt8] = []
        s.reserveCapacity(bytes.count * 2)
        for b in bytes { s.append(digits[Int(b >> 4)]); s.append(digits[Int(b & 0xF)]) }
        return String(decoding: s, as: UTF8.self)
    }
}
