import CSodium
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a file could not be read or written. These are "could not check" conditions (exit 2), never
/// verdicts about the content.
public enum FileError: Error, Hashable, Sendable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case cannotRead(path: String, reason: String)
    case tooLarge(path: String, limit: Int)
    case exists(path: String)
    case cannotWrite(path: String, reason: String)
    case insecurePermissions(path: String, mode: UInt32)

    public var description: String {
        switch self {
        case .cannotOpen(let p, let r): return "\(p): cannot open: \(r)"
        case .cannotRead(let p, let r): return "\(p): cannot read: \(r)"
        case .tooLarge(let p, let limit): return "\(p): file is larger than the \(formatBytes(limit)) limit"
        case .exists(let p): return "\(p): already exists; refusing to overwrite it (use --force to replace it)"
        case .cannotWrite(let p, let r): return "\(p): cannot write: \(r)"
        case .insecurePermissions(let p, let mode):
            return "\(p): secret file is readable or writable by others (mode \(String(mode & 0o777, radix: 8))); run `chmod 600 \(p)`"
        }
    }

    public var path: String {
        switch self {
        case .cannotOpen(let p, _), .cannotRead(let p, _), .tooLarge(let p, _), .exists(let p),
             .cannotWrite(let p, _), .insecurePermissions(let p, _): return p
        }
    }
}

/// The text of the current `errno` (for one-line file errors).
public func errnoText() -> String { String(cString: strerror(errno)) }

/// A file opened to be read front to back (`-`: standard input, descriptor 0, which the caller must not
/// close), with a directory refused and the kernel told to read ahead.
public func openForStreaming(_ path: String) throws(FileError) -> Int32 {
    if path == "-" { return 0 }
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw FileError.cannotOpen(path: path, reason: errnoText()) }
    var st = stat()
    if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
        close(fd)
        throw FileError.cannotRead(path: path, reason: "is a directory")
    }
    #if os(Linux)
    _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
    #endif
    return fd
}

/// File reading and atomic writing, with the project's rules: limits on what is read, no overwrite unless
/// asked, temp file + fsync + rename so that a failed run leaves no half-written file.
public enum Files {
    /// Reads a whole file (or standard input for "-"), refusing more than `limit` bytes.
    public static func read(_ path: String, limit: Int = 256 << 20) throws(FileError) -> [UInt8] {
        try read(path, limit: limit, wipe: false)
    }

    /// - Parameter wipe: zero the read buffer before returning (secrets); the caller wipes the result.
    static func read(_ path: String, limit: Int, wipe: Bool) throws(FileError) -> [UInt8] {
        let fd: Int32 = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: errnoText()) }
        defer { if path != "-" { close(fd) } }
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR { throw .cannotRead(path: path, reason: "is a directory") }
        var out: [UInt8] = []
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG {
            if Int(st.st_size) > limit { throw .tooLarge(path: path, limit: limit) }
            out.reserveCapacity(Int(st.st_size))
        }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        // sodium_memzero is not optimised away like a plain loop over memory about to be freed.
        defer { if wipe { chunk.withUnsafeMutableBytes { sodium_memzero($0.baseAddress, $0.count) } } }
        if wipe, out.capacity == 0 { out.reserveCapacity(limit) }   // no reallocation leaves a stale copy behind
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; throw .cannotRead(path: path, reason: errnoText()) }
            if n == 0 { break }
            if out.count + n > limit { throw .tooLarge(path: path, limit: limit) }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }

    /// Reads a secret file, refusing it unless only its owner can read or write it (mode 0600 or 0400).
    public static func readSecret(_ path: String, limit: Int = 1 << 16) throws(FileError) -> [UInt8] {
        var st = stat()
        guard stat(path, &st) == 0 else { throw .cannotOpen(path: path, reason: errnoText()) }
        if st.st_mode & 0o077 != 0 { throw .insecurePermissions(path: path, mode: UInt32(st.st_mode)) }
        return try read(path, limit: limit, wipe: true)
    }

    public static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    /// Writes `bytes` to `path` atomically: a temporary file in the same directory, fsync, then rename
    /// (or link, when overwriting is not allowed, so that a file appearing meanwhile is never replaced).
    /// - Parameters:
    ///   - mode: permission bits of the new file (0600 for secrets).
    ///   - overwrite: replace an existing file; otherwise an existing file is an error.
    public static func writeAtomically(_ path: String, _ bytes: [UInt8], mode: UInt32 = 0o644, overwrite: Bool = false) throws(FileError) {
        if !overwrite && exists(path) { throw .exists(path: path) }
        let dir: String
        if let slash = path.lastIndex(of: "/") { dir = slash == path.startIndex ? "/" : String(path[..<slash]) } else { dir = "." }
        let base = path.split(separator: "/").last.map(String.init) ?? path
        var template = Array("\(dir)/.\(base).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw .cannotWrite(path: path, reason: errnoText()) }
        let tmp = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var ok = false
        defer { if !ok { unlink(tmp) } }
        fchmod(fd, mode_t(mode))
        var written = 0
        let failure: String? = bytes.withUnsafeBytes { p in
            while written < p.count {
                let n = write(fd, p.baseAddress! + written, p.count - written)
                if n < 0 { if errno == EINTR { continue }; return errnoText() }
                written += n
            }
            return nil
        }
        if let failure { close(fd); throw .cannotWrite(path: path, reason: failure) }
        if fsync(fd) != 0 { let r = errnoText(); close(fd); throw .cannotWrite(path: path, reason: r) }
        close(fd)
        if overwrite {
            guard rename(tmp, path) == 0 else { throw .cannotWrite(path: path, reason: errnoText()) }
        } else {
            // link() fails with EEXIST instead of replacing: no race with a file created meanwhile.
            guard link(tmp, path) == 0 else {
                if errno == EEXIST { throw .exists(path: path) }
                throw .cannotWrite(path: path, reason: errnoText())
            }
            unlink(tmp)
        }
        ok = true
        // Make the rename durable.
        let dfd = open(dir, O_RDONLY | O_DIRECTORY)
        if dfd >= 0 { fsync(dfd); close(dfd) }
    }
}
