import Foundation

/// Runs independent tasks on a fixed number of worker threads and returns their outputs in
/// task order.
///
/// Workers take the next unclaimed task index from a shared counter, so long and short runs
/// balance out; each output is stored at its task's index, so the result does not depend on
/// which worker ran what, or when. That is what makes output byte-identical for any `--jobs`.
/// With one job the tasks run on the calling thread, in order.
enum ParallelRunner {
    /// Runs `body` on every task with up to `jobs` threads; `finished` is called (on the
    /// worker, serialised) with each finished task's index. On failures, no new task starts,
    /// and the failure of the lowest task index is thrown.
    static func map<Task: Sendable, Output: Sendable, Failure: Error>(
        _ tasks: [Task], jobs: Int, finished: (@Sendable (Int) -> Void)? = nil,
        _ body: @escaping @Sendable (Task) throws(Failure) -> Output
    ) throws(Failure) -> [Output] {
        let pool = WorkPool<Output, Failure>(count: tasks.count)
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
        let workers = max(1, min(jobs, tasks.count))
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
        return try pool.outputs()
    }
}

/// The shared state of one ``ParallelRunner/map(_:jobs:finished:_:)``: the next task index
/// and the outputs so far.
///
/// `@unchecked Sendable` because every stored property is read and written only while
/// holding `lock`.
private final class WorkPool<Output: Sendable, Failure: Error>: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var failed = false
    private var results: [Result<Output, Failure>?]

    init(count: Int) {
        results = Array(repeating: nil, count: count)
    }

    /// The next task to run, or nil when all are claimed or one has failed.
    func claim() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard !failed, next < results.count else { return nil }
        next += 1
        return next - 1
    }

    /// Stores a task's outcome and reports it, under the lock so that reports are serialised.
    func store(_ outcome: Result<Output, Failure>, at index: Int, finished: (@Sendable (Int) -> Void)?) {
        lock.lock()
        defer { lock.unlock() }
        results[index] = outcome
        if case .failure = outcome { failed = true }
        finished?(index)
    }

    /// Every output in task order, or the failure with the lowest index.
    func outputs() throws(Failure) -> [Output] {
        lock.lock()
        defer { lock.unlock() }
        var outputs: [Output] = []
        outputs.reserveCapacity(results.count)
        for result in results {
            switch result {
            case .success(let output): outputs.append(output)
            case .failure(let error): throw error
            case nil: continue  // Not started because an earlier-claimed task failed.
            }
        }
        return outputs
    }
}
