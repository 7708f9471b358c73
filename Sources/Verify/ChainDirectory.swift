import Core
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Schema

/// The earlier releases of `--chain DIR`: every `*.json` file, each with its `.minisig` checked against the
/// union's key (a chain of unsigned files would prove nothing).
public struct ChainDirectory: Sendable {
    public let path: String
    public let entries: [ChainEntry]
    /// Files that could not join the chain, one message each (file name first).
    public let problems: [String]

    /// Reads and checks every release in `path`.
    public static func load(_ path: String, publicKey: MinisignPublicKey) throws(FileError) -> ChainDirectory {
        let names = try Files.listDirectory(path).filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }
        var entries: [ChainEntry] = []
        var problems: [String] = []
        for name in names {
            let file = Self.file(name, in: path)
            do {
                let bytes = try Files.read(file)
                let header: ReleaseHeader
                do { header = try ReleaseHeader.read(bytes) } catch { problems.append("\(file):\(error)"); continue }
                let sigBytes = try Files.read(file + ".minisig", limit: 1 << 20)
                let sig: MinisignSignature
                do { sig = try MinisignSignature.parse(sigBytes) } catch { problems.append("\(file).minisig: \(error)"); continue }
                let verdict = sig.verify(bytes, publicKey: publicKey)
                guard verdict == .valid else { problems.append("\(file).minisig: \(verdict.message)"); continue }
                if let claims = ReleaseClaims.parse(sig.trustedComment) {
                    let wrong = claims.mismatches(with: header)
                    if !wrong.isEmpty { problems.append("\(file).minisig: \(wrong[0])"); continue }
                } else {
                    problems.append("\(file).minisig: trusted comment makes no backpay-release claims: \(quoteForMessage(sig.trustedComment))")
                    continue
                }
                entries.append(ChainEntry(name: name, header: header))
            } catch {
                problems.append(error.description)
            }
        }
        return ChainDirectory(path: path, entries: entries, problems: problems)
    }

    /// The path of the release `name` of this directory.
    public func file(_ name: String) -> String { Self.file(name, in: path) }

    static func file(_ name: String, in path: String) -> String { path.hasSuffix("/") ? path + name : path + "/" + name }

    /// Why `week` must not be built on this chain: a release of the directory already holds it, or holds a
    /// later week (releases are append-only). nil when the week is new. Signatures are not checked here
    /// (`release verify --chain` does that); a file that is not a release is an error, never skipped.
    public static func buildConflict(_ path: String, week: ISOWeek) throws(FileError) -> String? {
        var latest: (ISOWeek, String)? = nil
        for name in try Files.listDirectory(path).filter({ $0.hasSuffix(".json") && !$0.hasPrefix(".") }).sorted() {
            let file = Self.file(name, in: path)
            let header: ReleaseHeader
            do { header = try ReleaseHeader.read(try Files.read(file)) } catch let e as ReleaseDocumentError {
                throw .cannotRead(path: file, reason: "not a release: \(e)")
            } catch let e as FileError { throw e } catch { throw .cannotRead(path: file, reason: "\(error)") }
            if header.id == week {
                return "\(file) already holds \(week) (sequence \(header.sequence)): a published week is never re-issued"
            }
            if latest == nil || latest!.0 < header.id { latest = (header.id, file) }
        }
        if let (w, file) = latest, week < w {
            return "\(file) holds \(w), after \(week): releases are append-only"
        }
        return nil
    }
}
