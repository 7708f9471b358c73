/// Limits on what the strict reader accepts.
public struct JSONLimits: Sendable, Hashable {
    public var maxBytes: Int
    public var maxDepth: Int

    public init(maxBytes: Int, maxDepth: Int) { self.maxBytes = maxBytes; self.maxDepth = maxDepth }

    /// One payload: at most 64 KiB and a few levels deep (docs/payload-format.md).
    public static let payload = JSONLimits(maxBytes: 64 << 10, maxDepth: 16)
    /// Schemas, releases, lock files, consent records: documents a person or the union writes.
    public static let document = JSONLimits(maxBytes: 256 << 20, maxDepth: 128)
}

/// The strict JSON reader (RFC 8259 + I-JSON RFC 7493): UTF-8 only, no BOM, no duplicate keys, no
/// NaN/Infinity, no lone surrogates, bounded size and depth. It never repairs input.
public enum StrictJSON {
    /// Parses one JSON text. Whitespace around the value is allowed; anything else after it is not.
    public static func parse(_ bytes: [UInt8], limits: JSONLimits = .document) throws(JSONReadError) -> JSONValue {
        try bytes.withUnsafeBytes { buf in Result { () throws(JSONReadError) in try parse(buf, limits: limits) } }.get()
    }

    public static func parse(_ buf: UnsafeRawBufferPointer, limits: JSONLimits = .document) throws(JSONReadError) -> JSONValue {
        var builder = TreeBuilder(lexer: JSONLexer(buf), limits: limits)
        return try builder.document()
    }

    /// Parses and also records the byte offset where each value starts, keyed by JSON Pointer, for tools
    /// that report positions of findings in documents (lint, diff, gate).
    public static func parseWithLocations(_ bytes: [UInt8], limits: JSONLimits = .document) throws(JSONReadError) -> (JSONValue, [JSONPointer: SourceLocation]) {
        try bytes.withUnsafeBytes { buf in Result { () throws(JSONReadError) -> (JSONValue, [JSONPointer: SourceLocation]) in
            var builder = TreeBuilder(lexer: JSONLexer(buf), limits: limits)
            builder.offsets = [:]
            let v = try builder.document()
            var locs: [JSONPointer: SourceLocation] = [:]
            // One forward pass turns the sorted offsets into line:column without rescanning per value.
            let sorted = (builder.offsets ?? [:]).sorted { $0.value < $1.value }
            var line = 1, col = 1, i = 0
            for (ptr, off) in sorted {
                while i < off {
                    let b = buf[i]
                    if b == 0x0A { line += 1; col = 1 } else if b & 0xC0 != 0x80 { col += 1 }
                    i += 1
                }
                locs[ptr] = SourceLocation(line: line, column: col, offset: off)
            }
            return (v, locs)
        } }.get()
    }
}

/// One path step, cheap to push and pop; turned into a JSON Pointer only on the error path.
package enum PathStep {
    case key(String)
    case index(Int)
}

package func pointer(from path: [PathStep]) -> JSONPointer {
    JSONPointer(path.map { step in
        switch step {
        case .key(let k): return k
        case .index(let i): return String(i)
        }
    })
}

