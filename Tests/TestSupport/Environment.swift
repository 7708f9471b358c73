#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An environment variable's value (UPDATE_GOLDEN, measurement switches), nil when unset.
public func getenvString(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
