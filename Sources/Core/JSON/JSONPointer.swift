/// An RFC 6901 JSON Pointer, kept as its unescaped reference tokens.
public struct JSONPointer: Hashable, Sendable, CustomStringConvertible, Comparable {
    public private(set) var tokens: [String]

    public init(_ tokens: [String] = []) { self.tokens = tokens }

    /// Parses the string form (`/entries/0/tool`); the empty string is the whole document.
    public init?(parsing text: String) {
        if text.isEmpty { self.tokens = []; return }
        guard text.hasPrefix("/") else { return nil }
        self.tokens = text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences("~1", "/").replacingOccurrences("~0", "~")
        }
    }

    public static let root = JSONPointer()

    public func appending(_ token: String) -> JSONPointer { var p = self; p.tokens.append(token); return p }
    public func appending(_ index: Int) -> JSONPointer { appending(String(index)) }
    public var parent: JSONPointer { var p = self; if !p.tokens.isEmpty { p.tokens.removeLast() }; return p }
    public var last: String? { tokens.last }

    /// The string form; the root is written as the empty string, shown as `/` nowhere.
    public var description: String {
        var out = ""
        for t in tokens { out += "/" + t.replacingOccurrences("~", "~0").replacingOccurrences("/", "~1") }
        return out
    }

    /// The pointer as shown to people: the root is written `(root)` so that it is never an empty field.
    /// Tokens are object keys from untrusted documents, so everything outside printable ASCII (and the
    /// backslash) is escaped as in `quoteForMessage`: a key cannot move the cursor or fake a report line.
    public var display: String {
        if tokens.isEmpty { return "(root)" }
        var out = ""
        for u in description.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case " "..."~": out.unicodeScalars.append(u)
            default: out += "\\u{\(hex4(u.value))}"
            }
        }
        return out
    }

    package static func arrayIndex(_ token: String) -> Int? {
        guard !token.isEmpty, token.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), token == "0" || !token.hasPrefix("0") else { return nil }
        return Int(token)
    }

    public static func < (a: JSONPointer, b: JSONPointer) -> Bool { a.tokens.lexicographicallyPrecedes(b.tokens) }
}

extension Substring {
    fileprivate func replacingOccurrences(_ a: String, _ b: String) -> String { String(self).replacingOccurrences(a, b) }
}

extension String {
    /// Plain substring replacement without Foundation (the core stays Foundation-free on its hot paths).
    package func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        guard !target.isEmpty, self.contains(target) else { return self }
        var out = ""
        var rest = self[...]
        while let r = rest.range(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        out += rest
        return out
    }
}

extension Substring {
    package func range(of target: String) -> Range<Substring.Index>? {
        let t = Array(target.utf8)
        let u = self.utf8
        guard t.count <= u.count else { return nil }
        var i = u.startIndex
        while i != u.endIndex {
            var j = i, k = 0
            while k < t.count, j != u.endIndex, u[j] == t[k] { j = u.index(after: j); k += 1 }
            if k == t.count { return i..<j }
            i = u.index(after: i)
        }
        return nil
    }
}
