import Anon
import Core
import Dispatch
import Schema

/// Everything a release of one week is built from, once the rows are read: the week's table, the Merkle
/// root of its payloads, and what was left out and why.
public struct WeekInputs: Sendable {
    public let week: ISOWeek
    public let table: WeekTable
    /// RFC 6962 root over the canonical bytes of the week's payloads, ordered by (date, panelist).
    public var merkleRoot: [UInt8] { root.value }
    private let root: PendingDigest
    public let schemaVersions: [Int]
    /// Payloads for a week an earlier release already covers: reported, never published.
    public let late: SourceSample
    /// Payloads for other weeks (not yet released, or no previous release given).
    public let otherWeek: SourceSample
    /// Rows set aside (quarantine): invalid lines and every side of a conflict, in source order; empty
    /// when they went to the intake's `quarantineSink` instead.
    public let rejected: [RejectedLine]
    /// How many rows were set aside (kept in `rejected` or handed to the sink).
    public let rejectedCount: Int
    /// The leaves in release order with their members, when the intake was asked to keep them.
    public internal(set) var leaves: WeekLeaves?

    public var payloadCount: Int { table.payloadCount }

    /// The week's inputs from payloads already in memory (tests, library use). Payloads dated up to
    /// `lateThrough` (the previous release's Sunday) are late.
    /// - Throws: `AnonError.conflict` for two payloads with one (panelist, date), and what `WeekTable` throws.
    public init(payloads: [SourcedPayload], week: ISOWeek, lateThrough: CalendarDay? = nil) throws(AnonError) {
        var inWeek: [SourcedPayload] = [], late = SourceSample(), other = SourceSample()
        for sp in payloads {
            if week.contains(sp.payload.date) { inWeek.append(sp) }
            else if let last = lateThrough, sp.payload.date <= last { late.append(sp.source) }
            else { other.append(sp.source) }
        }
        inWeek.sort { ($0.payload.date, $0.payload.panelist) < ($1.payload.date, $1.payload.panelist) }
        var fold = MerkleFold()
        for sp in inWeek { fold.append(leafHash: sp.leaf.bytes) }
        self.week = week
        self.table = try WeekTable(week: week, payloads: inWeek.map(\.payload))
        self.root = PendingDigest(fold.root())
        self.schemaVersions = Set(inWeek.map(\.payload.schemaVersion)).sorted()
        self.late = late
        self.otherWeek = other
        self.rejected = []
        self.rejectedCount = 0
    }

    package init(week: ISOWeek, table: WeekTable, root: PendingDigest, schemaVersions: [Int], late: SourceSample, otherWeek: SourceSample,
         rejected: [RejectedLine], rejectedCount: Int) {
        self.week = week; self.table = table; self.root = root; self.schemaVersions = schemaVersions
        self.late = late; self.otherWeek = otherWeek; self.rejected = rejected; self.rejectedCount = rejectedCount
    }

    /// The quarantine file of the rejected rows.
    public func quarantineLines() -> [UInt8] { RejectedLine.quarantineFile(rejected) }
}

/// A digest computed on another thread, or already known; `value` waits for it.
package final class PendingDigest: @unchecked Sendable {
    private let group = DispatchGroup()
    private var result: [UInt8] = []

    package init(_ known: [UInt8]) { result = known }

    /// Runs `compute` on a global queue when `concurrently`, else at once.
    package init(concurrently: Bool, _ compute: @escaping @Sendable () -> [UInt8]) {
        guard concurrently else { result = compute(); return }
        group.enter()
        DispatchQueue.global().async { [self] in
            result = compute()
            group.leave()
        }
    }

    package func wait() { group.wait() }

    package var value: [UInt8] {
        group.wait()   // the write happens before `leave`, which happens before `wait` returns
        return result
    }
}

/// The week's leaves, handed to the thread that folds them once reading is over (nothing writes them then).
package struct LeafStore: @unchecked Sendable {
    package let keys: PagedArray<UInt64>
    package let hashes: PagedArray<InlineArray<32, UInt8>>
}

