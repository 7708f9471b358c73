import Intake
import Core
import Anon
import Schema
import Verify

/// A member's proof that their days were counted in a release: one C2SP tlog-proof@v1 bundle per day,
/// back to back, all against the same checkpoint of the release's input tree (the tree whose root is the
/// release's `inputs.merkle_root`). Each bundle's `extra` says which day it is for, as ASCII
/// `PANELIST DATE LEAFHASH` (lower-case UUID, YYYY-MM-DD, base64 of the leaf hash): unauthenticated hints
/// that the verifier checks against the member's own payloads and the signed root.
public enum MemberProofs {
    /// The input tree's checkpoint origin: `PREFIX/inputs/WEEK`, e.g. `example.org/union/inputs/2026-W24`.
    public static func inputsOrigin(prefix: String, week: ISOWeek) -> String { "\(prefix)/inputs/\(week)" }

    /// The week an inputs origin names, or nil when the origin is not one.
    public static func week(ofInputsOrigin origin: String) -> ISOWeek? {
        let parts = origin.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[parts.count - 2] == "inputs", !parts[0].isEmpty else { return nil }
        return ISOWeek(parts[parts.count - 1])
    }

    public static func extra(panelist: String, date: CalendarDay, leafHash: TreeHash) -> [UInt8] {
        Array("\(panelist) \(date) \(Base64.encode(leafHash))".utf8)
    }

    /// Every member's proof file, in member order: `body(panelist, bytes)`. Memory: the tree (64 bytes a
    /// leaf) and one member's bundles at a time.
    public static func forEachMember(leaves: WeekLeaves, week: ISOWeek, tree: MerkleTree, checkpoint: SignedCheckpoint,
                                     _ body: (String, [UInt8]) throws -> Void) rethrows {
        precondition(tree.size == leaves.count && checkpoint.checkpoint.size == tree.size)
        // Leaves by member: a counting sort of leaf indices (the leaves are in (day, member) order).
        let m = leaves.panelists.count
        var start = [Int](repeating: 0, count: m + 1)
        for member in leaves.members { start[Int(member) + 1] += 1 }
        for i in 0..<m { start[i + 1] += start[i] }
        var next = start
        var byMember = [Int32](repeating: 0, count: leaves.count)
        for (i, member) in leaves.members.enumerated() {
            byMember[next[Int(member)]] = Int32(i)
            next[Int(member)] += 1
        }
        let note = checkpoint.bytes
        let days = week.days
        let head = Array("\(TlogProof.header)\nextra ".utf8), indexWord = Array("index ".utf8)
        var out: [UInt8] = []
        for member in 0..<m where start[member + 1] > start[member] {
            out.removeAll(keepingCapacity: true)
            let panelist = leaves.panelists[member]
            for j in start[member]..<start[member + 1] {
                let i = Int(byMember[j])
                out += head
                let hint = extra(panelist: panelist, date: days[Int(leaves.days[i])], leafHash: tree.leafHash(i))
                hint.withUnsafeBytes { Base64.append($0, to: &out) }
                out.append(0x0A)
                out += indexWord
                out += Array(String(i).utf8)
                out.append(0x0A)
                tree.forEachProofHash(index: i) { h in Base64.append(h, to: &out); out.append(0x0A) }
                out.append(0x0A)
                out += note
            }
            try body(panelist, out)
        }
    }
}

/// A payload the member gives to compare with the proof: its name, panelist, date and canonical bytes.
public struct MemberPayload: Sendable {
    public let name: String
    public let panelist: String
    public let date: CalendarDay
    public let canonicalBytes: [UInt8]

    public init(name: String, panelist: String, date: CalendarDay, canonicalBytes: [UInt8]) {
        self.name = name; self.panelist = panelist; self.date = date; self.canonicalBytes = canonicalBytes
    }
}

/// The release a proof is checked against, when the member has it (its signature already verified).
public struct ReleaseFacts: Sendable {
    public let name: String
    public let week: ISOWeek
    public let payloadCount: Int
    /// `sha256:HEX` of the input tree's root.
    public let merkleRoot: String

    public init(name: String, week: ISOWeek, payloadCount: Int, merkleRoot: String) {
        self.name = name; self.week = week; self.payloadCount = payloadCount; self.merkleRoot = merkleRoot
    }
}

