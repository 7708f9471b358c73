import Anon
import Core
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Schema

/// What can be learned from a line of the store export without the intake's shared state, so that it can
/// run on any thread: is it a valid payload, and if so its member's UUID as two words, its day, version,
/// entries and, for a payload of the week being built, its Merkle leaf. The order-dependent part (members,
/// conflicts, sums) stays with `WeekIntake`, which counts examined lines in line order.
package struct LineExaminer {
    package let validator: PayloadValidator
    package var decoder: PayloadDecoder
    /// The week's Monday in days since 1970-01-01: only the week's payloads are hashed.
    package let monday: Int
    /// Canonical lines of the week examined since the last `hashLeaves`, pointing into the batch.
    private var pendingLeaves = PendingLeaves()
    private var lastDay = (date: CalendarDay(daysSinceEpoch: 0), days: 0)

    package init(validator: PayloadValidator, decoder: PayloadDecoder, monday: Int) {
        self.validator = validator
        self.decoder = decoder
        self.monday = monday
    }

    /// Hashes the leaves of the canonical lines examined since the last call into their slots of
    /// `exams.leaves`. Call it while the lines' bytes are still in place: at the end of each batch.
    package mutating func hashLeaves(into exams: inout LineExams) {
        pendingLeaves.hash(into: &exams.leaves)
    }

    /// Examines the `index`-th line of its batch into `exams`. Errors carry their position relative to
    /// the line (the batch's first line number is known only when batches are counted in order).
    package mutating func examine(_ line: JSONLinesReader.Line, index: Int32, into exams: inout LineExams) {
        guard case .bytes(let b) = line else {
            guard case .tooLong(let n) = line else { return }
            exams.reject(index, 0, 1, "(root): line of \(n) bytes is larger than the \(validator.limits.maxBytes >> 10) KiB payload limit", [])
            return
        }
        if b.isEmpty || b.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
            // A blank line carries no payload but is still not silently skipped.
            exams.reject(index, 0, 1, "(root): blank line: one payload per line is expected", Array(b))
            return
        }
        let report = validator.check(b, decoder: &decoder)
        defer { decoder.reset() }
        guard report.isValid, let date = decoder.date else {
            let v = report.violations.first!
            exams.reject(index, Int32(v.location.line - 1), Int32(v.location.column), "\(v.pointer.display): \(v.message)", Array(b))
            return
        }
        guard let (h, l) = decoder.panelistBytes.withUnsafeBytes({ MemberIndex.words($0) }) else {
            exams.reject(index, 0, 1, "/panelist: panelist is not a UUID; the release builder keys members by UUID", Array(b))
            return
        }
        // An export holds few distinct days, mostly in runs: remember the last one worked out.
        if date != lastDay.date { lastDay = (date, date.daysSinceEpoch) }
        let day = lastDay.days
        var leaf = InlineArray<32, UInt8>(repeating: 0)
        if (0..<7).contains(day - monday) {
            // A canonical line is its payload's canonical bytes: it is hashed as read, with the batch's
            // other canonical lines (`hashLeaves`), several at a time.
            if report.isCanonical {
                pendingLeaves.append(b, slot: exams.leaves.count)
            } else {
                leaf = MerkleLeaf(canonicalBytes: decoder.canonicalBytes(orLine: b)).bytes
            }
        }
        exams.lines.append(index)
        exams.high.append(h)
        exams.low.append(l)
        exams.days.append(Int32(truncatingIfNeeded: day))
        exams.versions.append(Int32(truncatingIfNeeded: decoder.version))
        exams.entries.append(contentsOf: decoder.entries)
        exams.entryEnds.append(Int32(exams.entries.count))
        exams.leaves.append(leaf)
    }
}

