import Testing
import TestSupport
@testable import Anon

/// `InsiderAudit` reads the outside check's verdict off the coalition screen's two flows instead of running
/// two flows of its own. The law: whenever both limits reach what the outside check asks for, the verdict
/// read off is the verdict the check's own flows give; below them, nothing is read off (nil).
@Suite("AdditiveResidual") struct AdditiveResidualTests {
    @Test("the outside check read off wider flows agrees with its own flows, on random tables and requirements")
    func verdictFromWiderFlowsEqualsOwnFlows() throws {
        var rng = SplitMix64(seed: 0x5EED_F10E)
        var compared = 0, exposed = 0, declined = 0
        for _ in 0..<300 {
            let rows = Int(rng.next(2...5)), cols = Int(rng.next(2...5))
            let grid: [[Int64?]] = (0..<rows).map { _ in (0..<cols).map { _ in rng.next(0...5) == 0 ? nil : rng.next(0...60) } }
            let g = GridTable(grid)
            let suppressed = g.table.positions.indices.filter { _ in rng.next(0...2) == 0 }
            guard suppressed.count >= 2 else { continue }
            let m = Measure.inputTokens
            guard var res = AdditiveResidual(g.table, values: g.values, suppressed: suppressed, measure: m) else {
                Issue.record("the true table always fits"); continue
            }
            // Zeros known, as the insider audit closes them.
            for x in suppressed where g.values[x][m] == 0 { res.setPublished(x, true) }
            for k in suppressed where g.values[k][m] != 0 {
                let v = g.values[k][m]
                let lower = rng.next(0...2) == 0 ? nil : Optional(rng.next(0...v))
                let upper = rng.next(0...2) == 0 ? nil : Optional(v + rng.next(0...80))
                let req = lower == nil && upper == nil ? nil : ProtectionRequirement(lowerAtMost: lower, upperAtLeast: upper)
                let upAsk = max(1, (upper ?? v) - v), downAsk = max(1, v - (lower ?? v))
                // Limits at, above or (sometimes) below what the check asks for.
                let upLimit = max(0, upAsk + rng.next(-2...200)), downLimit = max(0, downAsk + rng.next(-2...200))
                let up = res.room(of: k, upTo: upLimit, downTo: 0).up
                let down = res.room(of: k, upTo: 0, downTo: downLimit, downCappedByValue: false).down
                let readOff = res.isExposed(k, requirement: req, up: up, upLimit: upLimit, down: down, downLimit: downLimit)
                let own = res.isExposed(k, requirement: req)
                if upLimit < upAsk || downLimit < downAsk {
                    #expect(readOff == nil, "limits (\(upLimit), \(downLimit)) below the asks (\(upAsk), \(downAsk))")
                    declined += 1
                } else {
                    #expect(readOff == own, "position \(k) of \(grid), suppressed \(suppressed), requirement \(String(describing: req))")
                    compared += 1
                    if own { exposed += 1 }
                }
            }
        }
        // Both verdicts and the refusal were reached, so the law was tested on each side.
        #expect(compared > 500 && exposed > 50 && compared - exposed > 50 && declined > 10,
                "compared \(compared), exposed \(exposed), declined \(declined)")
    }
}