/// Checks a member's proof file: the checkpoint is the union's (signed by its key under the checkpoint's
/// origin, which names the week's inputs), each day's audit path leads from its leaf to the signed root, and
/// each payload given is the leaf at its day's index. Findings: a day counted twice, a day of another
/// member, a payload with no proof, a payload that is not the leaf, a root or size that is not the
/// release's.
public enum MemberProofVerifier {
    public static func verify(proofName: String, bundles: [TlogProof], unionKey: Ed25519.PublicKey,
                              payloads: [MemberPayload], release: ReleaseFacts?) -> VerifyReport {
        var report = VerifyReport(release: proofName)
        guard let first = bundles.first else {
            report.add(Check("checkpoint", .couldNotCheck, "\(proofName): no proof in the file"))
            return report
        }
        // One tree for every day.
        if let other = bundles.first(where: { $0.checkpoint.note.text != first.checkpoint.note.text }) {
            report.add(Check("checkpoint", .failed, "\(proofName):\(other.line):1: this day's checkpoint is not the first day's: one file proves days of one tree"))
            return report
        }
        let cp = first.checkpoint.checkpoint
        let key: NoteVerifierKey
        do { key = try NoteVerifierKey(name: cp.origin, type: .ed25519, publicKey: unionKey) } catch {
            report.add(Check("checkpoint", .failed, "\(proofName): origin \(quoteForMessage(cp.origin)) is not a key name"))
            return report
        }
        do { _ = try first.checkpoint.note.verify(with: [key]) } catch {
            report.add(Check("checkpoint", .failed, error.at(proofName)))
            return report
        }
        guard let week = MemberProofs.week(ofInputsOrigin: cp.origin) else {
            report.add(Check("checkpoint", .failed, "\(proofName): origin \(quoteForMessage(cp.origin)) does not name a week's inputs (PREFIX/inputs/YYYY-Www)"))
            return report
        }
        if let release {
            let root = "sha256:" + Hex.encode(cp.root)
            if release.week != week || release.payloadCount != cp.size || release.merkleRoot != root {
                report.add(Check("checkpoint", .failed, "\(proofName): the checkpoint (\(week), \(cp.size) leaves, \(root)) is not \(release.name)'s inputs (\(release.week), \(release.payloadCount) payloads, \(release.merkleRoot))"))
                return report
            }
        }
        report.add(Check("checkpoint", .passed, "signed by the union's key for \(week)'s inputs: \(cp.size) leaves\(release.map { ", the root of \($0.name)" } ?? "")"))

        // Each day's hint, the path, and the payload.
        struct Day { let bundle: TlogProof; let panelist: String; let date: CalendarDay; let leaf: TreeHash }
        var days: [Day] = []
        for b in bundles {
            let parts = b.extra.map { String(decoding: $0, as: UTF8.self).split(separator: " ", omittingEmptySubsequences: false) } ?? []
            guard parts.count == 3, let date = CalendarDay(parts[1]), let leaf = Base64.decode(Array(parts[2].utf8)), leaf.count == 32 else {
                report.add(Check("day", .failed, "\(proofName):\(b.line):1: index \(b.index): no `extra PANELIST DATE LEAFHASH` line: cannot tell which day this proves"))
                continue
            }
            days.append(Day(bundle: b, panelist: String(parts[0]), date: date, leaf: leaf))
        }
        let member = payloads.first?.panelist ?? days.first?.panelist ?? ""
        var seenDate: [CalendarDay: Int] = [:], seenIndex: [Int: CalendarDay] = [:], seenLeaf: [TreeHash: CalendarDay] = [:]
        var matched = Set<Int>()
        for d in days {
            let at = "\(proofName):\(d.bundle.line):1"
            let name = "day \(d.date)"
            if d.panelist != member {
                report.add(Check(name, .failed, "\(at): proof for another member's day (panelist \(d.panelist), not \(member))"))
                continue
            }
            if !week.contains(d.date) {
                report.add(Check(name, .failed, "\(at): \(d.date) is not in \(week)"))
                continue
            }
            if let earlier = seenDate[d.date] {
                let why = earlier == d.bundle.index ? "this day's proof is given twice (index \(earlier))" : "counted twice: indices \(earlier) and \(d.bundle.index) are both this day"
                report.add(Check(name, .failed, "\(at): \(why)"))
                continue
            }
            if let other = seenIndex[d.bundle.index] {
                report.add(Check(name, .failed, "\(at): index \(d.bundle.index) is also given for \(other): one leaf cannot be two days"))
                continue
            }
            if let other = seenLeaf[d.leaf] {
                report.add(Check(name, .failed, "\(at): counted twice: the same payload is the leaf of \(other) too"))
                continue
            }
            seenDate[d.date] = d.bundle.index; seenIndex[d.bundle.index] = d.date; seenLeaf[d.leaf] = d.date
            var given: MemberPayload? = nil
            if let k = payloads.indices.first(where: { payloads[$0].date == d.date }) {
                matched.insert(k)
                given = payloads[k]
                if RFC6962.leafHash(payloads[k].canonicalBytes) != d.leaf {
                    report.add(Check(name, .failed, "\(at): \(payloads[k].name) is not the leaf at index \(d.bundle.index): the payload counted is not yours as you have it"))
                    continue
                }
            }
            do {
                try ProofCheck.verifyInclusion(leafHash: d.leaf, index: d.bundle.index, size: cp.size, proof: d.bundle.path, root: cp.root)
            } catch {
                report.add(Check(name, .failed, "\(at): index \(d.bundle.index): \(error)"))
                continue
            }
            let how = given.map { "\($0.name) is leaf \(d.bundle.index)" } ?? "leaf \(d.bundle.index) (no payload given to compare)"
            report.add(Check(name, .passed, "counted: \(how) of \(cp.size) in \(week)'s inputs"))
        }
        for (k, p) in payloads.enumerated() where !matched.contains(k) {
            if p.panelist != member {
                report.add(Check("day \(p.date)", .failed, "\(p.name): panelist \(p.panelist) is not \(member), whose days this file proves"))
            } else {
                report.add(Check("day \(p.date)", .failed, "\(p.name): no proof for this day in \(proofName): the day was not counted, or the proof is incomplete"))
            }
        }
        return report
    }
}
