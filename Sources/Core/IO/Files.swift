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
    /// An output that is one of the command's inputs (the same file, by name, link or inode).
    case outputIsInput(path: String, input: String)
    /// Two outputs of one command that are the same file.
    case outputTwice(path: String, other: String)

    public var description: String {
        switch self {
        case .cannotOpen(let p, let r): return "\(p): cannot open: \(r)"
        case .cannotRead(let p, let r): return "\(p): cannot read: \(r)"
        case .tooLarge(let p, let limit): return "\(p): file is larger than the \(formatBytes(limit)) limit"
        case .exists(let p): return "\(p): already exists; refusing to overwrite it (use --force to replace it)"
        case .cannotWrite(let p, let r): return "\(p): cannot write: \(r)"
        case .insecurePermissions(let p, let mode):
            return "\(p): secret file is readable or writable by others (mode \(String(mode & 0o777, radix: 8))); run `chmod 600 \(p)`"
        case .outputIsInput(let p, let input):
            let same = p == input ? "" : " (\(input), the same file)"
            return "\(p): is also an input of this command\(same); refusing to write over an input, even with --force"
        case .outputTwice(let p, let other): return "\(p): named twice as an output (also as \(other))"
        }
    }

    public var path: String {
        switch self {
        case .cannotOpen(let p, _), .cannotRead(let p, _), .tooLarge(let p, _), .exists(let p),
             .cannotWrite(let p, _), .insecurePermissions(let p, _), .outputIsInput(let p, _), .outputTwice(let p, _): return p
        }
    }
}

/// The text of the current `errno` (for one-line file errors).
public func errnoText() -> String { String(cString: strerror(errno)) }

