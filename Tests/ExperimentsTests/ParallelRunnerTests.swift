@testable import Experiments
import Foundation
import Testing

/// The worker pool: order, every task once, and failures.
@Suite struct ParallelRunnerTests {
    struct Failure: Error, Equatable { var index: Int }

    @Test(arguments: [1, 2, 3, 8, 100])
    func outputsComeBackInTaskOrderWhateverTheJobCount(jobs: Int) {
        let tasks = Array(0..<50)
        let outputs = ParallelRunner.map(tasks, jobs: jobs) { (task: Int) -> Int in
            // Uneven work, so that workers finish out of order.
            if task % 7 == 0 { Thread.sleep(forTimeInterval: 0.002) }
            return task * task
        }
        #expect(outputs == tasks.map { $0 * $0 })
    }

    @Test func everyTaskIsReportedFinishedOnce() {
        final class Counter: @unchecked Sendable {
            // Written only from `finished`, which the pool calls under its lock.
            var seen: [Int] = []
        }
        let counter = Counter()
        _ = ParallelRunner.map(Array(0..<30), jobs: 4, finished: { counter.seen.append($0) }) { (task: Int) -> Int in task }
        #expect(counter.seen.sorted() == Array(0..<30))
    }

    @Test func aFailureIsThrownAndTheLowestFailingIndexWins() {
        #expect(throws: Failure(index: 3)) {
            try ParallelRunner.map(Array(0..<20), jobs: 1) { (task: Int) throws(Failure) -> Int in
                if task == 3 || task == 9 { throw Failure(index: task) }
                return task
            }
        }
    }

    @Test func noTaskIsNeededForAnEmptyList() {
        let outputs = ParallelRunner.map([Int](), jobs: 4) { (task: Int) -> Int in task }
        #expect(outputs.isEmpty)
    }
}