package struct TreeBuilder {
    package var lexer: JSONLexer
    package let limits: JSONLimits
    /// The path of the value being read. It is not unwound when a failure propagates, so at the top it
    /// still names where the failure happened.
    package var path: [PathStep] = []
    package var offsets: [JSONPointer: Int]? = nil

    package init(lexer: JSONLexer, limits: JSONLimits) {
        self.lexer = lexer
        self.limits = limits
        path.reserveCapacity(16)
    }

    package mutating func document() throws(JSONReadError) -> JSONValue {
        do throws(JSONLexer.Failure) {
            let buf = lexer.bytes
            if buf.count >= 3, buf[0] == 0xEF, buf[1] == 0xBB, buf[2] == 0xBF { throw .init(problem: .byteOrderMark, offset: 0) }
            if buf.count > limits.maxBytes { throw .init(problem: .tooLarge(limit: limits.maxBytes), offset: limits.maxBytes) }
            lexer.skipWhitespace()
            if lexer.atEnd { throw .init(problem: .empty, offset: lexer.pos) }
            let v = try value(depth: 1)
            lexer.skipWhitespace()
            if !lexer.atEnd { throw .init(problem: .trailingContent, offset: lexer.pos) }
            return v
        } catch {
            throw JSONReadError(problem: error.problem, location: SourceLocation.locate(offset: error.offset, in: lexer.bytes), pointer: pointer(from: path))
        }
    }

    package mutating func value(depth: Int) throws(JSONLexer.Failure) -> JSONValue {
        if offsets != nil { offsets![pointer(from: path)] = lexer.pos }
        guard let b = lexer.peek() else { throw lexer.badValueStart(expected: "a value") }
        switch b {
        case 0x7B: return try object(depth: depth)
        case 0x5B: return try array(depth: depth)
        case 0x22:
            let t = try lexer.scanString()
            return .string(lexer.decode(t))
        case 0x74: try lexer.scanLiteral("true"); return .bool(true)
        case 0x66: try lexer.scanLiteral("false"); return .bool(false)
        case 0x6E: try lexer.scanLiteral("null"); return .null
        case 0x2D, 0x30...0x39:
            let t = try lexer.scanNumber()
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: lexer.bytes[t.start..<t.end]), as: UTF8.self)
            if t.hasExponent || t.end - t.start > 300 {
                // I-JSON: a number must fit binary64; one that overflows to infinity is refused.
                if let d = Double(text), !d.isFinite { throw .init(problem: .numberOutOfRange, offset: t.start) }
            }
            let number = JSONNumber(lexeme: text)
            // An integer of 16 digits or more may lie beyond 2^53−1, where binary64 would change it: refused
            // here by the same rule that canonical output applies, so that what `json check` accepts can
            // always be written canonically.
            if t.isIntegerLexeme, t.end - t.start >= 16, CanonicalJSON.canonicalNumber(number) == nil {
                throw .init(problem: .integerNotExact(text), offset: t.start)
            }
            return .number(number)
        default:
            throw lexer.badValueStart(expected: "a value")
        }
    }

    package mutating func object(depth: Int) throws(JSONLexer.Failure) -> JSONValue {
        if depth > limits.maxDepth { throw .init(problem: .tooDeep(limit: limits.maxDepth), offset: lexer.pos) }
        lexer.pos += 1
        var members: [(key: String, value: JSONValue)] = []
        var seen: Set<String>? = nil
        lexer.skipWhitespace()
        if lexer.peek() == 0x7D { lexer.pos += 1; return .object(JSONObject(members)) }
        while true {
            guard let b = lexer.peek() else { throw .init(problem: .unexpectedEnd(expected: "a key string or '}'"), offset: lexer.pos) }
            guard b == 0x22 else { throw .init(problem: .unexpectedByte(b, expected: "a key string (in double quotes)"), offset: lexer.pos) }
            let keyStart = lexer.pos
            let t = try lexer.scanString()
            let key = lexer.decode(t)
            // Linear scan while small, a set once the object grows: payload objects have at most 8 keys.
            if members.count < 16 {
                if members.contains(where: { $0.key == key }) { path.append(.key(key)); throw .init(problem: .duplicateKey(key), offset: keyStart) }
            } else {
                if seen == nil { seen = Set(members.map(\.key)) }
                if !seen!.insert(key).inserted { path.append(.key(key)); throw .init(problem: .duplicateKey(key), offset: keyStart) }
            }
            lexer.skipWhitespace()
            try lexer.expect(0x3A, "':' after the key")
            lexer.skipWhitespace()
            path.append(.key(key))
            let v = try value(depth: depth + 1)
            path.removeLast()
            members.append((key, v))
            lexer.skipWhitespace()
            guard let c = lexer.peek() else { throw .init(problem: .unexpectedEnd(expected: "',' or '}'"), offset: lexer.pos) }
            if c == 0x2C {
                lexer.pos += 1
                lexer.skipWhitespace()
                if lexer.peek() == 0x7D { throw .init(problem: .unexpectedByte(0x7D, expected: "another member after ',' (trailing commas are not JSON)"), offset: lexer.pos) }
                continue
            }
            if c == 0x7D { lexer.pos += 1; return .object(JSONObject(members)) }
            throw .init(problem: .unexpectedByte(c, expected: "',' or '}'"), offset: lexer.pos)
        }
    }

    package mutating func array(depth: Int) throws(JSONLexer.Failure) -> JSONValue {
        if depth > limits.maxDepth { throw .init(problem: .tooDeep(limit: limits.maxDepth), offset: lexer.pos) }
        lexer.pos += 1
        var items: [JSONValue] = []
        lexer.skipWhitespace()
        if lexer.peek() == 0x5D { lexer.pos += 1; return .array(items) }
        while true {
            path.append(.index(items.count))
            let v = try value(depth: depth + 1)
            path.removeLast()
            items.append(v)
            lexer.skipWhitespace()
            guard let c = lexer.peek() else { throw .init(problem: .unexpectedEnd(expected: "',' or ']'"), offset: lexer.pos) }
            if c == 0x2C {
                lexer.pos += 1
                lexer.skipWhitespace()
                if lexer.peek() == 0x5D { throw .init(problem: .unexpectedByte(0x5D, expected: "another value after ',' (trailing commas are not JSON)"), offset: lexer.pos) }
                continue
            }
            if c == 0x5D { lexer.pos += 1; return .array(items) }
            throw .init(problem: .unexpectedByte(c, expected: "',' or ']'"), offset: lexer.pos)
        }
    }
}
