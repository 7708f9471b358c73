#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Overwrites memory that held a secret (a key, a passphrase, a chunk of a key file) with zeros, in a way
/// the compiler may not elide as a dead store: `explicit_bzero` (glibc) or `memset_s` (C11 Annex K, Darwin).
/// The C library's own calls, so that Core and Schema need no crypto library for it.
public enum Secret {
    public static func wipe(_ bytes: UnsafeMutableRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        #if canImport(Darwin)
        _ = memset_s(base, bytes.count, 0, bytes.count)
        #else
        explicit_bzero(base, bytes.count)
        #endif
    }

    public static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { wipe($0) }
    }
}
