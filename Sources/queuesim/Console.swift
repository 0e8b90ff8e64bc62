import Foundation
import Reports

/// Standard output and standard error for the commands.
enum Console {
    /// Writes text to standard output as it is.
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Writes one line to standard error.
    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Copies a file to standard output a block at a time (summary.csv with `--format csv`,
    /// which may be larger than memory should hold).
    static func copy(_ path: String) throws(ReportError) {
        guard let file = FileHandle(forReadingAtPath: path) else { throw ReportError(path: path, reason: "cannot be read back") }
        defer { try? file.close() }
        while let block = try? file.read(upToCount: 1 << 20), !block.isEmpty {
            FileHandle.standardOutput.write(block)
        }
    }

    /// Whether a file descriptor is a terminal.
    static func isTerminal(_ descriptor: Int32) -> Bool {
        isatty(descriptor) == 1
    }
}
