import Foundation
// TEMPORARY instrumentation, removed before hand-off.
struct CaseTimer {
    let name: String
    let start = Date()
    func done() {
        if ProcessInfo.processInfo.environment["VAL_TIMING"] != nil {
            print("TIMING \(name): \(String(format: "%.2f", Date().timeIntervalSince(start))) s")
        }
    }
}
