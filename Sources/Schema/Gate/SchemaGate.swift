import Core
/// `schema gate`: the CI rules of docs/ci-gate.md over a lock file and the schema files next to it.
///
/// - every locked file still has its locked fingerprint and its locked `schema_version`;
/// - locked versions are 0, 1, 2, … and each differs materially from the one before;
/// - at most one schema file next to the lock is unlocked: the proposed next version. It must pass
///   lint, differ materially from the newest locked version and carry exactly that version + 1; when
///   it does, `--update-lock` records it, otherwise the gate says precisely why not;
/// - with no proposal, the newest locked schema must pass lint.
///
/// The gate is pure: the caller lists the directory and supplies a reader, so tests can run it on
/// memory and the CLI on disk. Anything it cannot read is a `GateFailure` (exit 2), never a pass.
public struct SchemaGate {
    public struct Input {
        /// The lock file's name as shown in messages.
        public var lockName: String
        /// The lock's bytes; nil when it does not exist (allowed only when creating it).
        public var lockBytes: [UInt8]?
        /// Directory prefix of the lock (`schemas/`), prepended to the paths the lock names.
        public var directory: String
        /// File names in the lock's directory.
        public var listing: [String]
        public var read: (String) throws(FileError) -> [UInt8]
        public var today: CalendarDay
        public var updateLock: Bool
        /// Released files as they were at a baseline (`--against REF`): given a path, its bytes there, or
        /// nil. When a released file was edited, the changes since the baseline are listed.
        public var baseline: ((String) -> [UInt8]?)?
        /// How the baseline is named in messages (`origin/main`).
        public var baselineName: String

        public init(lockName: String, lockBytes: [UInt8]?, directory: String, listing: [String],
                    read: @escaping (String) throws(FileError) -> [UInt8], today: CalendarDay, updateLock: Bool,
                    baseline: ((String) -> [UInt8]?)? = nil, baselineName: String = "") {
            self.lockName = lockName; self.lockBytes = lockBytes; self.directory = directory; self.listing = listing
            self.read = read; self.today = today; self.updateLock = updateLock
            self.baseline = baseline; self.baselineName = baselineName
        }
    }

    public struct VersionRow: Sendable, Hashable {
        public let version: Int?
        public let path: String
        public let fingerprint: String
        /// "locked", "proposed" (passes, not yet locked) or "rejected".
        public let status: String
    }

    public struct Result: Sendable {
        public var findings: [Finding]
        public var versions: [VersionRow]
        /// The lock to write when `updateLock` was asked and the proposal passes.
        public var updatedLock: SchemaLock?
        /// With a baseline: the versions locked since it, and its name. Each one's changes against the
        /// version before it are among the findings.
        public var newlyLocked: (versions: [Int], since: String)? = nil
        public var passed: Bool { findings.errorCount == 0 }
    }

