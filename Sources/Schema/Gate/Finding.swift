import Core
/// Which way a schema change moves the set of accepted payloads.
public enum ChangeDirection: String, Sendable, Hashable, CaseIterable {
    /// The new schema accepts a payload the old one rejected: it collects something members did not agree to.
    case widening
    /// The old schema accepted a payload the new one rejects.
    case narrowing
    /// The accepted set is unchanged.
    case cosmetic
}

public enum FindingSeverity: String, Sendable, Hashable, Comparable {
    case error, warning, note

    var rank: Int { switch self { case .error: 0; case .warning: 1; case .note: 2 } }
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
}

/// One finding of `schema lint`, `schema diff` or `schema gate`.
///
/// Its id depends only on the rule, the JSON Pointer and (for per-value rules such as an added enum value)
/// the value, never on line numbers or wording, so that it survives reformatting and rebases.
public struct Finding: Sendable, Hashable {
    public let rule: Rule
    public let severity: FindingSeverity
    /// Where in the schema (or lock file) the finding is.
    public let pointer: JSONPointer
    /// The value the finding is about, when one keyword yields several findings (enum values).
    public let argument: String?
    public let direction: ChangeDirection?
    /// One sentence: what is wrong or what changed, and why it matters.
    public let message: String
    public var file: String?
    public var location: SourceLocation?
    /// For widening changes: a payload the new schema accepts and the old one rejects.
    public var counterexample: JSONValue?

    public init(rule: Rule, severity: FindingSeverity? = nil, pointer: JSONPointer, argument: String? = nil,
                direction: ChangeDirection? = nil, message: String, file: String? = nil,
                location: SourceLocation? = nil, counterexample: JSONValue? = nil) {
        self.rule = rule
        self.severity = severity ?? rule.defaultSeverity(direction)
        self.pointer = pointer; self.argument = argument; self.direction = direction; self.message = message
        self.file = file; self.location = location; self.counterexample = counterexample
    }

    /// First 12 hex digits of SHA-256 over `RULE`, NUL, the pointer and, when present, NUL and the argument.
    public var id: String {
        var material = Array(rule.rawValue.utf8) + [0] + Array(pointer.description.utf8)
        if let argument { material += [0] + Array(argument.utf8) }
        return String(Hex.encode(SHA256.hash(material)).prefix(12))
    }

    /// Orders findings for output: by file, by position, then rule and argument (deterministic).
    static func displayOrder(_ a: Finding, _ b: Finding) -> Bool {
        if (a.file ?? "") != (b.file ?? "") { return (a.file ?? "") < (b.file ?? "") }
        let la = a.location?.offset ?? -1, lb = b.location?.offset ?? -1
        if la != lb { return la < lb }
        if a.pointer != b.pointer { return a.pointer < b.pointer }
        if a.rule != b.rule { return a.rule.rawValue < b.rule.rawValue }
        return (a.argument ?? "") < (b.argument ?? "")
    }
}

extension Array where Element == Finding {
    /// Attaches file name and line:column (of the pointer, or of its nearest located ancestor).
    func located(file: String, locations: [JSONPointer: SourceLocation]) -> [Finding] {
        map { f in
            var f = f
            f.file = file
            var p = f.pointer
            while true {
                if let l = locations[p] { f.location = l; break }
                if p.tokens.isEmpty { break }
                p = p.parent
            }
            return f
        }
    }

    var errorCount: Int { filter { $0.severity == .error }.count }
}
