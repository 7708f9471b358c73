// Times internals of the release builder that no end-to-end benchmark isolates (Benchmarks/README.md):
//
//   backpay-measure sha256              libcrypto's SHA-256 against libsodium's on Merkle leaves and 1 MB messages
//   backpay-measure suppression [N]     secondary suppression and its audit on an N×N random table (default 100)
//
// Each prints `MEASURE …` lines and exits 1 if the law it relies on fails (both digests equal; the
// suppressed table passes the independent audit), so a figure is never printed for a wrong answer.
import Core
import Anon
import CSodium
@testable import Intake
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func monotonic() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Seconds for `calls` runs of `body` after one warm-up run.
func time(_ calls: Int, _ body: () -> Void) -> Double {
    body()
    let t0 = monotonic()
    for _ in 0..<calls { body() }
    return monotonic() - t0
}

func fmt(_ x: Double) -> String {
    let tenths = Int((x * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
}

/// A line on standard error (through write(2): the C `stderr` global is not concurrency-safe in Swift 6).
func printError(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

func fail(_ message: String) -> Never {
    printError("backpay-measure: \(message)")
    exit(1)
}

/// A Merkle leaf (0x00 ‖ message) hashed by libsodium, as the builder did before libcrypto.
func sodiumLeaf(_ bytes: UnsafeRawBufferPointer, into out: UnsafeMutablePointer<UInt8>) {
    var st = crypto_hash_sha256_state()
    var zero: UInt8 = 0
    crypto_hash_sha256_init(&st)
    crypto_hash_sha256_update(&st, &zero, 1)
    crypto_hash_sha256_update(&st, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(bytes.count))
    crypto_hash_sha256_final(&st, out)
}

func measureSHA256() {
    guard sodium_init() >= 0 else { fail("libsodium did not initialise") }
    // 500 bytes is the median payload; 1 MB shows the bulk rate.
    for size in [500, 1 << 20] {
        let calls = max(200, 500_000_000 / size)
        let message = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }
        var sodiumOut = [UInt8](repeating: 0, count: 32), cryptoOut = sodiumOut
        let sodium = message.withUnsafeBytes { m in
            sodiumOut.withUnsafeMutableBufferPointer { o in time(calls) { sodiumLeaf(m, into: o.baseAddress!) } }
        }
        let crypto = message.withUnsafeBytes { m in
            cryptoOut.withUnsafeMutableBufferPointer { o in time(calls) { FastSHA256.hash(prefix: 0, m, into: o.baseAddress!) } }
        }
        guard sodiumOut == cryptoOut else { fail("libsodium and libcrypto disagree on a \(size)-byte leaf") }
        for (name, s) in [("libsodium", sodium), ("libcrypto", crypto)] {
            print("MEASURE sha256 \(name) \(size) B: \(fmt(s / Double(calls) * 1e9)) ns/call \(fmt(Double(size * calls) / s / 1e6)) MB/s")
        }
        print("MEASURE sha256 \(size) B: libcrypto \(fmt(sodium / crypto))x libsodium")
    }
}

/// An n×n table of (tool, model) cells, about 3 % of them below k = 5 members, with its margins.
func randomTable(_ n: Int) -> [Position: MeasureValues] {
    var state: UInt64 = 0x5EED
    func draw(_ r: ClosedRange<Int64>) -> Int64 {   // xorshift64*: reproducible, no dependency
        state ^= state >> 12; state ^= state << 25; state ^= state >> 27
        return r.lowerBound + Int64((state &* 0x2545_F491_4F6C_DD1D) % UInt64(r.upperBound - r.lowerBound + 1))
    }
    var vals: [Position: MeasureValues] = [:]
    for i in 0..<n {
        for j in 0..<n {
            var v = MeasureValues()
            v[.members] = draw(0...99) < 3 ? draw(1...4) : draw(5...60)
            v[.memberDays] = v[.members] * draw(1...7)
            for m in Measure.counters { v[m] = v[.members] * draw(1000...100000) }
            v[.sessions] = v[.memberDays] * 2
            for p in [Position.cell(tool: "t\(i)", model: "m\(j)"), .tool("t\(i)"), .model("m\(j)"), .total] {
                var a = vals[p] ?? MeasureValues()
                for m in Measure.allCases { a[m] += v[m] }
                vals[p] = a
            }
        }
    }
    return vals
}

func measureSuppression(_ n: Int) throws {
    let vals = randomTable(n)
    let table = LinkedTable(positions: Array(vals.keys))
    let values = table.positions.map { vals[$0]! }
    let policy = try Policy()
    var primaries: [Int] = [], req: [Int: [Measure: ProtectionRequirement]] = [:]
    for (i, v) in values.enumerated() where v[.members] < 5 {
        primaries.append(i)
        req[i] = PrimaryRules.requirements(value: v, dominance: [], status: PrimaryStatus(frequency: true, dominance: []), policy: policy)
    }
    let payloads = vals[.total]![.memberDays]
    var t0 = monotonic()
    let r = try SecondarySuppression.protect(table: table, values: values, primaries: primaries, requirements: req, k: 5,
                                             payloadCount: payloads) { round, exposed in print("MEASURE round \(round) exposed \(exposed) at \(fmt(monotonic() - t0))s") }
    let build = monotonic() - t0
    let published = PublishedTable(table: table, values: values.indices.map { r.suppressed[$0] ? nil : values[$0] }, payloadCount: payloads)
    t0 = monotonic()
    let audit = try TableAudit.intervals(published)
    let auditTime = monotonic() - t0
    let exposed = DisclosureCheck.exposures(table: table, intervals: audit.intervals, k: 5, requirements: req)
    guard audit.findings.isEmpty && exposed.isEmpty else { fail("the suppressed table does not pass the audit: \(exposed.map(\.message))") }
    // A fingerprint of the pattern and the audited intervals, to compare runs before and after a speed-up.
    var h: UInt64 = 0xcbf29ce484222325
    func mix(_ x: Int64) { h = (h ^ UInt64(bitPattern: x)) &* 0x100000001b3 }
    for (i, s) in r.suppressed.enumerated() where s { mix(Int64(i)) }
    for i in audit.intervals.keys.sorted() {
        for (m, v) in audit.intervals[i]!.sorted(by: { $0.key < $1.key }) { mix(Int64(i)); mix(Int64(m.rawValue)); mix(v.lo); mix(v.hi ?? -1) }
    }
    print("MEASURE fingerprint=\(String(h, radix: 16))")
    print("MEASURE positions=\(table.positions.count) primaries=\(primaries.count) suppressed=\(r.suppressed.filter { $0 }.count) rounds=\(r.rounds) build=\(fmt(build))s audit=\(fmt(auditTime))s intervals=\(audit.intervals.count)")
}

let args = Array(CommandLine.arguments.dropFirst())
switch args.first {
case "sha256" where args.count == 1:
    measureSHA256()
case "suppression" where args.count <= 2:
    guard let n = args.count == 2 ? Int(args[1]) : 100, n >= 2 else { fail("N must be a whole number ≥ 2") }
    do { try measureSuppression(n) } catch { fail("\(error)") }
default:
    printError("usage: backpay-measure sha256 | suppression [N]")
    exit(64)
}