/// File reading and atomic writing, with the project's rules: every input is a regular file (or standard
/// input), opened without ever blocking; limits on what is read; outputs never over an input, never over an
/// existing file unless asked (--force), and all-or-nothing, so that a failed run leaves no half-written or
/// temporary file.
public enum Files {
    /// Opens an input to read front to back: the one door every input goes through. `-` is standard input
    /// (descriptor 0, which the caller must not close). Anything but a regular file (a FIFO, a device, a
    /// socket, a directory) is refused: a FIFO with no writer, or a device like /dev/zero, would block or
    /// never end. The file is opened with O_NONBLOCK so that even opening a FIFO returns at once; the flag
    /// is cleared once the file is known to be regular.
    public static func openInput(_ path: String) throws(FileError) -> Int32 {
        if path == "-" { return 0 }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: errnoText()) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { let r = errnoText(); close(fd); throw .cannotRead(path: path, reason: r) }
        let kind = st.st_mode & S_IFMT
        guard kind == S_IFREG else { close(fd); throw .cannotRead(path: path, reason: refusal(kind)) }
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK)
        #if os(Linux)
        _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
        #endif
        return fd
    }

    /// Why a file of this kind (`st_mode & S_IFMT`) is not read.
    package static func refusal(_ kind: mode_t) -> String {
        switch kind {
        case S_IFDIR: return "is a directory"
        case S_IFIFO: return "is a FIFO (named pipe), not a regular file"
        case S_IFCHR: return "is a character device, not a regular file"
        case S_IFBLK: return "is a block device, not a regular file"
        case S_IFSOCK: return "is a socket, not a regular file"
        default: return "is not a regular file"
        }
    }

    /// Reads a whole file (or standard input for "-"), refusing more than `limit` bytes.
    public static func read(_ path: String, limit: Int = 256 << 20) throws(FileError) -> [UInt8] {
        let fd = try openInput(path)
        defer { if path != "-" { close(fd) } }
        return try read(fd, path: path, limit: limit, wipe: false)
    }

    /// - Parameter wipe: zero the read buffer before returning (secrets); the caller wipes the result.
    package static func read(_ fd: Int32, path: String, limit: Int, wipe: Bool) throws(FileError) -> [UInt8] {
        var st = stat()
        var out: [UInt8] = []
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG {
            if Int(st.st_size) > limit { throw .tooLarge(path: path, limit: limit) }
            out.reserveCapacity(Int(st.st_size))
        }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        // Secret.wipe is not optimised away like a plain loop over memory about to be freed.
        defer { if wipe { Secret.wipe(&chunk) } }
        if wipe, out.capacity == 0 { out.reserveCapacity(limit) }   // no reallocation leaves a stale copy behind
        while true {
            let n = chunk.withUnsafeMutableBytes { posixRead(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; throw .cannotRead(path: path, reason: errnoText()) }
            if n == 0 { break }
            if out.count + n > limit { throw .tooLarge(path: path, limit: limit) }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }

    /// Reads a secret file, refusing it unless only its owner can read or write it (mode 0600 or 0400).
    /// The mode is taken from the opened file, so the file checked is the file read.
    public static func readSecret(_ path: String, limit: Int = 1 << 16) throws(FileError) -> [UInt8] {
        if path == "-" { throw .cannotOpen(path: path, reason: "a secret is read from a file only its owner can read, not from standard input") }
        let fd = try openInput(path)
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .cannotRead(path: path, reason: errnoText()) }
        if st.st_mode & 0o077 != 0 { throw .insecurePermissions(path: path, mode: UInt32(st.st_mode)) }
        return try read(fd, path: path, limit: limit, wipe: true)
    }

    public static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    /// The names in a directory (not `.` nor `..`), sorted. The directory is opened without blocking and
    /// must be one; its entries are read through `openInput` by the caller.
    public static func listDirectory(_ path: String) throws(FileError) -> [String] {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: errnoText()) }
        guard let dir = fdopendir(fd) else { let r = errnoText(); close(fd); throw .cannotOpen(path: path, reason: r) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Writes `bytes` to `path` atomically (see `write(_:overwrite:inputs:)`).
    public static func writeAtomically(_ path: String, _ bytes: [UInt8], mode: UInt32 = 0o644, overwrite: Bool = false,
                                       inputs: [String] = []) throws(FileError) {
        try write([(path, bytes, mode)], overwrite: overwrite, inputs: inputs)
    }

    /// Writes files all-or-nothing: each to a temporary file in its directory, then, once every one is
    /// complete and on disk, each into place; if one cannot be put in place, those already placed are
    /// taken back (an overwritten file gets its old content back). No output may be an input.
    public static func write(_ files: [(path: String, bytes: [UInt8], mode: UInt32)], overwrite: Bool, inputs: [String]) throws(FileError) {
        try refuseOverlap(outputs: files.map(\.path), inputs: inputs)
        var pending: [PendingOutput] = []
        for f in files {
            let p = try PendingOutput(path: f.path, mode: f.mode)
            p.append(f.bytes)
            pending.append(p)
        }
        try commit(pending, overwrite: overwrite, inputs: inputs)
    }

    /// Refuses outputs that are inputs (by name, symbolic or hard link: the same device and inode; `-`
    /// as an input is whatever standard input is) or that name one file twice. Call it before the work
    /// (to fail early) and it is called again when the outputs are put in place.
    public static func refuseOverlap(outputs: [String], inputs: [String]) throws(FileError) {
        var inputIDs: [FileIdentity: String] = [:]
        for input in inputs {
            if let id = FileIdentity(existing: input) { inputIDs[id] = input }
        }
        var seen: [FileIdentity: String] = [:]
        for output in outputs {
            if let id = FileIdentity(existing: output), let input = inputIDs[id] { throw .outputIsInput(path: output, input: input) }
            let id = FileIdentity(output: output)
            if let other = seen[id] { throw .outputTwice(path: output, other: other) }
            seen[id] = output
        }
    }

    /// Puts every pending output in place, or none (see `write(_:overwrite:inputs:)`).
    public static func commit(_ outputs: [PendingOutput], overwrite: Bool, inputs: [String]) throws(FileError) {
        defer { for o in outputs { o.discard() } }
        try refuseOverlap(outputs: outputs.map(\.path), inputs: inputs)
        for o in outputs { try o.complete() }
        if !overwrite, let existing = outputs.first(where: { exists($0.path) }) { throw .exists(path: existing.path) }
        var placed: [PendingOutput] = []
        var ok = false
        defer {
            for o in placed { ok ? o.forgetBackup() : o.takeBack() }
        }
        for o in outputs {
            try o.place(overwrite: overwrite)
            placed.append(o)
        }
        ok = true
        for o in outputs { o.syncDirectory() }
    }
}