/// Reads payload JSON-lines files (the union's store export) for one week, aggregating while it reads:
/// every line goes through the payload validator, and a payload of the week is counted and hashed as soon
/// as it is valid, then forgotten. Memory grows with members and the cells they use, not with rows.
///
/// A bad line stops the reading unless `quarantine` is set; then it is kept in `rejected` with its error.
/// Two payloads for one (panelist, date) are a conflict: none of them can be trusted over the others, so
/// all are taken out again (a second read of the inputs, only when there is a conflict) and reported the
/// same way. Nothing is dropped silently. Standard input is copied to an unnamed scratch file as it is
/// read, for that second read: memory does not grow with it.
///
/// Rejected rows are kept in `rejected`, or, when `quarantineSink` is set, handed to it as they are found
/// (invalid rows in reading order, then the conflicts, in source order) and only counted, so that memory
/// does not grow with them either.
///
/// With `threads` above 1, lines are validated and hashed by that many workers, in batches, while this
/// thread reads the next batch and counts finished ones in line order: the result is the same, byte for
/// byte, whatever the number of threads.
public struct WeekIntake {
    public let week: ISOWeek
    public let lateThrough: CalendarDay?
    public let validator: PayloadValidator
    public let quarantine: Bool
    public let threads: Int
    /// Bytes of lines per batch handed to a worker (tests make it small to get many batches).
    package var batchBytes = LineBatch.targetBytes
    /// Keep the week's leaf hashes and their members in release order (`WeekInputs.leaves`), for proofs.
    public var keepsLeaves = false
    /// Whether the week's table keeps every member's own sums, which a `backpay-attacker/2` audit needs
    /// (memory: one record per member and position used).
    public var keepContributions: Bool {
        get { acc.keepContributions }
        set { acc.keepContributions = newValue }
    }

    private var decoder: PayloadDecoder
    /// The week's Monday, in days since 1970-01-01.
    private let monday: Int
    private var members = MemberIndex()
    /// Per member, bit d: a payload for day d of the week was read.
    private var daysSeen: [UInt8] = []
    private var acc: WeekAccumulator
    /// The week's payloads, in reading order: leaf hashes, and `member << 3 | day of week` to order them
    /// (apart, so that ordering reads 8 bytes a payload rather than 40).
    private let leafHashes = PagedArray<InlineArray<32, UInt8>>()
    private let leafKeys = PagedArray<UInt64>()
    /// (member, day) of payloads outside the week, to find conflicts there too.
    private var outsideSeen = Set<UInt64>()
    /// (member, day) read more than once.
    private var conflictKeys = Set<UInt64>()
    private var late = SourceSample()
    private var otherWeek = SourceSample()
    private var rejected: [RejectedLine] = []
    private var rejectedCount = 0
    /// Takes rejected rows instead of `rejected` (with `quarantine`).
    public var quarantineSink: ((RejectedLine) -> Void)?
    /// Sources of conflicting payloads, to take them out of the late and other-week lists, and how many
    /// of them each list counted.
    private var conflictSources = Set<Source>()
    private var lateConflicts = 0
    private var otherWeekConflicts = 0
    /// Standard input's copies, kept open until the intake goes.
    private var scratchFiles: [ScratchFile] = []
    private var versions = Set<Int>()
    private var lastVersion = -1
    private var inputs: [JSONLinesReader] = []
    private var names: [String] = []

    public init(validator: PayloadValidator, week: ISOWeek, lateThrough: CalendarDay? = nil, quarantine: Bool, threads: Int = 1) {
        guard let decoder = PayloadDecoder(schema: validator.root) else {
            preconditionFailure("the payload schema does not have the version 0 shape")
        }
        self.validator = validator
        self.week = week
        self.lateThrough = lateThrough
        self.quarantine = quarantine
        self.threads = max(1, threads)
        self.decoder = decoder
        self.monday = week.monday.daysSinceEpoch
        self.acc = WeekAccumulator(tools: decoder.tools, models: decoder.models)
    }

    /// Reads one file (`-` for standard input). `progress` gets the count of valid payloads so far.
    public mutating func read(path: String, displayName: String, progress: ((Int) -> Void)? = nil) throws(IntakeError) {
        let reader = JSONLinesReader(path: path, maxLineBytes: validator.limits.maxBytes)
        var copy: ScratchFile? = nil
        if path == "-" {
            do { copy = try ScratchFile() } catch { throw .file(error) }
            scratchFiles.append(copy!)
            inputs.append(JSONLinesReader(scratch: copy!, path: path, maxLineBytes: validator.limits.maxBytes))
        } else {
            inputs.append(reader)
        }
        names.append(displayName)
        var counter = Counter(file: displayName, progress: progress)
        do { try readBlocks(reader, copyingTo: copy, &counter) } catch { throw .file(error) }
        if let r = counter.stop { throw .invalid(r) }
    }

    /// The reading order's state for one file: where it stopped and how many payloads it counted.
    package struct Counter {
        package let file: String
        package let progress: ((Int) -> Void)?
        package var valid = 0
        package var stop: RejectedLine? = nil
    }

