import Schema

/// Everything a release of one week is built from, once the rows are read: the week's table, the Merkle
/// root of its payloads, and what was left out and why.
public struct WeekInputs: Sendable {
    public let week: ISOWeek
    public let table: WeekTable
    /// RFC 6962 root over the canonical bytes of the week's payloads, ordered by (date, panelist).
    public let merkleRoot: [UInt8]
    public let schemaVersions: [Int]
    /// Payloads for a week an earlier release already covers: reported, never published.
    public let late: [Source]
    /// Payloads for other weeks (not yet released, or no previous release given).
    public let otherWeek: [Source]
    /// Rows set aside (quarantine): invalid lines and every side of a conflict, in source order.
    public let rejected: [RejectedLine]

    public var payloadCount: Int { table.payloadCount }

    /// The week's inputs from payloads already in memory (tests, library use). Payloads dated up to
    /// `lateThrough` (the previous release's Sunday) are late.
    /// - Throws: `AnonError.conflict` for two payloads with one (panelist, date), and what `WeekTable` throws.
    public init(payloads: [SourcedPayload], week: ISOWeek, lateThrough: CalendarDay? = nil) throws(AnonError) {
        var inWeek: [SourcedPayload] = [], late: [Source] = [], other: [Source] = []
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
        self.merkleRoot = fold.root()
        self.schemaVersions = Set(inWeek.map(\.payload.schemaVersion)).sorted()
        self.late = late
        self.otherWeek = other
        self.rejected = []
    }

    init(week: ISOWeek, table: WeekTable, merkleRoot: [UInt8], schemaVersions: [Int], late: [Source], otherWeek: [Source], rejected: [RejectedLine]) {
        self.week = week; self.table = table; self.merkleRoot = merkleRoot; self.schemaVersions = schemaVersions
        self.late = late; self.otherWeek = otherWeek; self.rejected = rejected
    }

    /// The quarantine file of the rejected rows.
    public func quarantineLines() -> [UInt8] { RejectedLine.quarantineFile(rejected) }
}

/// Reads payload JSON-lines files (the union's store export) for one week, aggregating while it reads:
/// every line goes through the payload validator, and a payload of the week is counted and hashed as soon
/// as it is valid, then forgotten. Memory grows with members and the cells they use, not with rows.
///
/// A bad line stops the reading unless `quarantine` is set; then it is kept in `rejected` with its error.
/// Two payloads for one (panelist, date) are a conflict: none of them can be trusted over the others, so
/// all are taken out again (a second read of the inputs, only when there is a conflict) and reported the
/// same way. Nothing is dropped silently. Standard input is held in memory for that second read.
public struct WeekIntake {
    public let week: ISOWeek
    public let lateThrough: CalendarDay?
    public let validator: PayloadValidator
    public let quarantine: Bool

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
    private var late: [Source] = []
    private var otherWeek: [Source] = []
    private var rejected: [RejectedLine] = []
    private var versions = Set<Int>()
    private var lastVersion = -1
    private var inputs: [JSONLinesReader] = []
    private var names: [String] = []

    public init(validator: PayloadValidator, week: ISOWeek, lateThrough: CalendarDay? = nil, quarantine: Bool) {
        guard let decoder = PayloadDecoder(schema: validator.root) else {
            preconditionFailure("the payload schema does not have the version 0 shape")
        }
        self.validator = validator
        self.week = week
        self.lateThrough = lateThrough
        self.quarantine = quarantine
        self.decoder = decoder
        self.monday = week.monday.daysSinceEpoch
        self.acc = WeekAccumulator(tools: decoder.tools, models: decoder.models)
    }

    /// Reads one file (`-` for standard input). `progress` gets the count of valid payloads so far.
    public mutating func read(path: String, displayName: String, progress: ((Int) -> Void)? = nil) throws(IntakeError) {
        let reader: JSONLinesReader
        if path == "-" {
            do { reader = JSONLinesReader(bytes: try Files.read("-", limit: .max), path: "-", maxLineBytes: validator.limits.maxBytes) }
            catch { throw .file(error) }
        } else {
            reader = JSONLinesReader(path: path, maxLineBytes: validator.limits.maxBytes)
        }
        inputs.append(reader)
        names.append(displayName)
        var stop: RejectedLine? = nil
        var valid = 0
        do {
            try reader.forEachLine { lineNo, line in
                if let r = take(line, lineNo: lineNo, source: Source(file: displayName, line: lineNo)) {
                    if !quarantine { stop = r; return false }
                    rejected.append(r)
                } else {
                    valid += 1
                    if valid & 0x3FF == 0 { progress?(valid) }
                }
                return true
            }
        } catch let e as FileError {
            throw .file(e)
        } catch {
            throw .file(.cannotRead(path: displayName, reason: "\(error)"))
        }
        if let r = stop { throw .invalid(r) }
    }