/// What makes two paths the same file: its device and inode, or, for a file that does not exist yet, its
/// directory's and its name.
package struct FileIdentity: Hashable {
    package let device: UInt64
    package let inode: UInt64
    package let name: String

    /// The file `path` names, following symbolic links (`-`: standard input); nil when there is none.
    package init?(existing path: String) {
        var st = stat()
        guard (path == "-" ? fstat(0, &st) : stat(path, &st)) == 0 else { return nil }
        device = UInt64(st.st_dev); inode = UInt64(st.st_ino); name = ""
    }

    /// The file an output path will be: the existing file, or (directory, name).
    package init(output path: String) {
        if let id = FileIdentity(existing: path) { self = id; return }
        let (dir, base) = splitPath(path)
        var st = stat()
        if stat(dir, &st) == 0 { device = UInt64(st.st_dev); inode = UInt64(st.st_ino); name = base }
        else { device = 0; inode = 0; name = path }
    }
}

/// (directory, last component) of a path; the directory is "." for a bare name.
package func splitPath(_ path: String) -> (String, String) {
    guard let slash = path.lastIndex(of: "/") else { return (".", path) }
    let dir = slash == path.startIndex ? "/" : String(path[..<slash])
    return (dir, String(path[path.index(after: slash)...]))
}

