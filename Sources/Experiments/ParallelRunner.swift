import Foundation

/// Runs independent tasks on a fixed number of worker threads and hands their outputs on in
/// task order.
///
/// Workers take the next unclaimed task index from a shared counter, so long and short runs
/// balance out; each output waits in a reorder buffer until every earlier one has been handed
/// on, so what is made of them does not depend on which worker ran what, or when. That is what
/// makes output byte-identical for any `--jobs`. The buffer is bounded: a worker does not start
/// task i until the outputs before i − 2 × jobs have left it, so at most 2 × jobs outputs are
/// held (finished and waiting, or being made) whatever the number of tasks. With one job the
/// tasks run on the calling thread, in order.
enum ParallelRunner {
    /// Outputs held at once, as a multiple of the jobs.
    static let window = 2

    /// Runs `body` on every task with up to `jobs` threads and calls `consume` with each
    /// output in task order (on a worker, serialised), so that it can be written and let go;
    /// `finished` is called (serialised too) with each task's index when it is made. On a
    /// failure of `body` or `consume`, no new task starts, later outputs are not consumed, and
    /// the failure of the lowest task index is thrown. Returns the reorder buffer's high-water
    /// mark (outputs made and not yet consumed), at most `2 × jobs`.
    @discardableResult
    static func forEach<Task: Sendable, Output: Sendable, Failure: Error>(
        _ tasks: [Task], jobs: Int, finished: (@Sendable (Int) -> Void)? = nil,
        _ body: @escaping @Sendable (Task) throws(Failure) -> Output,
        consume: @escaping @Sendable (Int, Output) throws(Failure) -> Void
    ) throws(Failure) -> Int {
        let workers = max(1, min(jobs, tasks.count))
        return try run(tasks, workers: workers, window: window * workers, finished: finished, body, consume: consume)
    }

    /// Runs `body` on every task (see ``forEach(_:jobs:finished:_:consume:)``) and returns
    /// the outputs in task order: all of them held, for callers that need them together, so
    /// workers are not held back by a window.
    static func map<Task: Sendable, Output: Sendable, Failure: Error>(
        _ tasks: [Task], jobs: Int, finished: (@Sendable (Int) -> Void)? = nil,
        _ body: @escaping @Sendable (Task) throws(Failure) -> Output
    ) throws(Failure) -> [Output] {
        let outputs = Collected<Output>()
        _ = try run(tasks, workers: max(1, min(jobs, tasks.count)), window: max(1, tasks.count), finished: finished, body,
                consume: { (_: Int, output: Output) throws(Failure) in outputs.items.append(output) })
        return outputs.items
    }

    /// Runs the tasks on `workers` threads, no task started more than `window` ahead of the
    /// next output to hand on.
    private static func run<Task: Sendable, Output: Sendable, Failure: Error>(
        _ tasks: [Task], workers: Int, window: Int, finished: (@Sendable (Int) -> Void)?,
        _ body: @escaping @Sendable (Task) throws(Failure) -> Output,
        consume: @escaping @Sendable (Int, Output) throws(Failure) -> Void
    ) throws(Failure) -> Int {
        let pool = WorkPool<Output, Failure>(count: tasks.count, window: window, consume: consume)
        let work: @Sendable () -> Void = {
            while let index = pool.claim() {
                let outcome: Result<Output, Failure>
                do throws(Failure) {
                    outcome = .success(try body(tasks[index]))
                } catch {
                    outcome = .failure(error)
                }
                pool.store(outcome, at: index, finished: finished)
            }
        }
        if workers == 1 {
            work()
        } else {
            let group = DispatchGroup()
            for _ in 0..<workers {
                group.enter()
                let thread = Thread {
                    work()
                    group.leave()
                }
                // A run is deep enough in generic code that the default secondary-thread stack
                // (512 KB on some systems) is not worth the risk.
                thread.stackSize = 16 << 20
                thread.start()
            }
            group.wait()
        }
        return try pool.result()
    }
}

/// Outputs gathered by ``ParallelRunner/map(_:jobs:finished:_:)``.
///
/// `@unchecked Sendable`: only appended to from `consume`, which the runner serialises.
private final class Collected<Output>: @unchecked Sendable {
    var items: [Output] = []
}

/// The shared state of one run of ``ParallelRunner``'s tasks: the next
/// task index, the outputs waiting for their turn, and the next one to hand on.
///
/// `@unchecked Sendable` because every stored property is read and written only while
/// holding `condition`'s lock.
private final class WorkPool<Output: Sendable, Failure: Error>: @unchecked Sendable {
    private let condition = NSCondition()
    private let count: Int
    private let window: Int
    private let consume: @Sendable (Int, Output) throws(Failure) -> Void
    private var next = 0
    private var nextToConsume = 0
    private var waiting: [Int: Output] = [:]
    private var failure: (index: Int, error: Failure)?
    private(set) var highWaterMark = 0

    init(count: Int, window: Int, consume: @escaping @Sendable (Int, Output) throws(Failure) -> Void) {
        self.count = count
        self.window = window
        self.consume = consume
    }

    /// The next task to run, or nil when all are claimed or one has failed; waits while the
    /// task would be more than `window` ahead of the next output to hand on.
    func claim() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while failure == nil, next < count, next >= nextToConsume + window { condition.wait() }
        guard failure == nil, next < count else { return nil }
        next += 1
        return next - 1
    }

    /// Stores a task's outcome, reports it, and hands on every output whose turn has come,
    /// under the lock so that reports and hand-overs are serialised.
    func store(_ outcome: Result<Output, Failure>, at index: Int, finished: (@Sendable (Int) -> Void)?) {
        condition.lock()
        defer {
            condition.broadcast()
            condition.unlock()
        }
        switch outcome {
        case .success(let output):
            waiting[index] = output
            highWaterMark = max(highWaterMark, waiting.count)
        case .failure(let error):
            fail(index, error)
        }
        finished?(index)
        while failure.map({ $0.index > nextToConsume }) ?? true, let output = waiting.removeValue(forKey: nextToConsume) {
            do throws(Failure) {
                try consume(nextToConsume, output)
            } catch {
                fail(nextToConsume, error)
                break
            }
            nextToConsume += 1
        }
    }

    private func fail(_ index: Int, _ error: Failure) {
        if failure.map({ index < $0.index }) ?? true { failure = (index, error) }
    }

    /// The high-water mark, or the failure with the lowest index.
    func result() throws(Failure) -> Int {
        condition.lock()
        defer { condition.unlock() }
        if let failure { throw failure.error }
        return highWaterMark
    }
}