    /// Reads blocks of whole lines and counts them in order. With one thread each block is examined here;
    /// with more, blocks go round-robin to `threads` serial queues (one examiner each), which split and
    /// examine them while this thread reads the next block into a batch of its own and counts finished
    /// batches in order, keeping at most two batches per worker in flight.
    private mutating func readBlocks(_ reader: JSONLinesReader, copyingTo copy: ScratchFile?, _ counter: inout Counter) throws(FileError) {
        let examiners = (0..<threads).map { _ in ExaminerBox(LineExaminer(validator: validator, decoder: decoder, monday: monday)) }
        let queues = threads > 1 ? (0..<threads).map { DispatchQueue(label: "backpay.intake.\($0)") } : []
        var blocks = try LineBlocks(reader, copyingTo: copy)
        defer { blocks.close() }
        var inFlight: [(batch: LineBatch, done: DispatchSemaphore?)] = []
        var spare: [LineBatch] = []
        var next = 0
        var nextLine = 1
        let size = batchBytes, maxLine = validator.limits.maxBytes
        defer { for f in inFlight { f.done?.wait() } }   // never leave a worker reading a batch we drop
        /// Counts the oldest batch in flight; false once a line stopped the reading.
        func countOldest() -> Bool {
            let (batch, done) = inFlight.removeFirst()
            done?.wait()
            var exams = batch.takeExams()
            let more = count(&exams, firstLine: nextLine, &counter) { batch.lineBytes(Int($0)) }
            nextLine += batch.lineCount
            batch.giveBack(exams)
            spare.append(batch)
            return more
        }
        while true {
            let batch = spare.popLast() ?? LineBatch(targetBytes: size, maxLineBytes: maxLine)
            guard let block = try blocks.fill(batch.buffer, target: batch.targetBytes) else { break }
            switch block {
            case .lines(let end): (batch.count, batch.tooLongLine) = (end, 0)
            case .tooLong(let length): (batch.count, batch.tooLongLine) = (0, length)
            }
            let box = examiners[next % examiners.count]
            if queues.isEmpty {
                box.examine(batch)
                inFlight.append((batch, nil))
            } else {
                let done = DispatchSemaphore(value: 0)
                queues[next % queues.count].async { box.examine(batch); done.signal() }
                inFlight.append((batch, done))
            }
            next += 1
            while inFlight.count > 2 * queues.count {
                if !countOldest() { return }
            }
        }
        while !inFlight.isEmpty {
            if !countOldest() { return }
        }
    }

    /// Counts examined lines in line order: payloads go into the week's sums (or the late and other-week
    /// lists), rejected lines into `rejected`. False when a rejected line stops the reading (no quarantine).
    /// (`exams` is inout only so that it is read in place: passed by value from a closure's capture, its
    /// nine arrays would be retained and released for every line.)
    private mutating func count(_ exams: inout LineExams, firstLine: Int, _ counter: inout Counter,
                                bytes: (Int32) -> [UInt8]) -> Bool {
        var r = 0
        func reject(_ i: Int) -> Bool {
            let x = exams.rejected[i]
            let line = RejectedLine(source: Source(file: counter.file, line: firstLine + Int(x.line)), error: x.error(firstLine: firstLine), bytes: x.bytes)
            if !quarantine { counter.stop = line; return false }
            setAside(line)
            return true
        }
        for p in 0..<exams.lines.count {
            while r < exams.rejected.count, exams.rejected[r].line < exams.lines[p] {
                if !reject(r) { return false }
                r += 1
            }
            let lineNo = firstLine + Int(exams.lines[p])
            if let error = countPayload(exams, p, source: Source(file: counter.file, line: lineNo), lineNo: lineNo) {
                let line = RejectedLine(source: Source(file: counter.file, line: lineNo), error: error, bytes: bytes(exams.lines[p]))
                if !quarantine { counter.stop = line; return false }
                setAside(line)
            } else {
                counter.valid += 1
                if counter.valid & 0x3FF == 0 { counter.progress?(counter.valid) }
            }
        }
        while r < exams.rejected.count {
            if !reject(r) { return false }
            r += 1
        }
        return true
    }

    private mutating func setAside(_ line: RejectedLine) {
        rejectedCount += 1
        if let quarantineSink { quarantineSink(line) } else { rejected.append(line) }
    }

