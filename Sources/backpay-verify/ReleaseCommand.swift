import Intake
import Core
import ArgumentParser
import Schema
import Verify

/// `release build|audit|sign|verify`: weekly aggregate releases, their disclosure audit and signatures.
struct ReleaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release",
        abstract: "Build, audit, sign and verify weekly aggregate releases.",
        subcommands: [
            // One line per subcommand; each lives in its own file.
            ReleaseBuild.self,
            ReleaseAudit.self,
            ReleaseSign.self,
            ReleaseVerify.self,
            ReleaseProve.self,
        ]
    )
}

/// Loads `--chain DIR` for `release sign` and `release verify`. A folder that cannot be opened is "could not
/// check"; for a first release (sequence 1) the message also says what to do, since there is nothing
/// earlier to check yet.
func loadChain(_ dir: String, publicKey: MinisignPublicKey, release: String, sequence: Int?) throws(CommandFailure) -> ChainDirectory {
    do { return try ChainDirectory.load(dir, publicKey: publicKey) } catch {
        guard sequence == 1, !Files.exists(dir) else { throw CommandFailure.couldNotCheck(error.description) }
        throw CommandFailure.couldNotCheck("\(error.description): \(displayName(release)) is the first release (sequence 1), so there is nothing earlier to check: leave out --chain, or create the folder (mkdir \(dir)) and keep each signed release there for the next one")
    }
}