/// Lines waiting for their Merkle leaf, so that a batch's leaves are hashed together: four messages at a
/// time keep the CPU's SHA unit busy where one leaves it waiting (`FastSHA256.hash(prefix:each:…)`).
package struct PendingLeaves {
    private var starts: [UnsafePointer<UInt8>?] = []
    private var lengths: [Int] = []
    private var slots: [Int] = []
    private var digests: [UInt8] = []

    /// `bytes` must stay valid until the next `hash(into:)`.
    package mutating func append(_ bytes: UnsafeRawBufferPointer, slot: Int) {
        starts.append(bytes.baseAddress?.assumingMemoryBound(to: UInt8.self))
        lengths.append(bytes.count)
        slots.append(slot)
    }

    /// Writes SHA-256(0x00 ‖ line) into `leaves[slot]` for each line appended, and forgets them.
    package mutating func hash(into leaves: inout [InlineArray<32, UInt8>]) {
        let n = starts.count
        guard n > 0 else { return }
        if digests.count < 32 * n { digests = [UInt8](repeating: 0, count: 32 * n) }
        digests.withUnsafeMutableBufferPointer { d in
            FastSHA256.hash(prefix: 0, each: starts, lengths: lengths, count: n, into: d.baseAddress!)
            leaves.withUnsafeMutableBufferPointer { out in
                let raw = UnsafeMutableRawPointer(out.baseAddress!)
                let stride = MemoryLayout<InlineArray<32, UInt8>>.stride
                for i in 0..<n { (raw + stride * slots[i]).copyMemory(from: d.baseAddress! + 32 * i, byteCount: 32) }
            }
        }
        starts.removeAll(keepingCapacity: true)
        lengths.removeAll(keepingCapacity: true)
        slots.removeAll(keepingCapacity: true)
    }
}

/// Examined lines of one batch, in line order: valid payloads in parallel arrays, rejected lines apart.
/// A value (not a class) so that the per-line appends need no run-time exclusivity checks.
package struct LineExams {
    /// Per valid payload: its line's index in the batch, member words, day (since 1970-01-01), schema
    /// version, the end of its entries in `entries`, and its leaf (zero outside the week).
    package var lines: [Int32] = []
    package var high: [UInt64] = []
    package var low: [UInt64] = []
    package var days: [Int32] = []
    package var versions: [Int32] = []
    package var entryEnds: [Int32] = []
    package var entries: [PayloadDecoder.Entry] = []
    package var leaves: [InlineArray<32, UInt8>] = []
    /// Rejected lines: index in the batch, where in the line (lines after its first, column), what is
    /// wrong (`POINTER: message`) and the line's bytes.
    package var rejected: [Rejection] = []

    package struct Rejection {
        package var line: Int32
        package var lineOffset: Int32
        package var column: Int32
        package var detail: String
        package var bytes: [UInt8]

        /// `LINE:COL: POINTER: message`, with the file's line numbers.
        package func error(firstLine: Int) -> String { "\(firstLine + Int(line) + Int(lineOffset)):\(column): \(detail)" }
    }

    package mutating func reject(_ index: Int32, _ lineOffset: Int32, _ column: Int32, _ detail: String, _ bytes: [UInt8]) {
        rejected.append(Rejection(line: index, lineOffset: lineOffset, column: column, detail: detail, bytes: bytes))
    }

    package mutating func removeAll() {
        lines.removeAll(keepingCapacity: true); high.removeAll(keepingCapacity: true); low.removeAll(keepingCapacity: true)
        days.removeAll(keepingCapacity: true); versions.removeAll(keepingCapacity: true); entryEnds.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true); leaves.removeAll(keepingCapacity: true); rejected.removeAll(keepingCapacity: true)
    }
}

