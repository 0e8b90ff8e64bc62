import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension OutputFolder {
    /// Checks, before anything is simulated, that files can be made in the folder: a hidden
    /// probe file is created there (as the atomic writes' temporary files are) and removed.
    /// A read-only folder or file system, or a folder of another user, then fails at once
    /// with the system's reason instead of after the run.
    public func checkWritable() throws(ReportError) {
        let probe = file(".queuesim-probe-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        let descriptor = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ReportError(path: path, reason: "cannot write into the folder: \(AtomicFile.systemError())")
        }
        close(descriptor)
        unlink(probe)
    }

    /// Bytes free for an unprivileged user on the file system that holds `path` (or would:
    /// the nearest folder above it that exists); nil when the system does not say, or for a
    /// file system without blocks (`/proc`).
    public static func availableBytes(at path: String) -> Int? {
        var folder = path
        var info = statvfs()
        while statvfs(folder.isEmpty ? "." : folder, &info) != 0 {
            guard !folder.isEmpty, folder != "/" else { return nil }
            // The parent: the path less its last component ("" for a relative name alone).
            while folder.count > 1, folder.hasSuffix("/") { folder.removeLast() }
            if let slash = folder.lastIndex(of: "/") {
                folder = slash == folder.startIndex ? "/" : String(folder[..<slash])
            } else {
                folder = ""
            }
        }
        guard info.f_blocks > 0 else { return nil }
        return Int(clamping: UInt64(info.f_bavail) &* UInt64(info.f_frsize))
    }
}