    public static func run(_ input: Input) throws(GateFailure) -> Result {
        if input.lockBytes == nil && !input.updateLock {
            throw .lockUnreadable(.cannotOpen(path: input.lockName, reason: "No such file or directory"))
        }
        var lock = SchemaLock()
        var lockLocations: [JSONPointer: SourceLocation] = [:]
        if let bytes = input.lockBytes {
            (lock, lockLocations) = try SchemaLock.parse(bytes)
        }
        var findings: [Finding] = []
        func lockFinding(_ rule: Rule, _ p: JSONPointer, _ msg: String) {
            findings.append(contentsOf: [Finding(rule: rule, pointer: p, message: msg)].located(file: input.lockName, locations: lockLocations))
        }
        var rows: [VersionRow] = []
        var lockedDocs: [SchemaDocument] = []

        for (i, e) in lock.entries.enumerated() {
            let p = JSONPointer(["versions", String(i)])
            if e.version != i {
                lockFinding(.lockNotConsecutive, p.appending("version"), "entry \(i) has version \(e.version); versions must be 0, 1, 2, … in order")
            }
            let doc = try load(input, e.path)
            lockedDocs.append(doc)
            let fp = try fingerprint(doc)
            if fp != e.fingerprint {
                var changes: [Finding] = []
                var since = ""
                if let baseline = input.baseline {
                    let full = input.directory + normalise(e.path)
                    if let bytes = baseline(full), let old = try? SchemaDocument(name: "\(input.baselineName):\(full)", bytes: bytes),
                       (try? SchemaFingerprint.fingerprint(old.value)) == e.fingerprint {
                        changes = SchemaDiff.diff(old: old, new: doc, today: input.today).findings
                        since = "; the changes since \(input.baselineName) are listed"
                    } else {
                        since = "; \(input.baselineName) does not hold the locked content of this file, so the changes cannot be listed"
                    }
                }
                findings.append(Finding(rule: .releasedSchemaEdited, pointer: .root,
                    message: "released version \(e.version) was edited materially (fingerprint \(fp) ≠ locked \(e.fingerprint)); restore it and propose the change as version \(lock.entries.count) in a new file\(since)",
                    file: doc.name, location: SourceLocation(line: 1, column: 1, offset: 0)))
                findings.append(contentsOf: changes)
            }
            if let v = doc.schemaVersion, v != e.version {
                findings.append(contentsOf: [Finding(rule: .lockedVersionMismatch, pointer: SchemaDocument.versionPointer,
                    message: "schema_version const is \(v) but the lock records this file as version \(e.version)")].located(file: doc.name, locations: doc.locations))
            }
            if i > 0, e.fingerprint == lock.entries[i - 1].fingerprint {
                lockFinding(.bumpWithoutMaterialChange, p.appending("fingerprint"), "version \(e.version) has the same fingerprint as version \(lock.entries[i - 1].version); a bump must change something material")
            }
            if lock.entries[..<i].contains(where: { $0.path == e.path }) {
                lockFinding(.lockNotConsecutive, p.appending("path"), "\(quoteForMessage(e.path)) is locked twice; each version has its own file")
            }
            rows.append(VersionRow(version: e.version, path: e.path, fingerprint: e.fingerprint, status: "locked"))
        }

        let newlyLocked = input.baseline.map { newlyLockedVersions(lock, baselineLock: $0(input.lockName)) }
        for i in newlyLocked ?? [] where i > 0 && i < lockedDocs.count {
            // The PR that locks a version is the one whose reviewers must read what it widens.
            findings.append(contentsOf: SchemaDiff.diff(old: lockedDocs[i - 1], new: lockedDocs[i], today: input.today).findings)
        }

        let lockedPaths = Set(lock.entries.map { normalise($0.path) })
        let lockBase = input.lockName.split(separator: "/").last.map(String.init) ?? input.lockName
        let proposals = input.listing.filter { $0.hasSuffix(".schema.json") && $0 != lockBase && !lockedPaths.contains($0) }.sorted()
        var updated: SchemaLock? = nil

        if proposals.count > 1 {
            for name in proposals {
                findings.append(Finding(rule: .unlockedSchemasAmbiguous, pointer: .root,
                    message: "\(proposals.count) schema files are not in the lock (\(proposals.map { quoteForMessage($0) }.joined(separator: ", "))); propose one version at a time",
                    file: input.directory + name, location: SourceLocation(line: 1, column: 1, offset: 0)))
            }
        } else if let name = proposals.first {
            let doc = try load(input, name)
            let fp = try fingerprint(doc)
            var problems = SchemaLint.lint(doc).findings
            let previous = lock.entries.last
            let expected = (previous?.version ?? -1) + 1
            let version = doc.schemaVersion
            let vp = SchemaDocument.versionPointer
            var gateErrors: [Finding] = []
            func gateError(_ rule: Rule, _ p: JSONPointer, _ msg: String) {
                gateErrors.append(Finding(rule: rule, pointer: p, message: msg))
            }
            if let previous, let prevDoc = lockedDocs.last {
                let diff = SchemaDiff.diff(old: prevDoc, new: doc, today: input.today)
                problems.append(contentsOf: diff.findings)
                let material = fp != previous.fingerprint
                switch (material, version) {
                case (_, nil): break  // lint reports VERSION_CONST_MISSING
                case (false, previous.version?):
                    gateError(.unlockedSchema, .root, "\(quoteForMessage(name)) is materially identical to locked version \(previous.version); remove it or make the change it was meant for")
                case (false, _?):
                    gateError(.bumpWithoutMaterialChange, vp, "schema_version is \(version!) but nothing material changed since version \(previous.version); a bump voids every member's consent, so only material changes may bump")
                case (true, previous.version?):
                    gateError(.materialChangeWithoutBump, vp, "the schema changed materially since version \(previous.version) but schema_version is still \(previous.version); set it to \(expected)")
                case (true, let v?) where v != expected:
                    gateError(.versionSkipped, vp, "schema_version is \(v) but the next version after \(previous.version) is \(expected)")
                default: break
                }
            } else if let v = version, v != 0 {
                gateError(.versionSkipped, vp, "the first locked version must be 0, not \(v)")
            }
            let passes = problems.errorCount + gateErrors.count == 0
            if passes && !input.updateLock {
                gateError(.unlockedSchema, .root, "version \(expected) passes the gate but is not locked: run `backpay-verify schema gate --lock \(input.lockName) --update-lock` and commit the lock")
            }
            problems.append(contentsOf: gateErrors.located(file: doc.name, locations: doc.locations))
            findings.append(contentsOf: problems)
            rows.append(VersionRow(version: version, path: name, fingerprint: fp, status: passes ? "proposed" : "rejected"))
            if passes && input.updateLock {
                var next = lock
                next.entries.append(.init(version: expected, path: name, fingerprint: fp))
                updated = next
            }
        } else if let newest = lockedDocs.last {
            findings.append(contentsOf: SchemaLint.lint(newest).findings.filter { $0.severity == .error })
        }
        // The lock is written only when nothing at all is wrong, not merely the proposal.
        if findings.errorCount > 0 { updated = nil }
        if updated != nil, let i = rows.indices.last, rows[i].status == "proposed" {
            rows[i] = VersionRow(version: rows[i].version, path: rows[i].path, fingerprint: rows[i].fingerprint, status: "newly locked")
        }
        if input.lockBytes == nil && updated == nil && findings.errorCount == 0 {
            throw .lockUnreadable(.cannotOpen(path: input.lockName, reason: "No such file or directory, and no schema file to lock"))
        }
        return Result(findings: findings.sorted(by: Finding.displayOrder), versions: rows, updatedLock: updated,
                      newlyLocked: newlyLocked.map { ($0.map { lock.entries[$0].version }, input.baselineName) })
    }

