import Intake
import Core
import CSodium
import Testing
import TestSupport
@testable import Anon

/// libsodium against libcrypto on Merkle leaves (0x00 ‖ 500 bytes, the median payload) and on 1 MB messages.
/// The law checked every run: both give the same digests. With ANON_SHA_MEASURE=1, under
/// `swift test -c release --filter SHA256Measure`, it times enough calls to print MB/s and ns/call.
@Suite("SHA256Measure", .serialized) struct SHA256Measure {
    @Test("libsodium and libcrypto agree on leaves and large messages", arguments: [500, 1 << 20])
    func measure(_ size: Int) {
        let talk = getenvString("ANON_SHA_MEASURE") != nil
        let calls = talk ? max(200, 500_000_000 / size) : 3
        let message = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }
        var sodiumOut = [UInt8](repeating: 0, count: 32), cryptoOut = sodiumOut
        let sodium = message.withUnsafeBytes { m in
            sodiumOut.withUnsafeMutableBufferPointer { o in time(calls) { sodiumLeaf(m, into: o.baseAddress!) } }
        }
        let crypto = message.withUnsafeBytes { m in
            cryptoOut.withUnsafeMutableBufferPointer { o in time(calls) { FastSHA256.hash(prefix: 0, m, into: o.baseAddress!) } }
        }
        #expect(sodiumOut == cryptoOut)
        if talk {
            for (name, s) in [("libsodium", sodium), ("libcrypto", crypto)] {
                print("MEASURE sha256 \(name) \(size) B: \(fmt(s / Double(calls) * 1e9)) ns/call \(fmt(Double(size * calls) / s / 1e6)) MB/s")
            }
            print("MEASURE sha256 \(size) B: libcrypto \(fmt(sodium / crypto))x libsodium")
        }
    }

    /// The leaf hash as Merkle computed it before libcrypto.
    private func sodiumLeaf(_ bytes: UnsafeRawBufferPointer, into out: UnsafeMutablePointer<UInt8>) {
        var st = crypto_hash_sha256_state()
        var zero: UInt8 = 0
        crypto_hash_sha256_init(&st)
        crypto_hash_sha256_update(&st, &zero, 1)
        crypto_hash_sha256_update(&st, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(bytes.count))
        crypto_hash_sha256_final(&st, out)
    }

    /// Seconds for `calls` runs of `body`; each run hashes the same input into the same output, which the
    /// compiler cannot drop because the C calls write through pointers.
    private func time(_ calls: Int, _ body: () -> Void) -> Double {
        body()
        let t0 = monotonic()
        for _ in 0..<calls { body() }
        return monotonic() - t0
    }

    private func fmt(_ x: Double) -> String {
        let tenths = Int((x * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
