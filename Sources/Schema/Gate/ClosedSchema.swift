import Core
/// A schema that `schema lint` found closed: the only form in which a schema a user supplies reaches
/// payload validation or a consent check.
///
/// A validator compiled from an open schema would tell a member "valid" for a payload that carries free
/// text; a consent checked against one would cover what nobody can bound. Requiring this type where a
/// user's schema is used closes that whole class rather than one command at a time.
public struct ClosedSchema: Sendable {
    public let document: SchemaDocument
    /// Lint's result: no errors (warnings and notes may remain).
    public let lint: SchemaLint.Result

    /// Lints `document`; refuses it with lint's findings when lint finds an error.
    public init(_ document: SchemaDocument) throws(SchemaNotClosed) {
        let result = SchemaLint.lint(document)
        guard result.isClosed else { throw SchemaNotClosed(schema: document.name, lint: result) }
        self.document = document; self.lint = result
    }
}

/// A schema refused because lint finds it open; `lint` holds the findings that say where.
public struct SchemaNotClosed: Error, Sendable {
    public let schema: String
    public let lint: SchemaLint.Result

    /// Lint's report, with a fact saying that `use` was not done (the same value in every format).
    public func report(refusing use: String) -> FindingReport {
        var report = lint.report(schema: schema)
        report.facts.append(("refused", .string("\(use) does not use a schema lint rejects (it could carry free text); nothing was checked")))
        return report
    }
}

extension PayloadValidator {
    /// The validator for a schema lint has passed.
    public init(closed: ClosedSchema, today: CalendarDay, limits: JSONLimits = .payload) throws(SchemaCompileError) {
        try self.init(schema: closed.document.value, today: today, limits: limits)
    }
}