    /// Counts payload `p` of `exams`; returns why it was refused, or nil.
    private mutating func countPayload(_ exams: borrowing LineExams, _ p: Int, source: @autoclosure () -> Source, lineNo: Int) -> String? {
        let member = members.intern(exams.high[p], exams.low[p])
        if member == daysSeen.count { daysSeen.append(0) }
        let day = Int(exams.days[p])
        let key = UInt64(member) << 24 | UInt64(day & 0xFF_FFFF)
        let offset = day - monday
        guard (0..<7).contains(offset) else {
            if !outsideSeen.insert(key).inserted { conflictKeys.insert(key) }
            if let last = lateThrough, day <= last.daysSinceEpoch { late.append(source()) } else { otherWeek.append(source()) }
            return nil
        }
        // Counted now; taken out again at the end if the (panelist, date) turns out to conflict.
        let first = p == 0 ? 0 : Int(exams.entryEnds[p - 1])
        do {
            try exams.entries.withUnsafeBufferPointer { all throws(AnonError) in
                try acc.add(member: member, entries: UnsafeBufferPointer(rebasing: all[first..<Int(exams.entryEnds[p])]), sign: 1,
                            payload: (members.text(member), CalendarDay(daysSinceEpoch: day)))
            }
        } catch {
            return "\(lineNo):1: (root): \(error)"
        }
        if daysSeen[member] & (1 << offset) != 0 { conflictKeys.insert(key) }
        daysSeen[member] |= 1 << offset
        let version = Int(exams.versions[p])
        if version != lastVersion { versions.insert(version); lastVersion = version }
        leafHashes.append(exams.leaves[p])
        leafKeys.append(UInt64(member) << 3 | UInt64(offset))
        return nil
    }

    /// Sets conflicting payloads aside and returns the week's inputs, once every file is read (call it
    /// once). Without quarantine the first conflict (in source order) is an error.
    public mutating func finish() throws(IntakeError) -> WeekInputs {
        let conflicted = try resolveConflicts()
        // The root is folded on another thread (when there are workers) while the table is made and the
        // release protected; reading `merkleRoot` waits for it.
        let leaves = LeafStore(keys: leafKeys, hashes: leafHashes)
        let (members, monday) = (self.members, self.monday)
        let concurrently = threads > 1, threads = self.threads
        // With `keepsLeaves` the order is worked out here, once, for both the root and the leaves kept.
        let known = keepsLeaves ? Self.releaseOrder(leaves.keys, members: members, monday: monday, conflicted: conflicted) : nil
        let root = PendingDigest(concurrently: concurrently) {
            let order = known ?? Self.releaseOrder(leaves.keys, members: members, monday: monday, conflicted: conflicted)
            @Sendable func fold(_ range: Range<Int>) -> [UInt8] {
                var f = MerkleFold()
                // Hashes are gathered a chunk at a time before they are folded: the gathering loads do not
                // depend on each other, so their cache misses overlap (the leaves are read in a random
                // order, hundreds of megabytes at 10^7 entries). Every chunk but the last is a perfect
                // subtree of 256 leaves (the range starts at a split point), hashed a level at a time.
                var chunk = [InlineArray<32, UInt8>](repeating: InlineArray(repeating: 0), count: 256)
                var j = range.lowerBound
                while j < range.upperBound {
                    let n = min(chunk.count, range.upperBound - j)
                    for c in 0..<n { chunk[c] = leaves.hashes[Int(order[j + c])] }
                    chunk.withUnsafeMutableBufferPointer { f.append(chunk: .init(rebasing: $0[0..<n])) }
                    j += n
                }
                return f.root()
            }
            return concurrently ? Merkle.treeHash(of: 0..<order.count, pieces: 4 * threads, fold: fold) : fold(0..<order.count)
        }
        let table: WeekTable
        do { table = try acc.table(week: week) } catch { root.wait(); throw .aggregate(error) }
        // Only payloads are in the late and other-week lists: of the rejected rows, only conflicts can be.
        var inputs = WeekInputs(week: week, table: table, root: root, schemaVersions: versions.sorted(),
                          late: late.removing(conflictSources, count: lateConflicts),
                          otherWeek: otherWeek.removing(conflictSources, count: otherWeekConflicts),
                          rejected: rejected.sorted { $0.source < $1.source }, rejectedCount: rejectedCount)
        if let known { inputs.leaves = WeekLeaves(order: known, store: leaves, members: members) }
        return inputs
    }

