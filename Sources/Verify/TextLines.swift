/// Why a key or signature text file is not in the LF-only line layout we read.
public enum LineProblem: Error, Hashable, Sendable {
    case carriageReturn(line: Int)
    case nulByte(line: Int)
}

/// Splits the small text files of the signature formats (keys, signatures) into lines, strictly: LF line
/// endings only (we write LF; ssh-keygen rejects CRLF, and a CR left inside a trusted comment would hide
/// text on a terminal), no NUL bytes, the last line may lack its newline.
enum TextLines {
    typealias Problem = LineProblem

    static func split(_ bytes: [UInt8]) throws(Problem) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        for b in bytes {
            switch b {
            case 0x0A: lines.append(current); current = []
            case 0x0D: throw .carriageReturn(line: lines.count + 1)
            case 0x00: throw .nulByte(line: lines.count + 1)
            default: current.append(b)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    static func hasPrefix(_ line: [UInt8], _ prefix: String) -> Bool {
        let p = Array(prefix.utf8)
        return line.count >= p.count && Array(line[..<p.count]) == p
    }

    static func message(_ p: Problem) -> String {
        switch p {
        case .carriageReturn(let l): return "line \(l) ends with CR LF or holds a carriage return; these files use LF line endings"
        case .nulByte(let l): return "line \(l) holds a NUL byte"
        }
    }
}

/// Little-endian integers of the minisign blobs.
enum LittleEndian {
    static func u64(_ b: ArraySlice<UInt8>) -> UInt64 {
        var v: UInt64 = 0
        for (i, x) in b.prefix(8).enumerated() { v |= UInt64(x) << (8 * UInt64(i)) }
        return v
    }

    static func bytes(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) } }
}