/// A new file of mode 0600 in `dir`: unnamed (O_TMPFILE) where the file system can make one, else named
/// after `template` (ending in XXXXXX), and then its name is returned too. Nil when neither can be made.
package func temporaryFile(in dir: String, template: String) -> (fd: Int32, name: String?)? {
    #if os(Linux)
    // O_TMPFILE is a compound macro Swift does not import: __O_TMPFILE | O_DIRECTORY.
    let fd = open(dir, 0o20000000 | O_DIRECTORY | O_RDWR | O_CLOEXEC, 0o600)
    if fd >= 0 { return (fd, nil) }
    #endif
    var name = Array("\(dir)/\(template)".utf8CString)
    let named = name.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard named >= 0 else { return nil }
    _ = fcntl(named, F_SETFD, FD_CLOEXEC)
    return (named, name.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
}

/// An output being written: an unnamed temporary file in the target's directory (O_TMPFILE), so that a
/// process killed at any point, even by SIGKILL, leaves nothing behind; where the file system cannot make
/// one, a hidden named temporary file (mode 0600 until complete) removed on every error path. Bytes are
/// buffered and written in large pieces; the first write error is kept and reported by `Files.commit`.
public final class PendingOutput {
    public let path: String
    package let mode: UInt32
    private let directory: String
    private let base: String
    private var fd: Int32 = -1
    /// The named temporary file (fallback), or the name an unnamed one was linked under to be renamed.
    private var tempName: String?
    /// The earlier file at `path`, kept under a hidden name until every output is in place.
    private var backup: String?
    private var placedNew = false
    private var buffer: [UInt8] = []
    private var failure: FileError?
    public private(set) var bytesWritten = 0

    public init(path: String, mode: UInt32 = 0o644) throws(FileError) {
        self.path = path
        self.mode = mode
        (directory, base) = splitPath(path)
        guard let (fd, name) = temporaryFile(in: directory, template: ".\(base).tmp-XXXXXX") else {
            throw .cannotWrite(path: path, reason: errnoText())
        }
        (self.fd, tempName) = (fd, name)
        buffer.reserveCapacity(1 << 16)
    }

    deinit { discard() }

    /// Appends bytes (a write error is kept for `Files.commit`).
    public func append<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        guard failure == nil else { return }
        buffer.append(contentsOf: bytes)
        bytesWritten += bytes.count
        if buffer.count >= 1 << 16 { flush() }
    }

    private func flush() {
        guard failure == nil, fd >= 0, !buffer.isEmpty else { buffer.removeAll(keepingCapacity: true); return }
        let reason: String? = buffer.withUnsafeBytes { p in
            var off = 0
            while off < p.count {
                let n = posixWrite(fd, p.baseAddress! + off, p.count - off)
                if n < 0 { if errno == EINTR { continue }; return errnoText() }
                off += n
            }
            return nil
        }
        // The buffer may hold a secret key's bytes (a wiped buffer costs nothing next to the write).
        Secret.wipe(&buffer)
        buffer.removeAll(keepingCapacity: true)
        if let reason { failure = .cannotWrite(path: path, reason: reason) }
    }

    /// Writes what is buffered, sets the final mode and makes the content durable.
    package func complete() throws(FileError) {
        flush()
        if let failure { throw failure }
        guard fd >= 0 else { throw .cannotWrite(path: path, reason: "already discarded") }
        if fchmod(fd, mode_t(mode)) != 0 || fsync(fd) != 0 { throw .cannotWrite(path: path, reason: errnoText()) }
    }

    /// Gives the complete file its name. Without `overwrite`, an existing file is never replaced (link(2)
    /// fails with EEXIST instead, so a file created meanwhile is safe); with it, the old file is kept aside
    /// until `forgetBackup`, so that `takeBack` can restore it.
    package func place(overwrite: Bool) throws(FileError) {
        if tempName == nil {
            // Name the unnamed file: directly when nothing may be replaced, else under a hidden name first.
            let target = overwrite ? hiddenName("tmp") : path
            guard linkat(AT_FDCWD, "/proc/self/fd/\(fd)", AT_FDCWD, target, AT_SYMLINK_FOLLOW) == 0 else {
                if errno == EEXIST && !overwrite { throw .exists(path: path) }
                throw .cannotWrite(path: path, reason: errnoText())
            }
            if !overwrite { placedNew = true; return }
            tempName = target
        }
        let temp = tempName!
        if overwrite {
            let keep = hiddenName("old")
            if link(path, keep) == 0 { backup = keep } else if errno != ENOENT { throw .cannotWrite(path: path, reason: errnoText()) }
            guard rename(temp, path) == 0 else {
                let r = errnoText()
                if let backup { unlink(backup); self.backup = nil }
                throw .cannotWrite(path: path, reason: r)
            }
        } else {
            guard link(temp, path) == 0 else {
                if errno == EEXIST { throw .exists(path: path) }
                throw .cannotWrite(path: path, reason: errnoText())
            }
            unlink(temp)
        }
        tempName = nil
        placedNew = true
    }

    /// Undoes `place`: the earlier file comes back, or the new name goes.
    package func takeBack() {
        guard placedNew else { return }
        if let backup { rename(backup, path) } else { unlink(path) }
        backup = nil
        placedNew = false
    }

    package func forgetBackup() {
        if let backup { unlink(backup) }
        backup = nil
    }

    /// Makes the new names durable.
    package func syncDirectory() {
        let dfd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 { fsync(dfd); close(dfd) }
    }

    /// Closes and removes the temporary file (if any is left); safe to call more than once.
    public func discard() {
        if fd >= 0 { close(fd); fd = -1 }
        if let tempName { unlink(tempName); self.tempName = nil }
        Secret.wipe(&buffer)
        buffer.removeAll()
    }

    private func hiddenName(_ kind: String) -> String {
        // Only unpredictable enough not to collide with another run's name; not a secret.
        var rng = SystemRandomNumberGenerator()
        let r = (0..<6).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
        let suffix = r.map { String($0 & 0x0F, radix: 16) + String($0 >> 4, radix: 16) }.joined()
        return "\(directory)/.\(base).\(kind)-\(suffix)"
    }
}

/// An unnamed scratch file (in $TMPDIR or /tmp), gone when closed or when the process dies: where
/// standard input is kept to be read a second time without holding it in memory.
public final class ScratchFile {
    public let fd: Int32

    public init() throws(FileError) {
        var dir = "/tmp"
        if let t = getenv("TMPDIR"), t.pointee != 0 { dir = String(cString: t) }
        guard let (fd, name) = temporaryFile(in: dir, template: "backpay-verify-XXXXXX") else { throw .cannotWrite(path: dir, reason: errnoText()) }
        if let name { unlink(name) }
        self.fd = fd
    }

    deinit { close(fd) }

    /// Appends all of `bytes`.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(FileError) {
        var off = 0
        while off < bytes.count {
            let n = posixWrite(fd, bytes.baseAddress! + off, bytes.count - off)
            if n < 0 { if errno == EINTR { continue }; throw .cannotWrite(path: "scratch file for standard input", reason: errnoText()) }
            off += n
        }
    }
}
