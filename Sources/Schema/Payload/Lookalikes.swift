import Core
/// Explains why a string that looks like a vocabulary word is not one: look-alike characters are named by
/// code point, case and near-misses get a suggestion. Only error paths call this.
enum VocabularyHint {
    /// ASCII characters that common look-alikes are mistaken for.
    static let confusables: [UInt32: (Character, String)] = [
        0x2010: ("-", "HYPHEN"), 0x2011: ("-", "NON-BREAKING HYPHEN"), 0x2012: ("-", "FIGURE DASH"),
        0x2013: ("-", "EN DASH"), 0x2014: ("-", "EM DASH"), 0x2212: ("-", "MINUS SIGN"), 0xFE63: ("-", "SMALL HYPHEN-MINUS"),
        0xFF0D: ("-", "FULLWIDTH HYPHEN-MINUS"), 0x00AD: ("-", "SOFT HYPHEN"),
        0x0430: ("a", "CYRILLIC SMALL LETTER A"), 0x0435: ("e", "CYRILLIC SMALL LETTER IE"), 0x043E: ("o", "CYRILLIC SMALL LETTER O"),
        0x0440: ("p", "CYRILLIC SMALL LETTER ER"), 0x0441: ("c", "CYRILLIC SMALL LETTER ES"), 0x0443: ("y", "CYRILLIC SMALL LETTER U"),
        0x0445: ("x", "CYRILLIC SMALL LETTER HA"), 0x0456: ("i", "CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I"),
        0x0458: ("j", "CYRILLIC SMALL LETTER JE"), 0x0455: ("s", "CYRILLIC SMALL LETTER DZE"), 0x04BB: ("h", "CYRILLIC SMALL LETTER SHHA"),
        0x03BF: ("o", "GREEK SMALL LETTER OMICRON"), 0x03B1: ("a", "GREEK SMALL LETTER ALPHA"), 0x03B9: ("i", "GREEK SMALL LETTER IOTA"),
        0x0131: ("i", "LATIN SMALL LETTER DOTLESS I"), 0x2024: (".", "ONE DOT LEADER"), 0xFF0E: (".", "FULLWIDTH FULL STOP"),
        0x00A0: (" ", "NO-BREAK SPACE"), 0x200B: ("\u{0}", "ZERO WIDTH SPACE"), 0x200C: ("\u{0}", "ZERO WIDTH NON-JOINER"),
        0x200D: ("\u{0}", "ZERO WIDTH JOINER"), 0xFEFF: ("\u{0}", "ZERO WIDTH NO-BREAK SPACE"), 0x2060: ("\u{0}", "WORD JOINER"),
    ]

    /// The folded ASCII spelling of `s` (look-alikes replaced, invisible characters dropped, lower-cased).
    static func fold(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            if let (c, _) = confusables[u.value] { if c != "\u{0}" { out.append(c) } ; continue }
            if (0xFF01...0xFF5E).contains(u.value), let a = Unicode.Scalar(u.value - 0xFEE0) { out.unicodeScalars.append(a); continue }
            out.unicodeScalars.append(u)
        }
        return out.lowercased()
    }

    /// A parenthesised explanation for a string that is not in `vocabulary`, or nil when nothing helps.
    /// Returns whether the string is a look-alike of a vocabulary word.
    static func explain(_ s: String, vocabulary: [String]) -> (hint: String, lookalike: Bool)? {
        var named: [String] = []
        for u in s.unicodeScalars where u.value >= 0x80 || u.value < 0x20 {
            if let (c, name) = confusables[u.value] {
                named.append(c == "\u{0}" ? "U+\(hex4(u.value)) \(name) is invisible" : "U+\(hex4(u.value)) \(name) is not \(describeASCII(c))")
            } else if (0xFF01...0xFF5E).contains(u.value) {
                named.append("U+\(hex4(u.value)) is a fullwidth form")
            } else if u.value < 0x20 {
                named.append("U+\(hex4(u.value)) is a control character")
            } else {
                named.append("U+\(hex4(u.value)) is not ASCII")
            }
            if named.count == 3 { break }
        }
        let folded = fold(s)
        if let match = vocabulary.first(where: { $0 == folded }) {
            if !named.isEmpty { return ("(\(named.joined(separator: "; ")): did you mean \(quoteForMessage(match))?)", true) }
            return ("(vocabulary words are lower-case: did you mean \(quoteForMessage(match))?)", true)
        }
        if !named.isEmpty { return ("(\(named.joined(separator: "; ")))", true) }
        // Before the family test: "gpt-5-mini " is gpt-5-mini with a space, not a snapshot of gpt-5.
        let trimmed = s.trimmingASCIIWhitespace()
        if trimmed != s, vocabulary.contains(trimmed) { return ("(remove the surrounding whitespace)", true) }
        // A dated snapshot or a provider prefix of a vocabulary word: name the family.
        if let family = vocabulary.filter({ folded.hasPrefix($0 + "-") || folded.hasPrefix($0 + "@") || folded.hasPrefix($0 + ":")
                                            || folded.hasSuffix("/" + $0) || folded.hasSuffix("." + $0) }).max(by: { $0.count < $1.count }) {
            return ("(vocabulary words name a model family without provider or snapshot: did you mean \(quoteForMessage(family))?)", false)
        }
        var best: (String, Int)? = nil
        for v in vocabulary {
            let d = editDistance(folded, v)
            if d <= 2, best == nil || d < best!.1 { best = (v, d) }
        }
        if let (v, _) = best { return ("(did you mean \(quoteForMessage(v))?)", false) }
        return nil
    }

    static func describeASCII(_ c: Character) -> String {
        switch c {
        case "-": return "a hyphen-minus"
        case " ": return "a space"
        case ".": return "a full stop"
        default: return "Latin '\(c)'"
        }
    }
}

extension String {
    func trimmingASCIIWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\n" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" || l == "\r" { s = s.dropLast() }
        return String(s)
    }
}
