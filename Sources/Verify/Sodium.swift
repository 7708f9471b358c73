import CSodium

/// libsodium is initialised once per process, on first use. `sodium_init` is idempotent and thread-safe,
/// and a static let runs it exactly once; -1 means the library cannot work here (no entropy source), and
/// no signature or key could be trusted, so that is fatal.
private let sodiumStatus: Int32 = sodium_init()

/// Makes sure libsodium is initialised; every entry point that calls libsodium calls this first.
@inline(__always)
func sodiumReady() {
    if sodiumStatus < 0 { fatalError("libsodium could not be initialised (sodium_init returned -1)") }
}

/// Secret bytes in memory libsodium guards (sodium_malloc: guard pages, locked where possible), wiped and
/// released in `deinit`. A class rather than a struct so that the bytes are never copied implicitly.
public final class SecureBytes: @unchecked Sendable {
    // @unchecked: the buffer is written only during initialisation and read-only afterwards.
    private let pointer: UnsafeMutableRawPointer
    public let count: Int

    /// Allocates `count` zero bytes.
    public init(count: Int) {
        sodiumReady()
        guard let p = sodium_malloc(max(count, 1)) else { fatalError("sodium_malloc failed: out of memory") }
        pointer = p
        self.count = count
        sodium_memzero(p, max(count, 1))
    }

    /// Copies `bytes` in; the caller still owns (and should wipe) its own copy.
    public convenience init<C: Collection>(copying bytes: C) where C.Element == UInt8 {
        self.init(count: bytes.count)
        var i = 0
        for b in bytes { pointer.storeBytes(of: b, toByteOffset: i, as: UInt8.self); i += 1 }
    }

    /// Fills the buffer through `body` (e.g. a libsodium call writing a key).
    public convenience init(count: Int, filling body: (UnsafeMutableRawBufferPointer) -> Void) {
        self.init(count: count)
        body(UnsafeMutableRawBufferPointer(start: pointer, count: count))
    }

    deinit { sodium_free(pointer) }  // sodium_free zeroes before releasing

    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) -> R) -> R {
        body(UnsafeMutableRawBufferPointer(start: pointer, count: count))
    }

    /// A new buffer holding bytes `range` of this one.
    func slice(_ range: Range<Int>) -> SecureBytes {
        precondition(range.lowerBound >= 0 && range.upperBound <= count)
        return SecureBytes(count: range.count) { dst in
            dst.baseAddress!.copyMemory(from: pointer + range.lowerBound, byteCount: range.count)
        }
    }
}

/// Small wrappers over libsodium's hashes, randomness and constant-time helpers.
public enum Sodium {
    public static func randomBytes(_ count: Int) -> [UInt8] {
        sodiumReady()
        var out = [UInt8](repeating: 0, count: count)
        out.withUnsafeMutableBytes { if let b = $0.baseAddress { randombytes_buf(b, $0.count) } }
        return out
    }

    /// Constant-time equality of two byte strings of the same length (different lengths are unequal).
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        sodiumReady()
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in sodium_memcmp(pa.baseAddress!, pb.baseAddress!, a.count) == 0 } }
    }

    /// Unkeyed BLAKE2b with a 64-byte output: what minisign's prehashed `ED` signatures sign.
    public static func blake2b512(_ message: [UInt8]) -> [UInt8] {
        sodiumReady()
        var out = [UInt8](repeating: 0, count: Int(crypto_generichash_BYTES_MAX))
        out.withUnsafeMutableBufferPointer { o in
            withPointer(message) { m, n in _ = crypto_generichash(o.baseAddress!, 64, m, UInt64(n), nil, 0) }
        }
        return out
    }

    /// BLAKE2b-256 over the concatenation of `parts` (minisign's secret-key checksum); the concatenation
    /// lives in wiped memory because the parts include the secret key.
    static func blake2b256(_ parts: [UnsafeRawBufferPointer]) -> [UInt8] {
        let total = parts.reduce(0) { $0 + $1.count }
        let joined = SecureBytes(count: total) { dst in
            var off = 0
            for p in parts where p.count > 0 { (dst.baseAddress! + off).copyMemory(from: p.baseAddress!, byteCount: p.count); off += p.count }
        }
        var out = [UInt8](repeating: 0, count: 32)
        joined.withUnsafeBytes { j in
            out.withUnsafeMutableBufferPointer { o in
                _ = crypto_generichash(o.baseAddress!, 32, j.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(j.count), nil, 0)
            }
        }
        return out
    }

    public static func sha512(_ message: [UInt8]) -> [UInt8] {
        sodiumReady()
        var out = [UInt8](repeating: 0, count: Int(crypto_hash_sha512_BYTES))
        out.withUnsafeMutableBufferPointer { o in withPointer(message) { m, n in _ = crypto_hash_sha512(o.baseAddress!, m, UInt64(n)) } }
        return out
    }
}

/// Runs `body` with a non-null pointer to `bytes` (libsodium's headers declare pointers nonnull, and an
/// empty array need not have storage): an empty input gets a pointer to a dummy byte and length 0.
@inline(__always)
func withPointer<R>(_ bytes: [UInt8], _ body: (UnsafePointer<UInt8>, Int) -> R) -> R {
    bytes.withUnsafeBufferPointer { b in
        if let base = b.baseAddress { return body(base, b.count) }
        var dummy: UInt8 = 0
        return withUnsafePointer(to: &dummy) { body($0, 0) }
    }
}
