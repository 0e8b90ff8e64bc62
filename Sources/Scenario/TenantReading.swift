import ServerlessModel
import SimCore

/// Reading of a group's `tenants:`: `{count: 1000, share: {zipf: 1.1}}`, `{count: 50, share:
/// equal}`, or `{file: tenants.csv}` (a header `tenant,rate[,limit]`, then one tenant a line:
/// its name, its share of the group's sends as a rate, and its own downstream rate limit).
extension PipelineReader {
    /// The keys of `tenants:`.
    static let tenantKeys = ["count", "share", "file"]
    /// The most tenants of one group.
    static let maximumTenants = 1_000_000

    func tenants(_ node: SourceNode, _ path: FieldPath) -> TenantSpec? {
        guard let view = values.mapping(node, path, keys: Self.tenantKeys,
                                        expected: "tenants such as {count: 1000, share: {zipf: 1.1}} or {file: tenants.csv}")
        else { return nil }
        if view.has("file") {
            for key in ["count", "share"] where view.has(key) {
                sink.error(view.keyLocation(of: key), view.path(key),
                           "a tenants file gives the tenants and their shares (expected file alone, or count with share)", kind: .conflict)
            }
            return tenantFile(view)
        }
        guard let countNode = values.required(view, "count", expected: "a number of tenants such as 1000"),
              let count = values.integer(countNode, view.path("count"),
                                         IntegerRange(minimum: 1, maximum: Self.maximumTenants, noun: "a number of tenants"))
        else { return nil }
        var share = TenantShare.equal
        if let value = view["share"] { share = tenantShare(value, view.path("share")) ?? share }
        return TenantSpec(count: count, share: share)
    }

    /// `equal` or `{zipf: s}` with s ≥ 0.
    private func tenantShare(_ node: SourceNode, _ path: FieldPath) -> TenantShare? {
        let expected = "equal or {zipf: 1.1}"
        if node.scalar != nil {
            guard let text = values.choice(node, path, ["equal"], noun: "a tenant share") else { return nil }
            return text == "equal" ? .equal : nil
        }
        guard let view = values.mapping(node, path, keys: ["zipf"], expected: expected),
              let value = values.required(view, "zipf", expected: "a Zipf exponent such as 1.1"),
              let exponent = values.number(value, view.path("zipf"), .nonNegative("a Zipf exponent"))
        else { return nil }
        return .zipf(exponent)
    }

    /// A tenants file: `tenant,rate[,limit]`.
    private func tenantFile(_ view: MappingView) -> TenantSpec? {
        let format = "a header tenant,rate[,limit] and one tenant a line, such as 't1,2/s,1/s'"
        guard let (fileNode, name, contents) = values.dataFile(view, describing: "a CSV file of tenants", format: format,
                                                               example: "tenants.csv")
        else { return nil }
        let path = view.path("file")
        func fail(_ line: Int, _ what: String) -> TenantSpec? {
            sink.error(fileNode.location, path, "\(name) line \(line): \(what) (expected \(format))")
            return nil
        }
        var names: [String] = []
        var weights: [Double] = []
        var limits: [Rate?] = []
        var seen: Set<String> = []
        var header: [String]?
        for (index, raw) in contents.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let columns = header else {
                guard fields == ["tenant", "rate"] || fields == ["tenant", "rate", "limit"] else {
                    return fail(index + 1, "'\(line)' is not the header")
                }
                header = fields
                continue
            }
            guard fields.count == columns.count, !fields[0].isEmpty else {
                return fail(index + 1, "'\(line)' does not have the header's \(columns.count) fields")
            }
            guard seen.insert(fields[0]).inserted else { return fail(index + 1, "tenant '\(fields[0])' appears twice") }
            guard let rate = try? Rate.parse(fields[1]), rate.perSecond > 0 else {
                return fail(index + 1, "'\(fields[1])' is not a positive rate such as 2/s")
            }
            var limit: Rate?
            if columns.count == 3, !fields[2].isEmpty {
                guard let parsed = try? Rate.parse(fields[2]), parsed.perSecond > 0 else {
                    return fail(index + 1, "'\(fields[2])' is not a positive rate limit such as 1/s")
                }
                limit = parsed
            }
            names.append(fields[0])
            weights.append(rate.perSecond)
            limits.append(limit)
        }
        guard !names.isEmpty else {
            sink.error(fileNode.location, path, "\(name) has no tenants (expected \(format))")
            return nil
        }
        return TenantSpec(count: names.count, share: .weights(weights), limits: limits, names: names)
    }
}
