import ArgumentParser

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
