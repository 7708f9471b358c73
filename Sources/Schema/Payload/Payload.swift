import Core
/// One validated payload: one member-day of counters (docs/payload-format.md).
///
/// Values of this type only come out of the payload validator, so every field already meets the schema:
/// vocabulary strings, a v4 UUID, a real calendar date, bounded counters and cost in whole cents.
public struct Payload: Hashable, Sendable {
    public var schemaVersion: Int
    /// Lower-case UUID v4 text, as sent.
    public var panelist: String
    public var date: CalendarDay
    /// Entries in canonical order (sorted by tool, then model).
    public var entries: [PayloadEntry]

    public init(schemaVersion: Int = 0, panelist: String, date: CalendarDay, entries: [PayloadEntry]) {
        self.schemaVersion = schemaVersion; self.panelist = panelist; self.date = date
        self.entries = entries.sorted { ($0.tool, $0.model) < ($1.tool, $1.model) }
    }
}

/// Usage of one (tool, model) pair on one day.
public struct PayloadEntry: Hashable, Sendable {
    public var tool: String
    public var model: String
    public var inputTokens: Int64
    public var outputTokens: Int64
    public var cacheReadTokens: Int64
    public var cacheCreationTokens: Int64
    /// `cost_usd_est` in exact integer cents (the schema allows at most two decimals).
    public var costCents: Int64
    public var sessions: Int64

    public init(tool: String, model: String, inputTokens: Int64, outputTokens: Int64, cacheReadTokens: Int64,
                cacheCreationTokens: Int64, costCents: Int64, sessions: Int64) {
        self.tool = tool; self.model = model; self.inputTokens = inputTokens; self.outputTokens = outputTokens
        self.cacheReadTokens = cacheReadTokens; self.cacheCreationTokens = cacheCreationTokens
        self.costCents = costCents; self.sessions = sessions
    }
}

