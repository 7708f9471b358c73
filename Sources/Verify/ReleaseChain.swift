import Core
import Schema

/// One release in a chain, with the name it is reported under (its file name).
public struct ChainEntry: Hashable, Sendable {
    public let name: String
    public let header: ReleaseHeader
    public init(name: String, header: ReleaseHeader) { self.name = name; self.header = header }
}

/// Something wrong with the append-only history. Each names the files involved so a reader can look.
public enum ChainFinding: Hashable, Sendable, CustomStringConvertible {
    /// Sequence numbers that no release in the chain has.
    case gap(missing: ClosedRange<Int>)
    /// A release's `previous` names bytes that are not in the chain.
    case previousNotFound(name: String, previous: [UInt8])
    /// Two different releases with the same sequence number.
    case forkSequence(sequence: Int, names: [String])
    /// Two different releases extending the same previous release.
    case forkPrevious(previous: [UInt8], names: [String])
    /// Following `previous` comes back to a release already visited, or climbs in sequence.
    case loop(names: [String])
    /// A `previous` link skips sequence numbers.
    case skippedLink(name: String, sequence: Int, previousName: String, previousSequence: Int)
    /// A later sequence number covers an earlier or the same week.
    case reordered(earlier: String, earlierWeek: ISOWeek, later: String, laterWeek: ISOWeek)
    /// Two different documents for the same week: a published week was re-issued.
    case replacedWeek(week: ISOWeek, names: [String])
    /// A release's `previous` is not in the chain, but the chain holds another release with the sequence
    /// that previous must have: the release it extends replaced that one.
    case replacedPrevious(name: String, previous: [UInt8], sequence: Int, heldBy: String, week: ISOWeek)

    public var description: String {
        switch self {
        case .gap(let r):
            return r.count == 1 ? "gap: no release with sequence \(r.lowerBound)" : "gap: no releases with sequences \(r.lowerBound)–\(r.upperBound)"
        case .previousNotFound(let n, let p):
            return "gap: \(n) names previous \(ReleaseHeader.digestText(p)), which is not in the chain"
        case .forkSequence(let s, let names): return "fork: \(names.joined(separator: ", ")) all have sequence \(s)"
        case .forkPrevious(let p, let names):
            return "fork: \(names.joined(separator: ", ")) all extend \(ReleaseHeader.digestText(p))"
        case .loop(let names): return "loop: following previous links goes \(names.joined(separator: " → ")), back up the chain"
        case .skippedLink(let n, let s, let pn, let ps):
            return "gap: \(n) (sequence \(s)) names \(pn) (sequence \(ps)) as previous, skipping \(s - ps - 1)"
        case .reordered(let e, let ew, let l, let lw):
            return "reordered: \(l) (week \(lw)) comes after \(e) (week \(ew)) in sequence but not in time"
        case .replacedWeek(let w, let names): return "replaced week: \(names.joined(separator: ", ")) are different releases for \(w)"
        case .replacedPrevious(let n, let p, let s, let held, let w):
            return "replaced week: \(n) extends \(ReleaseHeader.digestText(p)), not \(held), the chain's sequence \(s) (\(w)): that release was replaced by a document the chain does not hold"
        }
    }

    /// A short stable kind, for `--format json`.
    public var kind: String {
        switch self {
        case .gap, .previousNotFound, .skippedLink: return "gap"
        case .forkSequence, .forkPrevious: return "fork"
        case .loop: return "loop"
        case .reordered: return "reordered"
        case .replacedWeek, .replacedPrevious: return "replaced-week"
        }
    }
}

/// The hash chain rules (docs/release-format.md: releases are append-only; a published week is never re-issued).
public enum ReleaseChain {
    /// Everything wrong with the history that `target` and the `earlier` releases form, in a stable order.
    /// Copies of the same bytes count once (the target may itself be in the chain directory).
    public static func findings(target: ChainEntry, earlier: [ChainEntry]) -> [ChainFinding] {
        var byDigest: [[UInt8]: ChainEntry] = [:]
        var all: [ChainEntry] = []
        for e in [target] + earlier where byDigest[e.header.digest] == nil {
            byDigest[e.header.digest] = e
            all.append(e)
        }
        all.sort { ($0.header.sequence, $0.name) < ($1.header.sequence, $1.name) }
        var out: [ChainFinding] = []

        // Forks and replaced weeks: group by what must be unique.
        for (seq, group) in Dictionary(grouping: all, by: { $0.header.sequence }).sorted(by: { $0.key < $1.key }) where group.count > 1 {
            out.append(.forkSequence(sequence: seq, names: group.map(\.name).sorted()))
        }
        let withPrevious = all.filter { $0.header.previous != nil }
        for (prev, group) in Dictionary(grouping: withPrevious, by: { $0.header.previous! })
            .sorted(by: { $0.value.map(\.header.sequence).min()! < $1.value.map(\.header.sequence).min()! }) where group.count > 1 {
            out.append(.forkPrevious(previous: prev, names: group.map(\.name).sorted()))
        }
        for (week, group) in Dictionary(grouping: all, by: { $0.header.id }).sorted(by: { $0.key < $1.key }) where group.count > 1 {
            out.append(.replacedWeek(week: week, names: group.map(\.name).sorted()))
        }

        // Gaps in the numbering, up to the highest sequence seen: one range between each pair of neighbours,
        // so the cost follows the number of releases, never the sequence numbers they claim.
        var expected = 1
        for s in Set(all.map(\.header.sequence)).sorted() {
            if s > expected { out.append(.gap(missing: expected...(s - 1))) }
            expected = s + 1
        }

        // Sequence order must be week order.
        for (a, b) in zip(all, all.dropFirst()) where a.header.sequence < b.header.sequence && !(a.header.id < b.header.id) {
            out.append(.reordered(earlier: a.name, earlierWeek: a.header.id, later: b.name, laterWeek: b.header.id))
        }

        // Walk back from the target: every link must exist and step down by exactly one.
        var visited: Set<[UInt8]> = [target.header.digest]
        var path = [target.name]
        var current = target
        while let prev = current.header.previous {
            guard let p = byDigest[prev] else {
                if let held = all.first(where: { $0.header.sequence == current.header.sequence - 1 }) {
                    out.append(.replacedPrevious(name: current.name, previous: prev, sequence: held.header.sequence, heldBy: held.name, week: held.header.id))
                } else {
                    out.append(.previousNotFound(name: current.name, previous: prev))
                }
                break
            }
            path.append(p.name)
            if visited.contains(p.header.digest) || p.header.sequence >= current.header.sequence {
                out.append(.loop(names: path)); break
            }
            if p.header.sequence < current.header.sequence - 1 {
                out.append(.skippedLink(name: current.name, sequence: current.header.sequence,
                                        previousName: p.name, previousSequence: p.header.sequence))
            }
            visited.insert(p.header.digest)
            current = p
        }
        return out
    }

    /// The release a new one must extend: the one with the highest sequence (nil for an empty chain).
    public static func last(_ entries: [ChainEntry]) -> ChainEntry? {
        entries.max { ($0.header.sequence, $0.name) < ($1.header.sequence, $1.name) }
    }
}