    /// Positions of the week's leaves (in `keys`) in the release's order, (date, panelist), so that the root
    /// does not depend on the export's line order; conflicts left out. Each (day, member) is unique once
    /// conflicts are out, so its rank is a slot in a day-major array.
    package static func releaseOrder(_ keys: PagedArray<UInt64>, members: MemberIndex, monday: Int, conflicted: Set<UInt64>) -> [Int32] {
        let rank = members.ranks()
        let m = members.count
        var slots = [Int32](repeating: -1, count: 7 * m)
        for i in 0..<keys.count {
            let key = keys[i]
            let member = Int(key >> 3), day = Int(key & 7)
            if !conflicted.isEmpty, conflicted.contains(UInt64(member) << 24 | UInt64((monday + day) & 0xFF_FFFF)) { continue }
            slots[day * m + Int(rank[member])] = Int32(truncatingIfNeeded: i)
        }
        return slots.filter { $0 >= 0 }
    }

    /// Reads the inputs again to find every payload of a conflicting (panelist, date), takes those of the
    /// week out of the sums and rejects them all. Returns the conflicting keys.
    private mutating func resolveConflicts() throws(IntakeError) -> Set<UInt64> {
        guard !conflictKeys.isEmpty else { return [] }
        var found: [UInt64: [(source: Source, bytes: [UInt8])]] = [:]
        for (reader, name) in zip(inputs, names) {
            do {
                try reader.forEachLine { lineNo, line in
                    guard case .bytes(let b) = line else { return true }
                    let report = validator.check(b, decoder: &decoder)
                    defer { decoder.reset() }
                    guard report.isValid, let date = decoder.date,
                          let (h, l) = decoder.panelistBytes.withUnsafeBytes({ MemberIndex.words($0) }),
                          let member = members.find(h, l) else { return true }
                    let key = UInt64(member) << 24 | UInt64(date.daysSinceEpoch & 0xFF_FFFF)
                    guard conflictKeys.contains(key) else { return true }
                    if week.contains(date) {
                        // A payload the first read refused was never counted, nor part of the conflict.
                        do { try acc.add(member: member, entries: decoder.entries, sign: -1, payload: (members.text(member), date)) } catch { return true }
                    }
                    let bytes = report.isCanonical ? Array(b) : decoder.canonicalBytes(orLine: b)
                    found[key, default: []].append((Source(file: name, line: lineNo), bytes))
                    return true
                }
            } catch let e as FileError {
                throw .file(e)
            } catch {
                throw .file(.cannotRead(path: name, reason: "\(error)"))
            }
        }
        for (key, group) in found.sorted(by: { $0.value[0].source < $1.value[0].source }) {
            let member = Int(key >> 24)
            let date = CalendarDay(daysSinceEpoch: Int(key & 0xFF_FFFF))
            for (i, g) in group.enumerated() {
                let others = group.indices.filter { $0 != i }.map { group[$0].source.description }.joined(separator: ", ")
                let r = RejectedLine(source: g.source, error: "conflict: another payload for panelist \(members.text(member)) on \(date) at \(others)", bytes: g.bytes)
                if !quarantine { throw .conflict(r) }
                conflictSources.insert(g.source)
                if !week.contains(date) {
                    if let last = lateThrough, date <= last { lateConflicts += 1 } else { otherWeekConflicts += 1 }
                }
                setAside(r)
            }
        }
        return conflictKeys
    }
}

/// The week's Merkle leaves in the release's order (the order `inputs.merkle_root` is built in), with the
/// member and day of each: what inclusion proofs for members are made from. 37 bytes a leaf, plus each
/// member's panelist id; never the payloads' bytes.
public struct WeekLeaves: Sendable {
    /// Leaf hashes, 32 bytes each, back to back.
    public let hashes: [UInt8]
    /// Per leaf: its member's number (an index into `panelists`).
    public let members: [Int32]
    /// Per leaf: the day of the week, 0 for Monday.
    public let days: [UInt8]
    /// Per member number: the panelist id (lower-case UUID text).
    public let panelists: [String]

    public var count: Int { members.count }

    package init(order: [Int32], store: LeafStore, members index: MemberIndex) {
        var h = [UInt8](repeating: 0, count: 32 * order.count)
        var m = [Int32](), d = [UInt8]()
        m.reserveCapacity(order.count); d.reserveCapacity(order.count)
        h.withUnsafeMutableBytes { out in
            for (j, i) in order.enumerated() {
                var leaf = store.hashes[Int(i)]
                withUnsafeBytes(of: &leaf) { (out.baseAddress! + 32 * j).copyMemory(from: $0.baseAddress!, byteCount: 32) }
                let key = store.keys[Int(i)]
                m.append(Int32(truncatingIfNeeded: key >> 3))
                d.append(UInt8(truncatingIfNeeded: key & 7))
            }
        }
        hashes = h; members = m; days = d
        panelists = (0..<index.count).map(index.text)
    }
}
