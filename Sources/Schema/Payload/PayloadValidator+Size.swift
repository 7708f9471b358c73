import Core

/// The verdicts on input too large to be a payload, which no parse reaches: one `size` violation of the
/// whole payload, at 1:1.
extension PayloadValidator {
    /// A file larger than the payload limit (it is not read past the limit).
    public func oversizedFile() -> PayloadReport {
        PayloadReport(violations: [sizeViolation(JSONSyntaxProblem.tooLarge(limit: limits.maxBytes).message)])
    }

    /// A JSON line of `bytes` bytes, larger than the payload limit (a stream skips it without buffering it).
    public func oversizedLine(bytes: Int) -> PayloadReport {
        PayloadReport(violations: [sizeViolation("line of \(bytes) bytes is larger than the \(limits.maxBytes >> 10) KiB payload limit")])
    }

    private func sizeViolation(_ message: String) -> Violation {
        Violation(rule: .size, pointer: .root, location: SourceLocation(line: 1, column: 1, offset: 0), message: message, syntaxCode: "size")
    }
}
