import Core
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An append-only array of plain values kept in fixed-size pages.
///
/// Growing never moves what is already stored, so a build that holds a few hundred megabytes peaks at
/// that, not at the two to three times an `Array` reaches while it reallocates and copies.
package final class PagedArray<Element: BitwiseCopyable> {
    private static var pageShift: Int { 16 }
    private static var pageMask: Int { (1 << pageShift) - 1 }
    // Unchecked: a class's stored properties are otherwise checked for exclusive access at run time on every
    // append (about 1 % of a release build). Nothing here hands out an inout access that could overlap.
    @exclusivity(unchecked) private var pages: [UnsafeMutablePointer<Element>] = []
    @exclusivity(unchecked) private(set) var count = 0

    package init() {}

    deinit { for p in pages { Self.release(p) } }

    package func append(_ element: Element) {
        let offset = count & Self.pageMask
        if offset == 0 { pages.append(Self.newPage()) }
        (pages[count >> Self.pageShift] + offset).initialize(to: element)
        count += 1
    }

    /// The storage of element `i`, for in-place updates; valid while the array lives.
    @inline(__always)
    package func pointer(_ i: Int) -> UnsafeMutablePointer<Element> {
        pages[i >> Self.pageShift] + (i & Self.pageMask)
    }

    @inline(__always)
    package subscript(i: Int) -> Element { pointer(i).pointee }

    private static var pageBytes: Int { MemoryLayout<Element>.stride << pageShift }

    /// A page of memory the kernel has already provided: one mmap with MAP_POPULATE instead of a page fault
    /// for every 4 KiB on first touch (a 10^7-entry build fills about 400 MB of pages; the faults were 4 %
    /// of its time).
    private static func newPage() -> UnsafeMutablePointer<Element> {
        #if os(Linux)
        guard let p = mmap(nil, pageBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0),
              p != UnsafeMutableRawPointer(bitPattern: -1) else {
            fatalError("out of memory: could not map \(pageBytes) bytes (\(errnoText()))")
        }
        return p.bindMemory(to: Element.self, capacity: 1 << pageShift)
        #else
        return .allocate(capacity: 1 << pageShift)
        #endif
    }

    private static func release(_ page: UnsafeMutablePointer<Element>) {
        #if os(Linux)
        munmap(page, pageBytes)
        #else
        page.deallocate()
        #endif
    }
}
