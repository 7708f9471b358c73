import Core
import Testing
@testable import Schema

/// docs/payload-format.md is a spec other implementations follow: its numbers, word lists and examples must
/// stay those of the schema, the reader and the golden payloads, or the spec silently goes stale.
@Suite("docs/payload-format.md")
struct PayloadFormatDocTests {
    static let root = "/" + String(#filePath).split(separator: "/").dropLast(3).joined(separator: "/")

    static func text(_ path: String) throws -> String { String(decoding: try Files.read(root + "/" + path), as: UTF8.self) }

    let doc: String
    let schema: JSONValue
    let validator = PayloadValidator.embedded(today: CalendarDay("2026-06-12")!)

    init() throws {
        doc = try Self.text("docs/payload-format.md")
        schema = try StrictJSON.parse(Array(EmbeddedSchema.payloadV0.utf8))
    }

    /// The lines of the section that starts with `heading`, up to the next heading of any level.
    func section(_ heading: String) -> [Substring] {
        let lines = doc.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0 == heading }) else { return [] }
        let rest = lines[(start + 1)...]
        return Array(rest.prefix { !$0.hasPrefix("#") })
    }

    /// The back-quoted words of a list item that begins with `label` and runs over indented lines.
    func listedWords(_ label: String) -> [String] {
        let lines = section("### 3.3 Vocabularies")
        guard let start = lines.firstIndex(where: { $0.hasPrefix(label) }) else { return [] }
        let item = ([lines[start]] + lines[(start + 1)...].prefix { $0.hasPrefix("  ") }).joined(separator: " ")
        return item.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }

    /// The cells of the table rows of a section (header and rule lines left out).
    func tableRows(_ heading: String) -> [[String]] {
        section(heading).filter { $0.hasPrefix("| `") }.map { row in
            row.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast().map { String($0).trimmingASCIIWhitespace() }
        }
    }

    func lexeme(_ v: JSONValue?) -> String { v?.numberValue?.lexeme ?? "(missing)" }

    func unquoted(_ cell: String) -> String { cell.count >= 2 && cell.hasPrefix("`") && cell.hasSuffix("`") ? String(cell.dropFirst().dropLast()) : cell }

    @Test("lists the tool and model vocabularies of the embedded schema word for word, in order")
    func vocabularies() {
        let entry = schema["$defs"]?["entry"]?["properties"]
        let tools = entry?["tool"]?["enum"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let models = entry?["model"]?["enum"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(!tools.isEmpty && !models.isEmpty)
        #expect(listedWords("- tools:") == tools)
        #expect(listedWords("- models:") == models)
        #expect(doc.contains("one of these \(tools.count) strings, and `model` one of these \(models.count)"))
    }

    @Test("gives every bound of the embedded schema")
    func bounds() throws {
        let entryRows = Dictionary(tableRows("### 3.2 An entry").map { (unquoted($0[0]), $0[2]) }, uniquingKeysWith: { a, _ in a })
        let properties = try #require(schema["$defs"]?["entry"]?["properties"]?.objectValue)
        for (name, shape) in properties {
            guard let lo = shape["minimum"]?.numberValue, let hi = shape["maximum"]?.numberValue else { continue }
            #expect(entryRows[name]?.contains("\(lo) … \(hi)") == true, "row of \(name) lacks \(lo) … \(hi)")
        }
        #expect(entryRows["cost_usd_est"]?.contains("at most **\(lexeme(properties["cost_usd_est"]?["x-backpay-max-decimals"]))** decimal places") == true)
        let entries = schema["properties"]?["entries"]
        let topRows = Dictionary(tableRows("### 3.1 The payload object").map { (unquoted($0[0]), $0[2]) }, uniquingKeysWith: { a, _ in a })
        #expect(topRows["entries"]?.contains("at least **\(lexeme(entries?["minItems"]))**") == true)
        #expect(topRows["entries"]?.contains("at most **\(lexeme(entries?["maxItems"]))**") == true)
        let calendar = schema["properties"]?["date"]?["x-backpay-calendar-date"]
        #expect(calendar?["minimum"]?.stringValue.map { doc.contains("no earlier than **\($0)**") } == true)
        #expect(calendar?["maximum"]?.stringValue == "today+1" && doc.contains("no later than **today + 1 day**"))
    }

    @Test("gives the reader's size and depth limits")
    func limits() {
        let bytes = JSONLimits.payload.maxBytes
        #expect(doc.contains("at most **\(bytes / 1000),\(String(bytes % 1000).leftPadded(3)) bytes** (\(bytes >> 10) KiB)"))
        #expect(doc.contains("nest at most **\(JSONLimits.payload.maxDepth)** deep"))
        #expect(doc.contains("at most \(JSONLimits.document.maxBytes >> 20) MiB and \(JSONLimits.document.maxDepth) levels deep"))
    }

    @Test("names the locked fingerprint of version 0")
    func fingerprint() throws {
        let lock = try StrictJSON.parse(try Files.read(Self.root + "/schemas/schemas.lock.json"))
        let v0 = try #require(lock["versions"]?.arrayValue?.first { $0["version"]?.numberValue?.int64Value == 0 })
        let fp = try #require(v0["fingerprint"]?.stringValue)
        #expect(doc.contains("version 0") && doc.contains("`\(fp)`"))
    }

    @Test("the canonical example is golden/payloads/valid/seed-no-newline.json, valid and canonical, with its SHA-256")
    func canonicalExample() throws {
        let lines = section("### 6.1 A canonical payload")
        let fence = try #require(lines.firstIndex { $0 == "```" })
        let example = Array(lines[fence + 1].utf8)
        #expect(lines[fence + 2] == "```")
        #expect(example == (try Files.read(Self.root + "/golden/payloads/valid/seed-no-newline.json")))
        #expect(doc.contains("The \(example.count) bytes of `golden/payloads/valid/seed-no-newline.json`"))
        let report = validator.check(example)
        #expect(report.isValid && report.isCanonical)
        #expect(validator.canonicalBytes(example) == example)
        #expect(doc.contains("Their SHA-256 is `\(Hex.encode(SHA256.hash(example)))`"))
    }

    /// The example table of a section with the reader's report on each file it names (in `folder`).
    func checkedExamples(_ heading: String, in folder: String) throws -> [(file: String, row: [String], report: PayloadReport)] {
        try tableRows(heading).map { row in
            let file = unquoted(row[0])
            return (file, row, validator.check(try Files.read(Self.root + "/golden/payloads/" + folder + "/" + file)))
        }
    }

    @Test("each not-canonical example is valid with exactly the freedom named")
    func noncanonicalExamples() throws {
        let examples = try checkedExamples("### 6.2 Valid, not canonical", in: "noncanonical")
        #expect(examples.count >= 5)
        for (file, row, report) in examples {
            #expect(report.isValid, "\(file)")
            #expect(report.freedoms.map { "*\($0.kind.rawValue)*" } == [row[2]], "\(file)")
        }
    }

    @Test("each invalid example gives exactly the code, pointer and position shown")
    func invalidExamples() throws {
        let examples = try checkedExamples("### 6.3 Invalid", in: "invalid")
        #expect(examples.count >= 10)
        for (file, row, report) in examples {
            try #require(report.violations.count == 1, "\(file): \(report.violations)")
            let v = report.violations[0]
            #expect("`\(v.code)`" == row[2], "\(file)")
            let pointer = row[3].split(separator: "`").first.map(String.init) ?? ""
            let shown = pointer == "\"\"" ? "" : pointer
            if shown.hasSuffix("…") {
                #expect(v.pointer.description.hasPrefix(String(shown.dropLast())), "\(file)")
            } else {
                #expect(v.pointer.description == shown, "\(file)")
            }
            #expect(row[4].isEmpty || row[4] == v.location.description, "\(file)")
        }
    }
}
