import Foundation
import Scenario
import ServerlessModel

/// One setting of the plan's `vary:` block, classified for the search: its candidate values
/// in search order and, for a concurrency limit, the function it limits.
public struct PlanKnob: Sendable, Hashable {
    /// How the search treats a setting.
    public enum Role: String, Sendable, Hashable {
        /// A concurrency limit: a function's reserved, maximum (event source mapping) or
        /// provisioned concurrency, or the account's quota. More of it never lengthens a
        /// queue wait, so the search gallops and bisects it instead of trying every value.
        case concurrency
        /// Anything else (memory, batch size, ...): tried value by value.
        case other
    }

    /// The plan variable.
    public var variable: PlanVariable
    /// Its position in `plan.vary`, which is also its position in a ``PlanConfiguration``.
    public var position: Int
    /// How the search treats it.
    public var role: Role
    /// The function whose concurrency it limits (nil for the account quota and other settings).
    public var function: String?
    /// Whether it is a reserved concurrency, which counts against the account's reservable
    /// concurrency.
    public var reserves: Bool
    /// The functions whose reserved concurrency it sets (its path's, and tied paths').
    public var reserving: [String]
    /// The domain in search order: ascending numbers for a concurrency knob, file order for a
    /// list, ascending for a range.
    let domain: Domain

    /// The values a knob may take, without listing a long range.
    enum Domain: Sendable, Hashable {
        /// `min...max`.
        case range(ClosedRange<Int>)
        /// Listed values as YAML text, with their whole-number values when all have one.
        case list([String], numbers: [Int]?)
    }

    /// The path suffixes of concurrency limits of a function.
    static let functionLimits: [(suffix: String, reserves: Bool)] = [
        (".reserved_concurrency", true), (".trigger.maximum_concurrency", false), (".provisioned_concurrency", false),
    ]

    /// Classifies a plan's variables against the pipeline they vary.
    static func knobs(_ plan: PlanSpec, pipeline: PipelineSpec) -> [PlanKnob] {
        plan.vary.enumerated().map { position, variable in PlanKnob(variable: variable, position: position, pipeline: pipeline) }
    }

    /// Classifies one variable.
    init(variable: PlanVariable, position: Int, pipeline: PipelineSpec) {
        self.variable = variable
        self.position = position
        var function: String?
        var reserves = false
        var reservingFunctions: [String] = []
        var limit = variable.paths.contains("account.concurrency")
        let names = Set(pipeline.functions.map(\.name))
        // A tied path counts as the path itself: its function's limit moves too.
        for path in variable.paths {
            for (suffix, reserving) in Self.functionLimits where path.hasPrefix("functions.") && path.hasSuffix(suffix) {
                let name = String(path.dropFirst("functions.".count).dropLast(suffix.count))
                guard names.contains(name) else { continue }
                if function == nil || path == variable.path { function = name }
                if reserving { reservingFunctions.append(name) }
                reserves = reserves || reserving
                limit = true
            }
        }
        switch variable.domain {
        case .integerRange(let low, let high):
            domain = .range(low...max(low, high))
        case .values(let texts):
            let numbers = texts.map { Int($0.trimmingCharacters(in: .whitespaces)) }
            if limit, numbers.allSatisfy({ $0 != nil }) {
                // Ascending and without repeats, so that an index order is a concurrency order.
                let sorted = Array(Set(numbers.compactMap { $0 })).sorted()
                domain = .list(sorted.map(String.init), numbers: sorted)
            } else {
                domain = .list(texts, numbers: nil)
                limit = false
            }
        }
        self.function = limit ? function : nil
        self.reserves = limit && reserves
        reserving = limit ? reservingFunctions : []
        role = limit ? .concurrency : .other
    }

    /// How many values it may take (a range as wide as `Int` itself counts as `Int.max`).
    public var count: Int {
        switch domain {
        case .range(let range):
            let (span, overflow) = range.upperBound.subtractingReportingOverflow(range.lowerBound)
            return overflow || span == .max ? .max : span + 1
        case .list(let texts, _):
            return texts.count
        }
    }

    /// The value at an index of the domain, as YAML text.
    public func value(at index: Int) -> String {
        switch domain {
        case .range(let range): String(range.lowerBound &+ index)
        case .list(let texts, _): texts[index]
        }
    }

    /// The whole number at an index, if the knob's values are whole numbers.
    public func number(at index: Int) -> Int? {
        switch domain {
        case .range(let range): range.lowerBound &+ index
        case .list(_, let numbers): numbers?[index]
        }
    }

    /// The index of the smallest value at least `number` (the last index if none is).
    func index(atLeast number: Int) -> Int {
        switch domain {
        case .range(let range):
            guard number > range.lowerBound else { return 0 }
            let (offset, overflow) = number.subtractingReportingOverflow(range.lowerBound)
            return overflow ? count - 1 : min(offset, count - 1)
        case .list(let texts, let numbers):
            guard let numbers else { return 0 }
            return numbers.firstIndex { $0 >= number } ?? texts.count - 1
        }
    }

    /// The index of a value written in the scenario, if it is in the domain.
    func index(of text: String) -> Int? {
        switch domain {
        case .range(let range):
            guard let number = Int(text), range.contains(number) else { return nil }
            let (offset, overflow) = number.subtractingReportingOverflow(range.lowerBound)
            return overflow ? nil : offset
        case .list(let texts, _):
            return texts.firstIndex(of: text)
        }
    }

    /// The index `steps` above `index`, at most the last.
    func index(_ index: Int, raisedBy steps: Int) -> Int {
        let (raised, overflow) = index.addingReportingOverflow(steps)
        return overflow ? count - 1 : min(raised, count - 1)
    }

    /// The indices a coordinate search tries for an `other` knob: every value of a short
    /// domain, else a geometric ladder from the first to the last (refined later around the
    /// best rung).
    func ladder() -> [Int] {
        guard count > 12 else { return Array(0..<count) }
        var rungs: [Int] = [0]
        var offset = 1
        while offset < count - 1 {
            rungs.append(offset)
            let (doubled, overflow) = offset.multipliedReportingOverflow(by: 2)
            if overflow { break }
            offset = doubled
        }
        rungs.append(count - 1)
        return rungs
    }
}
