/// A 64-bit FNV-1a hash of text, to tell one scenario (and the data files it reads) from
/// another in partial outputs, and two names apart in folder names.
///
/// Not a security measure: it catches shards of a changed file or another seed being
/// merged by mistake, and needs nothing beyond the standard library.
public struct Fingerprint: Sendable {
    private var state: UInt64 = 0xcbf2_9ce4_8422_2325

    /// The hash of nothing.
    public init() {}

    /// Adds text, followed by a separator, so that ("ab", "c") and ("a", "bc") differ.
    public mutating func add(_ text: String) {
        for byte in text.utf8 { mix(byte) }
        mix(0)
    }

    /// Adds bytes as they are, without a separator (the hash of a file's content).
    public mutating func add(bytes: [UInt8]) {
        for byte in bytes { mix(byte) }
    }

    private mutating func mix(_ byte: UInt8) {
        state ^= UInt64(byte)
        state = state &* 0x0000_0100_0000_01b3
    }

    /// The hash as 16 hexadecimal digits.
    public var hex: String {
        let digits = String(state, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
