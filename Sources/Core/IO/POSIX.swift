#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The C library's read/write/close under names that the methods of the types calling them do not hide (a
// `read` method hides the global one inside its type, and `Glibc.read` names one platform).

@inline(__always) package func posixRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int { read(fd, buffer, count) }

@inline(__always) package func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int { write(fd, buffer, count) }

@inline(__always) package func posixClose(_ fd: Int32) { _ = close(fd) }