/// A block of whole lines read straight into a buffer of its own, for a worker to split and examine
/// while the reader fills the next one. The counting thread gives it its first line number.
package final class LineBatch: @unchecked Sendable {
    /// About 1 MiB of lines: large enough that handing a batch over costs nothing next to examining it,
    /// small enough that the batches in flight stay a few MiB.
    package static let targetBytes = 1 << 20

    /// Bytes to read before looking for the last line end; the buffer has room for two payloads more,
    /// so a line within the payload limit always fits in one batch.
    package let targetBytes: Int
    package let buffer: UnsafeMutableRawBufferPointer
    /// Bytes of whole lines in `buffer` (the last one ends without a newline only at the end of input).
    package var count = 0
    /// When positive, the batch is one line too long to hold, of that many bytes, and `count` is 0.
    package var tooLongLine = 0
    /// Set by the worker: where each line starts (lines end at the next start - 1, or `count`).
    private(set) var lineStarts: [Int32] = []
    private(set) var lineCount = 0
    /// Written by one worker, then read by the counting thread once the worker has signalled.
    private(set) var exams = LineExams()

    package init(targetBytes: Int = LineBatch.targetBytes, maxLineBytes: Int) {
        self.targetBytes = max(1, targetBytes)
        buffer = .allocate(byteCount: LineBlocks.bufferBytes(target: self.targetBytes, maxLineBytes: maxLineBytes), alignment: 16)
    }

    deinit { buffer.deallocate() }

    /// Splits and examines every line with `examiner` (on the worker's thread). Works on local copies: a
    /// class's stored properties would be checked for exclusive access on every line.
    package func examine(with examiner: inout LineExaminer) {
        var out = LineExams()
        swap(&out, &exams)
        var starts: [Int32] = []
        swap(&starts, &lineStarts)
        starts.removeAll(keepingCapacity: true)
        if tooLongLine > 0 {
            starts.append(0)
            examiner.examine(.tooLong(tooLongLine), index: 0, into: &out)
        } else {
            let base = UnsafeRawBufferPointer(buffer)
            let end = count, maxLine = examiner.validator.limits.maxBytes
            var start = 0
            while start < end {
                let stop = memchr(base.baseAddress! + start, 0x0A, end - start).map { base.baseAddress!.distance(to: UnsafeRawPointer($0)) } ?? end
                let index = Int32(starts.count)
                starts.append(Int32(start))
                let line: JSONLinesReader.Line = stop - start > maxLine ? .tooLong(stop - start) : .bytes(UnsafeRawBufferPointer(rebasing: base[start..<stop]))
                examiner.examine(line, index: index, into: &out)
                start = stop + 1
            }
        }
        examiner.hashLeaves(into: &out)
        lineCount = starts.count
        swap(&starts, &lineStarts)
        swap(&out, &exams)
    }

    /// The bytes of line `i` (empty for a line too long to keep).
    package func lineBytes(_ i: Int) -> [UInt8] {
        guard tooLongLine == 0 else { return [] }
        let start = Int(lineStarts[i])
        let stop = i + 1 < lineStarts.count ? Int(lineStarts[i + 1]) - 1 : (count > 0 && buffer[count - 1] == 0x0A ? count - 1 : count)
        return Array(UnsafeRawBufferPointer(rebasing: buffer[start..<stop]))
    }

    /// The examined lines, for the counting thread (then `giveBack`, so their buffers are reused).
    package func takeExams() -> LineExams {
        var out = LineExams()
        swap(&out, &exams)
        return out
    }

    package func giveBack(_ e: LineExams) {
        exams = e
        exams.removeAll()
    }
}

/// One worker's examiner, used only on that worker's serial queue.
package final class ExaminerBox: @unchecked Sendable {
    private var examiner: LineExaminer
    package init(_ examiner: LineExaminer) { self.examiner = examiner }
    package func examine(_ batch: LineBatch) { batch.examine(with: &examiner) }
}

/// The processors this process may run on, at least 1. On Linux this is its affinity mask (so `taskset`
/// and container CPU sets are honoured), read from /proc/self/status because glibc declares
/// `sched_getaffinity` only under _GNU_SOURCE, which Swift does not set.
public func availableProcessors() -> Int {
    #if os(Linux)
    if let status = try? Files.read("/proc/self/status", limit: 1 << 20) {
        for line in String(decoding: status, as: UTF8.self).split(separator: "\n") where line.hasPrefix("Cpus_allowed:") {
            let n = line.dropFirst("Cpus_allowed:".count).reduce(0) { n, c in n + (c.hexDigitValue?.nonzeroBitCount ?? 0) }
            if n > 0 { return n }
        }
    }
    #endif
    return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
}
