import ServerlessModel

/// Reads the pipeline part of a scenario (run, account, prices, assumptions, entities).
///
/// Each section reader lives in its own file as an extension. They return specs filled with
/// AWS's defaults for omitted keys, plus the mapping views the cross-checks need to locate
/// their findings.
struct PipelineReader {
    /// The typed value readers and the diagnostics sink.
    let values: ValueReader

    /// Where diagnostics go.
    var sink: DiagnosticSink { values.sink }
}

/// A named entity as read, with where it is written.
struct ReadEntity<Spec> {
    /// The spec with defaults for omitted keys.
    var spec: Spec
    /// Its settings mapping.
    var view: MappingView
    /// Where its name is written.
    var nameLocation: TextPosition
}

/// A function as read, with its trigger's mapping.
struct ReadFunction {
    /// The spec with defaults for omitted keys.
    var spec: FunctionSpec
    /// Its settings mapping.
    var view: MappingView
    /// The `trigger:` mapping, if written.
    var trigger: MappingView?
}

/// A downstream as read, with the names its limits are keyed by.
struct ReadDownstream {
    /// The spec with defaults for omitted keys.
    var spec: DownstreamSpec
    /// Its settings mapping.
    var view: MappingView
    /// The keys of `limits:` (group names or `all`), where they are written.
    var limitKeys: [SourceScalar]
}

/// The names of one entity collection in file order, with constant-time membership: every
/// reference is checked against them, which a linear search made quadratic in a file of
/// thousands of pipelines.
struct NameList: RandomAccessCollection, ExpressibleByArrayLiteral {
    /// The names as written, in order.
    let ordered: [String]
    private let members: Set<String>

    init(_ names: [String]) {
        ordered = names
        members = Set(names)
    }

    init(arrayLiteral names: String...) { self.init(names) }

    var startIndex: Int { ordered.startIndex }
    var endIndex: Int { ordered.endIndex }
    subscript(position: Int) -> String { ordered[position] }

    /// Whether `name` is one of the names.
    func contains(_ name: String) -> Bool { members.contains(name) }
}

/// The names of the entities a file writes, whether their settings are valid or not.
struct EntityNames {
    /// Task group names.
    var groups: NameList = []
    /// Queue names.
    var queues: NameList = []
    /// Function names.
    var functions: NameList = []
    /// Downstream names.
    var downstreams: NameList = []
    /// Front door names.
    var frontDoors: NameList = []
    /// Container service names.
    var containers: NameList = []

    /// The names in the file's collections.
    init(root: MappingView? = nil) {
        func keys(_ key: String) -> NameList {
            guard case .mapping(let mapping)? = root?[key] else { return [] }
            return NameList(mapping.entries.map(\.key.text))
        }
        groups = keys("groups")
        queues = keys("queues")
        functions = keys("functions")
        downstreams = keys("downstreams")
        frontDoors = keys("front_doors")
        containers = keys("containers")
    }
}

/// Everything of the pipeline as read, for the cross-checks.
struct ReadPipeline {
    /// `run:` with defaults.
    var run: RunSettings
    /// The `run:` mapping, if readable.
    var runView: MappingView?
    /// `account:` with defaults.
    var account: AccountSpec
    /// The `account:` mapping, if written and readable.
    var accountView: MappingView?
    /// `prices:` over the default table.
    var prices = PriceTable()
    /// `assumptions:` over the defaults.
    var assumptions = ModelAssumptions()
    /// The task groups that could be read.
    var groups: [ReadEntity<TaskGroupSpec>] = []
    /// The queues that could be read.
    var queues: [ReadEntity<QueueSpec>] = [] {
        didSet { queueIndex = Dictionary(queues.indices.map { (queues[$0].spec.name, $0) }, uniquingKeysWith: { first, _ in first }) }
    }
    /// Where each queue name is first in `queues`: checks look queues up by name once per
    /// reference, which was quadratic in a file of thousands of pipelines.
    var queueIndex: [String: Int] = [:]
    /// The functions that could be read.
    var functions: [ReadFunction] = []
    /// The downstreams that could be read.
    var downstreams: [ReadDownstream] = []
    /// The front doors that could be read.
    var frontDoors: [ReadEntity<FrontDoorSpec>] = []
    /// The container services that could be read.
    var containers: [ReadEntity<ContainerServiceSpec>] = []
    /// The schedules that could be read.
    var schedules: [ReadEntity<ScheduleSpec>] = []
    /// Every entity name written, valid or not, for resolving references.
    var names = EntityNames()

    /// The queue with a name.
    func queue(_ name: String) -> ReadEntity<QueueSpec>? { queueIndex[name].map { queues[$0] } }
}

/// Reading of the entity collections' names.
extension PipelineReader {
    /// The entries of an entity collection (`groups:`, `queues:` ...), with names checked:
    /// not empty, and not `all` where `all` means "every one" in limits, SLOs and outputs.
    func namedEntries(_ node: SourceNode?, _ path: FieldPath, location: TextPosition, required: Bool, noun: String,
                      example: String, reservesAll: Bool, allowsEmpty: Bool = false) -> [SourceEntry] {
        guard let node else {
            if required {
                sink.error(location, path, "missing (expected a mapping of \(noun)s such as \(example); this key is required)")
            }
            return []
        }
        guard let entries = values.entries(node, path, expected: "a mapping of \(noun)s such as \(example)") else { return [] }
        if required, !allowsEmpty, entries.isEmpty {
            sink.error(node.location, path, "found no \(noun)s (expected at least one, such as \(example))")
        }
        return entries.filter { entry in
            if entry.key.text.isEmpty {
                sink.error(entry.key.location, path, "a \(noun) has an empty name (expected a name such as \(example.prefix { $0 != ":" && $0 != "{" }))")
                return false
            }
            if reservesAll, entry.key.text == "all" {
                sink.error(entry.key.location, path.appending("all"),
                           "'all' is reserved: it stands for every group in downstream limits, SLOs and outputs (expected another \(noun) name)")
                return false
            }
            return true
        }
    }
}
