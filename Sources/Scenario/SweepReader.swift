/// The sweep block as written, for expansion once the scenario is read.
struct SweepBlock {
    /// One swept setting.
    struct Parameter: Hashable, Sendable {
        /// The dotted path.
        var path: String
        /// Where the path is written.
        var keyLocation: TextPosition
        /// The values, with their locations in the sweep block.
        var values: [SourceNode]
    }

    /// Grid or zip.
    var mode: SweepMode
    /// The settings in file order.
    var parameters: [Parameter]

    /// How many points the sweep has (saturating).
    var pointCount: Int {
        switch mode {
        case .zip: return parameters.first?.values.count ?? 0
        case .grid:
            var count = 1
            for parameter in parameters {
                let (product, overflow) = count.multipliedReportingOverflow(by: parameter.values.count)
                count = overflow ? .max : product
            }
            return parameters.isEmpty ? 0 : count
        }
    }

    /// The value indices of point `index`: grid in file order with the last setting changing
    /// fastest, or zip (the i-th value of each).
    func combination(at index: Int) -> [Int] {
        switch mode {
        case .zip:
            return parameters.map { _ in index }
        case .grid:
            var rest = index
            var result = [Int](repeating: 0, count: parameters.count)
            for (position, parameter) in parameters.enumerated().reversed() {
                result[position] = rest % parameter.values.count
                rest /= parameter.values.count
            }
            return result
        }
    }
}

/// Reading of `sweep:`: dotted paths to lists of values, and `mode`.
struct SweepReader {
    /// The readers and the sink.
    let values: ValueReader

    /// The most points a sweep may have (each is loaded and validated before anything runs).
    static let maximumPoints = 100_000

    /// Reads the block.
    func read(_ node: SourceNode) -> SweepBlock? {
        let sink = values.sink
        let path = FieldPath.root.appending("sweep")
        let example = "{functions.worker.reserved_concurrency: [2, 4, 8]}"
        guard let entries = values.entries(node, path, expected: "settings to sweep by dotted path, such as \(example)") else { return nil }
        var block = SweepBlock(mode: .grid, parameters: [])
        var complete = true
        for entry in entries {
            let entryPath = path.appending(entry.key.text)
            if entry.key.text == "mode" {
                if let text = values.choice(entry.value, entryPath, SweepMode.allCases.map(\.rawValue), noun: "a sweep mode") {
                    block.mode = SweepMode(rawValue: text) ?? .grid
                } else {
                    complete = false
                }
                continue
            }
            guard case .sequence(let list) = entry.value else {
                sink.error(entry.value.location, entryPath, "found \(entry.value.kindDescription) (expected a list of values, such as [2, 4, 8])")
                complete = false
                continue
            }
            guard !list.items.isEmpty else {
                sink.error(entry.value.location, entryPath, "found an empty list (expected at least one value, such as [2, 4, 8])")
                complete = false
                continue
            }
            LoadCounts.readSweepValues(list.items.count)
            block.parameters.append(SweepBlock.Parameter(path: entry.key.text, keyLocation: entry.key.location, values: list.items))
        }
        if block.parameters.isEmpty, complete {
            sink.error(node.location, path, "found no settings to sweep (expected at least one, such as \(example))")
            return nil
        }
        if block.mode == .zip, let first = block.parameters.first {
            for parameter in block.parameters.dropFirst() where parameter.values.count != first.values.count {
                sink.error(parameter.keyLocation, path.appending(parameter.path),
                           "\(parameter.values.count) values, but \(first.path) has \(first.values.count) (expected lists of equal length in zip mode)")
                complete = false
            }
        }
        if complete, block.pointCount > Self.maximumPoints {
            sink.error(node.location, path,
                       "\(block.pointCount == .max ? "too many" : NumberText.grouped(block.pointCount)) points (expected at most \(NumberText.grouped(Self.maximumPoints)) points; sweep fewer values or use zip mode)")
            complete = false
        }
        return complete ? block : nil
    }
}