    /// Validates one line and counts it; returns why it was rejected, or nil.
    private mutating func take(_ line: JSONLinesReader.Line, lineNo: Int, source: @autoclosure () -> Source) -> RejectedLine? {
        guard case .bytes(let b) = line else {
            guard case .tooLong(let n) = line else { return nil }
            return RejectedLine(source: source(), error: "\(lineNo):1: (root): line of \(n) bytes is larger than the \(validator.limits.maxBytes >> 10) KiB payload limit", bytes: [])
        }
        if b.isEmpty || b.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
            // A blank line carries no payload but is still not silently skipped.
            return RejectedLine(source: source(), error: "\(lineNo):1: (root): blank line: one payload per line is expected", bytes: Array(b))
        }
        let report = validator.check(b, decoder: &decoder)
        defer { decoder.reset() }
        guard report.isValid, let date = decoder.date else {
            let v = report.violations.first!
            return RejectedLine(source: source(), error: "\(lineNo + v.location.line - 1):\(v.location.column): \(v.pointer.display): \(v.message)", bytes: Array(b))
        }
        guard let (h, l) = decoder.panelistBytes.withUnsafeBytes({ MemberIndex.words($0) }) else {
            return RejectedLine(source: source(), error: "\(lineNo):1: /panelist: panelist is not a UUID; the release builder keys members by UUID", bytes: Array(b))
        }
        let member = members.intern(h, l)
        if member == daysSeen.count { daysSeen.append(0) }
        let day = date.daysSinceEpoch
        let key = UInt64(member) << 24 | UInt64(day & 0xFF_FFFF)
        let offset = day - monday
        guard (0..<7).contains(offset) else {
            if !outsideSeen.insert(key).inserted { conflictKeys.insert(key) }
            if let last = lateThrough, date <= last { late.append(source()) } else { otherWeek.append(source()) }
            return nil
        }
        // Counted now; taken out again at the end if the (panelist, date) turns out to conflict.
        do {
            try acc.add(member: member, entries: decoder.entries, sign: 1, payload: (members.text(member), date))
        } catch {
            return RejectedLine(source: source(), error: "\(lineNo):1: (root): \(error)", bytes: Array(b))
        }
        if daysSeen[member] & (1 << offset) != 0 { conflictKeys.insert(key) }
        daysSeen[member] |= 1 << offset
        if decoder.version != lastVersion { versions.insert(decoder.version); lastVersion = decoder.version }
        // A canonical line is its payload's canonical bytes: hash it as read.
        let leaf = report.isCanonical ? MerkleLeaf(hashing: b) : MerkleLeaf(canonicalBytes: canonicalBytes(of: b))
        leafHashes.append(leaf.bytes)
        leafKeys.append(UInt64(member) << 3 | UInt64(offset))
        return nil
    }

    /// The canonical bytes of the valid payload `decoder` has just read.
    private mutating func canonicalBytes(of line: UnsafeRawBufferPointer) -> [UInt8] {
        var copy = decoder
        return copy.take()?.canonicalBytes ?? Array(line)
    }

    /// Sets conflicting payloads aside and returns the week's inputs, once every file is read (call it
    /// once). Without quarantine the first conflict (in source order) is an error.
    public mutating func finish() throws(IntakeError) -> WeekInputs {
        let conflicted = try resolveConflicts()
        let table: WeekTable
        do { table = try acc.table(week: week) } catch { throw .aggregate(error) }
        // Leaves in (date, panelist) order, so the root does not depend on the export's line order: each
        // (day, member) is unique once conflicts are out, so its rank is a slot in a day-major array.
        let rank = members.ranks()
        let m = members.count
        var slots = [Int32](repeating: -1, count: 7 * m)
        for i in 0..<leafKeys.count {
            let key = leafKeys[i]
            let member = Int(key >> 3), day = Int(key & 7)
            if !conflicted.isEmpty, conflicted.contains(UInt64(member) << 24 | UInt64((monday + day) & 0xFF_FFFF)) { continue }
            slots[day * m + Int(rank[member])] = Int32(truncatingIfNeeded: i)
        }
        var fold = MerkleFold()
        for s in slots where s >= 0 { fold.append(leafHash: leafHashes[Int(s)]) }
        let drop = Set(rejected.map(\.source))
        return WeekInputs(week: week, table: table, merkleRoot: fold.root(), schemaVersions: versions.sorted(),
                          late: late.filter { !drop.contains($0) }, otherWeek: otherWeek.filter { !drop.contains($0) },
                          rejected: rejected.sorted { $0.source < $1.source })
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
                    let bytes = report.isCanonical ? Array(b) : canonicalBytes(of: b)
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
                rejected.append(r)
            }
        }
        return conflictKeys
    }
}
