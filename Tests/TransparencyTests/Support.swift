import Core
import Intake
import Foundation
import Anon
import Verify
@testable import Transparency

/// Test helpers: hex, fixed keys, the vectors folder.
enum TT {
    static func bytes(_ hex: String) -> [UInt8] {
        let u = Array(hex.utf8)
        return stride(from: 0, to: u.count, by: 2).map { UInt8(String(decoding: u[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
    }

    static func hex(_ b: [UInt8]) -> String { Hex.encode(b) }

    static func key(seed: UInt8) -> Ed25519.SecretKey {
        try! Ed25519.SecretKey(seed: SecureBytes(copying: [UInt8](repeating: seed, count: 32)))
    }

    static let vectors = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Vectors")

    static func json(_ name: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: vectors.appendingPathComponent(name)))
    }

    static func tempDir() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("transparency-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
