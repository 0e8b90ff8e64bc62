import Foundation
import SimCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file so that readers see the old file or the complete new one, never a part.
///
/// The content goes to a temporary file in the same folder (the same file system, so the
/// rename cannot turn into a copy), is flushed to disk, and is then renamed over the target
/// with `rename(2)`, which replaces it in one step. If anything fails before the rename, the
/// temporary file is removed and the target is left as it was. An interrupted run (a crash,
/// ^C) can leave a hidden `.NAME.tmp-*` file behind, never a half-written `NAME`.
public enum AtomicFile {
    /// Writes `text` as UTF-8 to `path`, atomically.
    public static func write(_ text: String, to path: String) throws(ReportError) {
        try write(to: path) { sink throws(ReportError) in try sink.write(text) }
    }

    /// Writes what `body` gives the sink to `path`, atomically. If `body` throws, nothing
    /// changes at `path` and its error is rethrown as a ``ReportError``.
    public static func write(to path: String, _ body: (inout Sink) throws -> Void) throws(ReportError) {
        try commit(try temporary(for: path, body))
    }

    /// A complete file written beside its target, flushed to disk, not yet in place.
    struct Temporary {
        /// Its own path and its target's.
        var path: String
        var target: String
        /// Its size and FNV-1a hash (``Fingerprint``), for a manifest.
        var bytes: Int
        var hash: String
    }

    /// Writes what `body` gives the sink to a temporary file beside `path` and flushes it;
    /// on any failure nothing is left behind. `limit` (tests) fails a write past that many
    /// bytes as a full disk would.
    static func temporary(for path: String, limit: Int? = nil, _ body: (inout Sink) throws -> Void) throws(ReportError) -> Temporary {
        var file = try Pending(for: path, limit: limit)
        do {
            try body(&file.sink)
        } catch {
            file.abandon()
            throw error as? ReportError ?? ReportError(path: path, reason: "\(error)")
        }
        return try file.finish()
    }

    /// A temporary file beside its target, open for writing a part at a time (a file whose
    /// rows come run by run): ``finish()`` flushes it into a ``Temporary``, ``abandon()``
    /// removes it.
    struct Pending {
        let path: String
        let target: String
        /// Where the content goes.
        var sink: Sink

        /// Opens a new temporary file beside `path`.
        init(for path: String, limit: Int? = nil) throws(ReportError) {
            let folder = (path as NSString).deletingLastPathComponent
            let name = (path as NSString).lastPathComponent
            let temporary = (folder.isEmpty ? "" : folder + "/") + ".\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw ReportError(path: path, reason: systemError()) }
            self.path = temporary
            target = path
            sink = Sink(descriptor: descriptor, path: path, limit: limit)
        }

        /// Flushes the content to disk and closes the file; on failure it is removed.
        mutating func finish() throws(ReportError) -> Temporary {
            do throws(ReportError) {
                try sink.flush()
                guard fsync(sink.descriptor) == 0 else { throw ReportError(path: target, reason: systemError()) }
            } catch {
                abandon()
                throw error
            }
            close(sink.descriptor)
            return Temporary(path: path, target: target, bytes: sink.bytes, hash: sink.hash.hex)
        }

        /// Closes and removes the file.
        func abandon() {
            close(sink.descriptor)
            unlink(path)
        }
    }

    /// Renames a temporary file over its target, in one step; on failure it is removed.
    static func commit(_ file: Temporary) throws(ReportError) {
        guard rename(file.path, file.target) == 0 else {
            let reason = systemError()
            unlink(file.path)
            throw ReportError(path: file.target, reason: reason)
        }
    }

    /// Buffered output to an open temporary file.
    public struct Sink {
        fileprivate let descriptor: Int32
        fileprivate let path: String
        private var buffer: [UInt8] = []
        private static let capacity = 1 << 16
        /// Bytes written and their hash, for a set's manifest.
        fileprivate private(set) var bytes = 0
        fileprivate private(set) var hash = Fingerprint()
        /// Tests: the size at which a write fails as on a full disk.
        private let limit: Int?

        fileprivate init(descriptor: Int32, path: String, limit: Int?) {
            self.descriptor = descriptor
            self.path = path
            self.limit = limit
            buffer.reserveCapacity(Self.capacity)
        }

        /// Appends text (UTF-8).
        public mutating func write(_ text: String) throws(ReportError) {
            buffer.append(contentsOf: text.utf8)
            if buffer.count >= Self.capacity { try flush() }
        }

        /// Writes the buffer out.
        fileprivate mutating func flush() throws(ReportError) {
            if let limit, bytes + buffer.count > limit { throw ReportError(path: path, reason: "No space left on device") }
            hash.add(bytes: buffer)
            bytes += buffer.count
            var offset = 0
            while offset < buffer.count {
                let written = buffer[offset...].withUnsafeBytes { bytes in
                    Foundation.write(descriptor, bytes.baseAddress, bytes.count)
                }
                if written < 0 {
                    if errno == EINTR { continue }
                    throw ReportError(path: path, reason: systemError())
                }
                offset += written
            }
            buffer.removeAll(keepingCapacity: true)
        }
    }

    /// The message of the current `errno`.
    static func systemError() -> String {
        String(cString: strerror(errno))
    }
}
