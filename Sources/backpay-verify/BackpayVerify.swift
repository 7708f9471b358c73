import ArgumentParser

/// The command-line tool. It parses arguments, calls the library modules and formats their results;
/// it holds no verification logic of its own. Output rules are in Output.swift.
@main
struct BackpayVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backpay-verify",
        abstract: "Check the Backpay data union's promises: payloads, schemas, consent and signed releases.",
        discussion: """
        Exit status: 0 every check passed; 1 a check failed (the input was read and is wrong); \
        2 the tool could not check (missing or unreadable file, malformed key); 64 usage error.
        """,
        version: "0.1.0",
        subcommands: [
            JSONCommand.self,
            PayloadCommand.self,
            KeyCommand.self,
            ReleaseCommand.self,
            SchemaCommand.self,
            ConsentCommand.self,
            ProofCommand.self,
            LogCommand.self,
        ]
    )
}