    /// Indices of the lock's entries that the baseline's lock does not hold with the same version and
    /// fingerprint. A baseline without a readable lock holds none, so every entry is new there.
    static func newlyLockedVersions(_ lock: SchemaLock, baselineLock: [UInt8]?) -> [Int] {
        let before = baselineLock.flatMap { try? SchemaLock.parse($0).0 }?.entries ?? []
        return lock.entries.indices.filter { i in
            !before.contains { $0.version == lock.entries[i].version && $0.fingerprint == lock.entries[i].fingerprint }
        }
    }

    static func normalise(_ path: String) -> String { path.hasPrefix("./") ? String(path.dropFirst(2)) : path }

    static func load(_ input: Input, _ path: String) throws(GateFailure) -> SchemaDocument {
        let full = input.directory + normalise(path)
        let bytes: [UInt8]
        do { bytes = try input.read(full) } catch { throw .schemaUnreadable(error) }
        do { return try SchemaDocument(name: full, bytes: bytes) } catch { throw .schemaMalformed(file: full, "\(error)") }
    }

    static func fingerprint(_ doc: SchemaDocument) throws(GateFailure) -> String {
        do { return try SchemaFingerprint.fingerprint(doc.value) } catch { throw .schemaMalformed(file: doc.name, " \(error)") }
    }
}
