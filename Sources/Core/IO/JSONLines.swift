#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams a JSON-lines file (or standard input) line by line in constant memory: a fixed read buffer,
/// lines handed out as borrowed byte ranges. A line longer than `maxLineBytes` is reported, not buffered.
public struct JSONLinesReader {
    public enum Line {
        /// The line's bytes without its `\n` (a `\r` before it is kept: CRLF is not canonical).
        case bytes(UnsafeRawBufferPointer)
        /// The line exceeded the limit; its content was skipped.
        case tooLong(Int)
    }

    public let path: String
    public let maxLineBytes: Int
    /// Lines already in memory (tests, library use).
    public let memory: [UInt8]?
    /// Lines kept in a scratch file (standard input, copied as it was first read, to be read again).
    public let scratch: ScratchFile?

    public init(path: String, maxLineBytes: Int = 64 << 10) {
        self.path = path
        self.maxLineBytes = maxLineBytes
        self.memory = nil
        self.scratch = nil
    }

    /// Reads lines from a scratch file, from its start; `path` only names them.
    public init(scratch: ScratchFile, path: String, maxLineBytes: Int = 64 << 10) {
        self.path = path
        self.maxLineBytes = maxLineBytes
        self.memory = nil
        self.scratch = scratch
    }

    /// Opens the input (the caller closes it when `ownsDescriptor`).
    public func open() throws(FileError) -> (fd: Int32, ownsDescriptor: Bool) {
        if let scratch {
            guard lseek(scratch.fd, 0, SEEK_SET) == 0 else { throw .cannotRead(path: path, reason: errnoText()) }
            return (scratch.fd, false)
        }
        return (try Files.openInput(path), path != "-")
    }

    /// Reads lines from bytes already in memory; `path` only names them.
    public init(bytes: [UInt8], path: String, maxLineBytes: Int = 64 << 10) {
        self.path = path
        self.maxLineBytes = maxLineBytes
        self.memory = bytes
        self.scratch = nil
    }

    /// Calls `body` with each line number (1-based) and line. `body` returns false to stop early.
    /// Reads blocks of whole lines (`LineBlocks`, which `release build` hands to its workers) and splits
    /// them here: one reader for both.
    public func forEachLine(_ body: (Int, Line) throws -> Bool) throws {
        var blocks = try LineBlocks(self)
        defer { blocks.close() }
        let target = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: LineBlocks.bufferBytes(target: target, maxLineBytes: maxLineBytes), alignment: 16)
        defer { buffer.deallocate() }
        var lineNo = 0
        while let block = try blocks.fill(buffer, target: target) {
            switch block {
            case .tooLong(let length):
                lineNo += 1
                if try !body(lineNo, .tooLong(length)) { return }
            case .lines(let end):
                let base = UnsafeRawPointer(buffer.baseAddress!)
                var start = 0
                while start < end {
                    let stop = memchr(base + start, 0x0A, end - start).map { base.distance(to: UnsafeRawPointer($0)) } ?? end
                    lineNo += 1
                    let line: Line = stop - start > maxLineBytes ? .tooLong(stop - start) : .bytes(UnsafeRawBufferPointer(start: base + start, count: stop - start))
                    if try !body(lineNo, line) { return }
                    start = stop + 1
                }
            }
        }
    }
}

/// Reads a `JSONLinesReader`'s input as blocks of whole lines, from a file descriptor or from bytes in
/// memory: reads into the caller's buffer, cuts after its last newline and carries the partial line over
/// to the next block. A line too long for the buffer is skipped to its end and handed over as its length
/// alone. `release build` hands each block to a worker (Intake's `LineBatch`); `forEachLine` splits them.
package struct LineBlocks {
    /// What `fill` put in the buffer.
    package enum Block {
        /// Bytes `0..<end` are whole lines (the last one ends without a newline only at the end of input).
        case lines(end: Int)
        /// One line longer than the buffer, of this many bytes; the buffer holds nothing of it.
        case tooLong(Int)
    }

    /// A buffer size for blocks of about `target` bytes: room for two lines of `maxLineBytes` more, so that
    /// a line within the limit always fits in one block.
    package static func bufferBytes(target: Int, maxLineBytes: Int) -> Int { max(1, target) + 2 * maxLineBytes + 2 }

    private let fd: Int32
    private let ownsDescriptor: Bool
    private let memory: [UInt8]?
    private var memoryOffset = 0
    private let path: String
    /// Where every byte read is copied (standard input, so that it can be read a second time).
    private let copy: ScratchFile?
    private var carry: [UInt8] = []
    private var eof = false

    /// Opens `reader`'s input (the file is closed by `close()`), copying what it reads to `copy`.
    package init(_ reader: JSONLinesReader, copyingTo copy: ScratchFile? = nil) throws(FileError) {
        path = reader.path
        memory = reader.memory
        self.copy = copy
        if memory != nil { (fd, ownsDescriptor) = (-1, false) } else { (fd, ownsDescriptor) = try reader.open() }
    }

    package func close() { if ownsDescriptor { posixClose(fd) } }

    /// Reads up to `n` bytes into `to`; 0 at the end.
    private mutating func read(_ to: UnsafeMutableRawPointer, _ n: Int) throws(FileError) -> Int {
        if let memory {
            let k = min(n, memory.count - memoryOffset)
            memory.withUnsafeBytes { m in if k > 0 { to.copyMemory(from: m.baseAddress! + memoryOffset, byteCount: k) } }
            memoryOffset += k
            return k
        }
        while true {
            let r = posixRead(fd, to, n)
            if r > 0, let copy { try copy.write(UnsafeRawBufferPointer(start: to, count: r)) }
            if r >= 0 { return r }
            if errno != EINTR { throw FileError.cannotRead(path: path, reason: errnoText()) }
        }
    }

    /// Fills `buf` with the next whole lines, reading until at least `target` bytes are in (or the input
    /// ends); nil when the input is exhausted.
    package mutating func fill(_ buf: UnsafeMutableRawBufferPointer, target: Int) throws(FileError) -> Block? {
        var n = carry.count
        carry.withUnsafeBytes { c in if n > 0 { buf.baseAddress!.copyMemory(from: c.baseAddress!, byteCount: n) } }
        carry.removeAll(keepingCapacity: true)
        var searched = 0
        while true {
            // Cut after the last newline once enough is read (or at the end of input).
            if n >= target || eof || n == buf.count {
                var last = n - 1
                while last >= searched, buf[last] != 0x0A { last -= 1 }
                if last >= searched || (eof && n > 0) {
                    let cut = last >= searched ? last + 1 : n
                    carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: buf[cut..<n]))
                    return .lines(end: cut)
                }
                if eof { return nil }
                if n == buf.count {
                    // No line end in a full buffer: a line longer than any payload. Skip to its end.
                    var total = n
                    while true {
                        let r = try read(buf.baseAddress!, buf.count)
                        if r == 0 { eof = true; break }
                        if let nl = memchr(buf.baseAddress!, 0x0A, r) {
                            let at = buf.baseAddress!.distance(to: UnsafeMutableRawPointer(nl))
                            total += at
                            carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: buf[(at + 1)..<r]))
                            break
                        }
                        total += r
                    }
                    return .tooLong(total)
                }
                searched = n
            }
            let r = try read(buf.baseAddress! + n, buf.count - n)
            if r == 0 { eof = true } else { n += r }
        }
    }
}

