import Foundation
import Scenario

/// Reads the resources of a template that make an SQS -> Lambda pipeline into a ``Stack``:
/// `AWS::SQS::Queue`, `AWS::Lambda::Function`, `AWS::Serverless::Function` (with SAM's
/// `Globals`), `AWS::Lambda::EventSourceMapping` and SAM `Events`, `AWS::Lambda::Alias`,
/// `AWS::Lambda::Version`, `AWS::Lambda::EventInvokeConfig`, `AWS::Events::Rule` and
/// `AWS::Scheduler::Schedule`. Every other resource and property is listed as not imported.
/// docs/IMPORT.md lists every property read and what it becomes.
final class StackReader {
    /// The pseudo parameters' values when `--parameter` does not set them.
    static let pseudoDefaults: [String: String] = [
        "AWS::Region": "us-east-1", "AWS::AccountId": "123456789012", "AWS::Partition": "aws",
        "AWS::URLSuffix": "amazonaws.com", "AWS::StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/stack/0",
    ]
    static let samTransform = "AWS::Serverless-2016-10-31"

    private let file: String
    private let root: TemplateNode
    private var resources: [(id: String, at: TextPosition, type: String, node: TemplateNode)] = []
    private var resolver: IntrinsicResolver!
    private var errors: [Diagnostic] = []
    private var stack = Stack()
    /// Physical names, resolved once (QueueName, FunctionName may use intrinsics).
    private var physicalNames: [String: String] = [:]
    private var naming: Set<String> = []
    private let region: String
    private let account: String

    init(root: TemplateNode, file: String, parameters overrides: [String: String], stackName: String) throws(ImportErrors) {
        self.file = file
        self.root = root
        region = overrides["AWS::Region"] ?? Self.pseudoDefaults["AWS::Region"]!
        account = overrides["AWS::AccountId"] ?? Self.pseudoDefaults["AWS::AccountId"]!
        var values: [String: TemplateNode] = [:]
        for (name, value) in Self.pseudoDefaults { values[name] = .text(overrides[name] ?? value, at: .start, via: "pseudo parameter \(name)") }
        values["AWS::StackName"] = .text(overrides["AWS::StackName"] ?? stackName, at: .start, via: "pseudo parameter AWS::StackName")
        values["AWS::NotificationARNs"] = TemplateNode(.sequence([]), at: .start)
        var used: Set<String> = []
        for entry in root["Parameters"]?.entries ?? [] {
            let type = entry.value["Type"]?.scalar ?? "String"
            let isList = type.hasPrefix("List<") || type == "CommaDelimitedList"
            let text: String?
            let via: String
            if let given = overrides[entry.key] {
                text = given; via = "--parameter \(entry.key)"; used.insert(entry.key)
            } else if let d = entry.value["Default"] {
                text = d.scalar ?? d.items?.compactMap(\.scalar).joined(separator: ",")
                via = "Parameters.\(entry.key).Default, line \(d.at.line)"
            } else {
                text = nil; via = ""
            }
            guard let text else { continue }
            values[entry.key] = isList
                ? TemplateNode(.sequence(text.split(separator: ",", omittingEmptySubsequences: false).map {
                    .text($0.trimmingCharacters(in: .whitespaces), at: entry.keyAt) }), at: entry.keyAt, via: via)
                : .text(text, at: entry.keyAt, via: via)
        }
        let unknown = overrides.keys.filter { !used.contains($0) && Self.pseudoDefaults[$0] == nil && $0 != "AWS::StackName" }
        if !unknown.isEmpty {
            let names = (root["Parameters"]?.entries ?? []).map(\.key)
            throw ImportErrors(file: file, at: root["Parameters"]?.at ?? .start,
                               "--parameter \(unknown.sorted().joined(separator: ", ")): no such parameter (expected one of: \((names + ["AWS::Region", "AWS::AccountId", "AWS::StackName"]).joined(separator: ", ")))")
        }
        var conditions: [String: TemplateNode] = [:]
        for entry in root["Conditions"]?.entries ?? [] { conditions[entry.key] = entry.value }
        resolver = IntrinsicResolver(file: file, parameters: values, conditions: conditions, mappings: root["Mappings"],
                                     attribute: { [unowned self] id, attribute in self.attribute(of: id, attribute) })
        // Parameters without a value are an error only where they are used.
        missingParameters = Set((root["Parameters"]?.entries ?? []).map(\.key)).subtracting(values.keys)
    }

    private var missingParameters: Set<String> = []

    // MARK: Reading

    func read() throws(ImportErrors) -> Stack {
        checkTransform()
        guard let resourceEntries = root["Resources"]?.entries, !resourceEntries.isEmpty else {
            throw ImportErrors(file: file, at: root.at, "the template has no Resources (expected a mapping of resources)")
        }
        for entry in resourceEntries {
            guard let type = entry.value["Type"]?.scalar else {
                errors.append(located(entry.keyAt, "Resources.\(entry.key)", "a resource without Type (expected Type: AWS::...)"))
                continue
            }
            if let condition = entry.value["Condition"]?.scalar {
                guard resolver.condition(condition, at: entry.value["Condition"]!.at) == true else {
                    note(entry.keyAt, "Resources.\(entry.key)", "not created: its Condition \(condition) is false")
                    continue
                }
            }
            resources.append((entry.key, entry.keyAt, type, entry.value))
        }
        checkMissingParameters()
        guard errors.isEmpty else { throw ImportErrors(errors) }

        for resource in resources where resource.type == "AWS::SQS::Queue" { readQueue(resource) }
        for resource in resources where resource.type == "AWS::Lambda::Function" || resource.type == "AWS::Serverless::Function" {
            readFunction(resource)
        }
        for resource in resources {
            switch resource.type {
            case "AWS::SQS::Queue", "AWS::Lambda::Function", "AWS::Serverless::Function": break
            case "AWS::Lambda::EventSourceMapping": readMapping(resource)
            case "AWS::Lambda::Alias", "AWS::Lambda::Version": readProvisionedConcurrency(resource)
            case "AWS::Lambda::EventInvokeConfig": readInvokeConfig(resource)
            case "AWS::Events::Rule": readRule(resource)
            case "AWS::Scheduler::Schedule": readSchedule(resource)
            default:
                note(resource.at, "Resources.\(resource.id)", "\(resource.type) is not imported (no part of the SQS -> Lambda model)")
            }
        }
        stack.notImported.append(contentsOf: resolver.problems)
        errors.append(contentsOf: resolver.errors)
        guard errors.isEmpty else { throw ImportErrors(errors) }
        stack.notImported.sort { ($0.location, $0.message) < ($1.location, $1.message) }
        return stack
    }

    private func checkTransform() {
        guard let transform = root["Transform"] else { return }
        let names = transform.items?.map { $0.scalar ?? $0["Name"]?.scalar ?? "?" } ?? [transform.scalar ?? transform["Name"]?.scalar ?? "?"]
        for name in names where name != Self.samTransform {
            note(transform.at, "Transform", "the macro \(name) is not expanded by queuesim import (its resources are imported as written, not as the macro would change them)")
        }
    }

    /// A parameter without a value that the resources use is an error at the parameter.
    private func checkMissingParameters() {
        guard !missingParameters.isEmpty else { return }
        var referenced: Set<String> = []
        func walk(_ node: TemplateNode) {
            if let (name, argument) = node.intrinsic {
                if name == "Ref", let target = argument.scalar { referenced.insert(target) }
                if name == "Fn::Sub" {
                    let text = argument.scalar ?? argument.items?.first?.scalar ?? ""
                    for parameter in missingParameters where text.contains("${\(parameter)}") { referenced.insert(parameter) }
                }
            }
            switch node.kind {
            case .scalar: break
            case .mapping(let entries): entries.forEach { walk($0.value) }
            case .sequence(let items): items.forEach(walk)
            }
        }
        resources.forEach { walk($0.node) }
        root["Globals"].map(walk)
        root["Conditions"].map(walk)
        for entry in root["Parameters"]?.entries ?? [] where missingParameters.contains(entry.key) && referenced.contains(entry.key) {
            errors.append(located(entry.keyAt, "Parameters.\(entry.key)",
                                  "has no Default and no value (expected --parameter \(entry.key)=VALUE)"))
        }
    }

    // MARK: Names and attributes

    private func resource(_ id: String) -> (id: String, at: TextPosition, type: String, node: TemplateNode)? {
        resources.first { $0.id == id }
    }

    /// The physical name a resource gets: its name property when the template sets one,
    /// else its logical ID (CloudFormation would add the stack name and a suffix; the logical
    /// ID is what the scenario names it).
    private func physicalName(_ id: String, property: String) -> String {
        if let name = physicalNames[id] { return name }
        var name = id
        if !naming.contains(id), let node = resource(id)?.node["Properties"]?[property] {
            naming.insert(id)
            if let text = resolver.resolve(node)?.scalar { name = text }
            naming.remove(id)
        }
        if name == id, resource(id)?.type == "AWS::SQS::Queue", isTrue(resource(id)?.node["Properties"]?["FifoQueue"]) {
            name += ".fifo"
        }
        physicalNames[id] = name
        return name
    }

    private func isTrue(_ node: TemplateNode?) -> Bool {
        guard let node, let text = resolver.resolve(node)?.scalar?.lowercased() else { return false }
        return text == "true"
    }

    /// `Ref` (attribute nil) and `Fn::GetAtt` of a resource, as CloudFormation would return
    /// them after deployment, with the template's names, region and account.
    private func attribute(of id: String, _ attribute: String?) -> String? {
        if attribute == nil, id.hasSuffix(".Alias"), let function = resource(String(id.dropLast(6))),
           let alias = function.node["Properties"]?["AutoPublishAlias"]?.scalar {
            return "arn:aws:lambda:\(region):\(account):function:\(physicalName(function.id, property: "FunctionName")):\(alias)"
        }
        guard let resource = resource(id) else { return nil }
        switch (resource.type, attribute) {
        case ("AWS::SQS::Queue", nil), ("AWS::SQS::Queue", "QueueUrl"):
            return "https://sqs.\(region).amazonaws.com/\(account)/\(physicalName(id, property: "QueueName"))"
        case ("AWS::SQS::Queue", "Arn"):
            return "arn:aws:sqs:\(region):\(account):\(physicalName(id, property: "QueueName"))"
        case ("AWS::SQS::Queue", "QueueName"):
            return physicalName(id, property: "QueueName")
        case ("AWS::Lambda::Function", nil), ("AWS::Serverless::Function", nil):
            return physicalName(id, property: "FunctionName")
        case ("AWS::Lambda::Function", "Arn"), ("AWS::Serverless::Function", "Arn"):
            return "arn:aws:lambda:\(region):\(account):function:\(physicalName(id, property: "FunctionName"))"
        case ("AWS::Lambda::Alias", nil), ("AWS::Lambda::Version", nil):
            guard let target = resource.node["Properties"]?["FunctionName"], !naming.contains(id) else { return nil }
            naming.insert(id)
            defer { naming.remove(id) }
            guard let function = resolver.resolve(target)?.scalar else { return nil }
            let qualifier = resource.type == "AWS::Lambda::Alias"
                ? (resource.node["Properties"]?["Name"].flatMap { resolver.resolve($0)?.scalar } ?? id) : id
            return "arn:aws:lambda:\(region):\(account):function:\(Self.functionName(in: function)):\(qualifier)"
        default:
            // Another service's resource: an ARN naming its service, so that a mapping from a
            // Kinesis stream or DynamoDB table is recognised (and listed) as not SQS.
            let service = resource.type.split(separator: ":").dropFirst().first.map { String($0).lowercased() } ?? "unknown"
            if let attribute, attribute != "Arn", attribute != "StreamArn" { return "\(id).\(attribute)" }
            return "arn:aws:\(service):\(region):\(account):\(id)"
        }
    }

    /// The function name in a FunctionName value: a name, `name:qualifier`, or an ARN.
    static func functionName(in text: String) -> String {
        parseFunction(text).name
    }

    static func parseFunction(_ text: String) -> (name: String, qualifier: String?) {
        var parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if let index = parts.firstIndex(of: "function") { parts = Array(parts[(index + 1)...]) }
        return (parts.first ?? text, parts.count > 1 ? parts[1] : nil)
    }

    private func functionID(named text: String) -> (id: String, qualifier: String?)? {
        let (name, qualifier) = Self.parseFunction(text)
        guard let function = stack.functions.first(where: { $0.name == name || $0.id == name }) else { return nil }
        return (function.id, qualifier)
    }

    /// The queue an ARN (or URL) names, or nil with the ARN's service when it is no SQS queue
    /// of this template.
    private func queueID(for text: String) -> String? {
        let name: String
        if text.hasPrefix("arn:") {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count >= 6, parts[2] == "sqs" else { return nil }
            name = String(parts[5])
        } else if text.hasPrefix("https://sqs.") {
            name = String(text.split(separator: "/").last ?? "")
        } else {
            name = text
        }
        return stack.queues.first { $0.name == name || $0.id == name }?.id
    }

    private static func service(of arn: String) -> String {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count > 2 && parts[0] == "arn" ? String(parts[2]) : "unknown"
    }

    // MARK: Diagnostics

    private func located(_ at: TextPosition, _ path: String, _ message: String) -> Diagnostic {
        Diagnostic(file: file, location: at, path: path, message: message)
    }

    private func note(_ at: TextPosition, _ path: String, _ message: String) {
        stack.notImported.append(Diagnostic(severity: .warning, file: file, location: at, path: path, message: message))
    }

    // MARK: Values

    /// A resource's properties: resolved on reading, with the keys read remembered so that
    /// the rest can be listed.
    private final class Properties {
        let owner: String
        let at: TextPosition
        let entries: [TemplateNode.Entry]
        /// Labels of properties that come from elsewhere (SAM Globals).
        let labels: [String: String]
        var read: Set<String> = []

        init(owner: String, at: TextPosition, entries: [TemplateNode.Entry], labels: [String: String] = [:]) {
            self.owner = owner
            self.at = at
            self.entries = entries
            self.labels = labels
        }

        func label(_ key: String) -> String { labels[key] ?? key }
    }

    private func raw(_ properties: Properties, _ key: String) -> TemplateNode? {
        properties.read.insert(key)
        return properties.entries.first { $0.key == key }?.value
    }

    private func value(_ properties: Properties, _ key: String) -> TemplateNode? {
        raw(properties, key).flatMap { resolver.resolve($0) }
    }

    private func provenance(_ properties: Properties, _ key: String, _ node: TemplateNode) -> Provenance {
        .template(node.at, property: properties.label(key), via: node.via)
    }

    /// A whole number within `range`, or an error at the value.
    private func integer(_ node: TemplateNode, _ properties: Properties, _ key: String, _ range: ClosedRange<Int>) -> Int? {
        guard let text = node.scalar, let number = Int(text) ?? Double(text).flatMap({ $0 == $0.rounded() ? Int(exactly: $0) : nil }) else {
            errors.append(located(node.at, "\(properties.owner).\(properties.label(key))",
                                  "'\(node.scalar ?? "a mapping or list")' is not a whole number (expected a count from \(range.lowerBound) to \(range.upperBound))"))
            return nil
        }
        guard range.contains(number) else {
            errors.append(located(node.at, "\(properties.owner).\(properties.label(key))",
                                  "\(number) is outside \(range.lowerBound) - \(range.upperBound) (AWS's range for \(key))"))
            return nil
        }
        return number
    }

    /// A property in seconds as a scenario duration, or AWS's default.
    private func seconds(_ properties: Properties, _ key: String, default fallback: Int, range: ClosedRange<Int>) -> Sourced {
        if let node = value(properties, key), let n = integer(node, properties, key, range) {
            return Sourced(yaml: ScenarioValues.duration(seconds: n), provenance: provenance(properties, key, node))
        }
        return Sourced(yaml: ScenarioValues.duration(seconds: fallback), provenance: .awsDefault(property: properties.label(key), resource: properties.at))
    }

    private func count(_ properties: Properties, _ key: String, range: ClosedRange<Int>) -> Sourced? {
        guard let node = value(properties, key), let n = integer(node, properties, key, range) else { return nil }
        return Sourced(yaml: String(n), provenance: provenance(properties, key, node))
    }

    private func listUnread(_ properties: Properties) {
        let unread = properties.entries.filter { !properties.read.contains($0.key) }
        guard !unread.isEmpty else { return }
        note(unread[0].keyAt, properties.owner,
             "not imported (no scenario key): \(unread.map { properties.label($0.key) }.joined(separator: ", "))")
    }

    private func properties(of resource: (id: String, at: TextPosition, type: String, node: TemplateNode), globals: Bool = false) -> Properties {
        var entries = resource.node["Properties"]?.entries ?? []
        var labels: [String: String] = [:]
        if globals, let global = root["Globals"]?["Function"]?.entries {
            for entry in global where !entries.contains(where: { $0.key == entry.key }) {
                entries.append(entry)
                labels[entry.key] = "Globals.Function.\(entry.key)"
            }
        }
        for entry in resource.node.entries ?? [] where !["Type", "Properties", "Condition", "DependsOn", "Metadata",
                                                        "DeletionPolicy", "UpdateReplacePolicy", "UpdatePolicy", "CreationPolicy"].contains(entry.key) {
            note(entry.keyAt, "Resources.\(resource.id).\(entry.key)", "not imported (an unknown resource attribute)")
        }
        return Properties(owner: "Resources.\(resource.id)", at: resource.at, entries: entries, labels: labels)
    }

    // MARK: Resources

    private func readQueue(_ resource: (id: String, at: TextPosition, type: String, node: TemplateNode)) {
        let p = properties(of: resource)
        _ = raw(p, "QueueName")
        let fifoNode = value(p, "FifoQueue")
        let isFIFO = fifoNode?.scalar?.lowercased() == "true"
        let fifo = fifoNode.map { Sourced(yaml: isFIFO ? "fifo" : "standard", provenance: provenance(p, "FifoQueue", $0)) }
            ?? Sourced(yaml: "standard", provenance: .awsDefault(property: "FifoQueue", resource: p.at))
        var queue = Stack.Queue(
            id: resource.id, at: resource.at, name: physicalName(resource.id, property: "QueueName"), fifo: fifo, isFIFO: isFIFO,
            visibilityTimeout: seconds(p, "VisibilityTimeout", default: 30, range: 0...43_200),
            retention: seconds(p, "MessageRetentionPeriod", default: 345_600, range: 60...1_209_600),
            delay: seconds(p, "DelaySeconds", default: 0, range: 0...900))
        if let redrive = value(p, "RedrivePolicy") {
            let policy = redrivePolicy(redrive)
            if let target = policy["deadLetterTargetArn"] {
                if let text = target.scalar, let id = queueIDFromAnyQueue(text) {
                    queue.deadLetter = (id, .template(target.at, property: "RedrivePolicy.deadLetterTargetArn", via: target.via))
                } else {
                    note(target.at, "\(p.owner).RedrivePolicy.deadLetterTargetArn",
                         "'\(target.scalar ?? "?")' is no queue of this template: the redrive is not imported")
                }
            }
            if let node = policy["maxReceiveCount"], let n = integer(node, p, "RedrivePolicy.maxReceiveCount", 1...1_000) {
                queue.maxReceiveCount = Sourced(yaml: String(n), provenance: .template(node.at, property: "RedrivePolicy.maxReceiveCount", via: node.via))
            }
        }
        readFifoThroughput(p, into: &queue)
        stack.queues.append(queue)
        listUnread(p)
    }

    /// High-throughput mode takes both `DeduplicationScope: messageGroup` and
    /// `FifoThroughputLimit: perMessageGroupId`; with either at its other value the queue keeps
    /// the normal quota (SQS developer guide, "Enabling high throughput for FIFO queues").
    private func readFifoThroughput(_ p: Properties, into queue: inout Stack.Queue) {
        let scope = value(p, "DeduplicationScope")
        let limit = value(p, "FifoThroughputLimit")
        let content = value(p, "ContentBasedDeduplication")
        guard queue.isFIFO else {
            if let node = scope ?? limit ?? content {
                note(node.at, p.owner, "DeduplicationScope, FifoThroughputLimit and ContentBasedDeduplication apply to FIFO queues: not imported for a standard queue")
            }
            return
        }
        if let node = scope ?? limit {
            let isHigh = scope?.scalar == "messageGroup" && limit?.scalar == "perMessageGroupId"
            queue.highThroughput = Sourced(yaml: isHigh ? "true" : "false",
                                           provenance: provenance(p, scope != nil ? "DeduplicationScope" : "FifoThroughputLimit", node))
            if !isHigh, scope?.scalar == "messageGroup" || limit?.scalar == "perMessageGroupId" {
                note(node.at, p.owner,
                     "high throughput needs DeduplicationScope: messageGroup and FifoThroughputLimit: perMessageGroupId together; with one of them the queue keeps the normal FIFO quota (high_throughput: false)")
            }
        }
        if let node = content {
            queue.contentBasedDeduplication = Sourced(yaml: isTrue(node) ? "true" : "false",
                                                      provenance: provenance(p, "ContentBasedDeduplication", node))
        }
    }

    /// Queues are read in file order; a dead-letter queue may come after its source.
    private func queueIDFromAnyQueue(_ text: String) -> String? {
        if let id = queueID(for: text) { return id }
        let name = text.hasPrefix("arn:") ? String(text.split(separator: ":").last ?? "") : text
        return resources.first { $0.type == "AWS::SQS::Queue" && physicalName($0.id, property: "QueueName") == name }?.id
    }

    /// RedrivePolicy is JSON: a mapping, or in older templates a JSON string.
    private func redrivePolicy(_ node: TemplateNode) -> [String: TemplateNode] {
        if let entries = node.entries { return Dictionary(entries.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a }) }
        guard let text = node.scalar, let data = text.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            errors.append(located(node.at, "RedrivePolicy", "not a redrive policy (expected {deadLetterTargetArn, maxReceiveCount})"))
            return [:]
        }
        return object.mapValues { .text("\($0)", at: node.at, via: node.via) }
    }

    private func readFunction(_ resource: (id: String, at: TextPosition, type: String, node: TemplateNode)) {
        let isSAM = resource.type == "AWS::Serverless::Function"
        let p = properties(of: resource, globals: isSAM)
        _ = raw(p, "FunctionName")
        var memory = Sourced(yaml: "128MB", provenance: .awsDefault(property: p.label("MemorySize"), resource: p.at))
        if let node = value(p, "MemorySize"), let n = integer(node, p, "MemorySize", 128...10_240) {
            memory = Sourced(yaml: "\(n)MB", provenance: provenance(p, "MemorySize", node))
        }
        var architecture = Sourced(yaml: "x86_64", provenance: .awsDefault(property: p.label("Architectures"), resource: p.at))
        if let node = value(p, "Architectures") {
            let name = node.items?.first?.scalar ?? node.scalar ?? ""
            if name == "x86_64" || name == "arm64" {
                architecture = Sourced(yaml: name, provenance: provenance(p, "Architectures", node))
            } else {
                errors.append(located(node.at, "\(p.owner).\(p.label("Architectures"))", "'\(name)' is no Lambda architecture (expected [x86_64] or [arm64])"))
            }
        }
        var function = Stack.Function(
            id: resource.id, at: resource.at, name: physicalName(resource.id, property: "FunctionName"), memory: memory,
            timeout: seconds(p, "Timeout", default: 3, range: 1...900), architecture: architecture,
            reservedConcurrency: count(p, "ReservedConcurrentExecutions", range: 0...1_000_000))
        if isSAM {
            function.autoPublishAlias = value(p, "AutoPublishAlias")?.scalar
            if let config = value(p, "ProvisionedConcurrencyConfig"), let node = config["ProvisionedConcurrentExecutions"] {
                if let alias = function.autoPublishAlias, let n = integer(node, p, "ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions", 0...1_000_000) {
                    function.provisioned[alias] = Sourced(yaml: String(n), provenance: .template(node.at, property: p.label("ProvisionedConcurrencyConfig") + ".ProvisionedConcurrentExecutions", via: node.via))
                } else if function.autoPublishAlias == nil {
                    errors.append(located(node.at, "\(p.owner).ProvisionedConcurrencyConfig", "needs AutoPublishAlias (SAM refuses provisioned concurrency without it)"))
                }
            }
            readAsync(value(p, "EventInvokeConfig"), into: &function, owner: p.owner)
            if let dlq = value(p, "DeadLetterQueue"), dlq["Type"]?.scalar == "SQS", let target = dlq["TargetArn"] {
                setOnFailure(target, into: &function, property: "DeadLetterQueue.TargetArn", owner: p.owner)
            } else if let dlq = value(p, "DeadLetterQueue") {
                note(dlq.at, "\(p.owner).DeadLetterQueue", "an SNS dead-letter queue is not imported (the scenario's on_failure is an SQS queue)")
            }
            stack.functions.append(function)
            readEvents(value(p, "Events"), of: resource.id, owner: p.owner)
        } else {
            stack.functions.append(function)
        }
        if let dlq = value(p, "DeadLetterConfig"), let target = dlq["TargetArn"] {
            if let index = stack.functions.firstIndex(where: { $0.id == resource.id }) {
                setOnFailure(target, into: &stack.functions[index], property: "DeadLetterConfig.TargetArn", owner: p.owner)
            }
        }
        listUnread(p)
    }

    private func setOnFailure(_ target: TemplateNode, into function: inout Stack.Function, property: String, owner: String) {
        guard let text = target.scalar, let queue = queueIDFromAnyQueue(text) else {
            note(target.at, "\(owner).\(property)", "'\(target.scalar ?? "?")' is no SQS queue of this template (not imported)")
            return
        }
        function.onFailure = (queue, .template(target.at, property: property, via: target.via))
    }

    /// EventInvokeConfig (SAM's property or the resource's properties): the on-failure
    /// destination, retries and event age of asynchronous invocations.
    private func readAsync(_ config: TemplateNode?, into function: inout Stack.Function, owner: String) {
        guard let config else { return }
        if let destination = config["DestinationConfig"]?["OnFailure"]?["Destination"] {
            setOnFailure(destination, into: &function, property: "DestinationConfig.OnFailure.Destination", owner: owner)
        }
        if let node = config["MaximumRetryAttempts"], let text = node.scalar, let n = Int(text), (0...2).contains(n) {
            function.retryAttempts = Sourced(yaml: String(n), provenance: .template(node.at, property: "MaximumRetryAttempts", via: node.via))
        }
        if let node = config["MaximumEventAgeInSeconds"], let text = node.scalar, let n = Int(text), (60...21_600).contains(n) {
            function.maxEventAge = Sourced(yaml: ScenarioValues.duration(seconds: n), provenance: .template(node.at, property: "MaximumEventAgeInSeconds", via: node.via))
        }
    }

    private func readInvokeConfig(_ resource: (id: String, at: TextPosition, type: String, node: TemplateNode)) {
        let p = properties(of: resource)
        guard let name = value(p, "FunctionName")?.scalar, let (id, _) = functionID(named: name),
              let index = stack.functions.firstIndex(where: { $0.id == id }) else {
            note(resource.at, p.owner, "its FunctionName is no function of this template (not imported)")
            return
        }
        let config = TemplateNode(.mapping(p.entries), at: p.at)
        for key in ["DestinationConfig", "MaximumRetryAttempts", "MaximumEventAgeInSeconds"] { _ = raw(p, key) }
        readAsync(resolver.resolve(config), into: &stack.functions[index], owner: p.owner)
        listUnread(p)
    }

    private func readProvisionedConcurrency(_ resource: (id: String, at: TextPosition, type: String, node: TemplateNode)) {
        let p = properties(of: resource)
        for key in ["FunctionVersion", "Name"] { _ = raw(p, key) }
        guard let config = value(p, "ProvisionedConcurrencyConfig"), let node = config["ProvisionedConcurrentExecutions"] else {
            listUnread(p)
            return
        }
        guard let name = value(p, "FunctionName")?.scalar, let (id, _) = functionID(named: name),
              let index = stack.functions.firstIndex(where: { $0.id == id }) else {
            note(resource.at, p.owner, "its FunctionName is no function of this template: its provisioned concurrency is not imported")
            return
        }
        let qualifier = resource.type == "AWS::Lambda::Alias" ? (value(p, "Name")?.scalar ?? resource.id) : resource.id
        if let n = integer(node, p, "ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions", 0...1_000_000) {
            stack.functions[index].provisioned[qualifier] = Sourced(
                yaml: String(n), provenance: .template(node.at, property: "\(resource.id).ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions", via: node.via))
        }
        listUnread(p)
    }

    // MARK: Triggers

    private func readMapping(_ resource: (id: String, at: TextPosition, type: String, node: TemplateNode)) {
        let p = properties(of: resource)
        guard let source = value(p, "EventSourceArn")?.scalar else {
            note(resource.at, p.owner, "the mapping's EventSourceArn cannot be resolved (not imported)")
            return
        }
        guard let queue = queueID(for: source) else {
            let service = Self.service(of: source)
            note(resource.at, p.owner, service == "sqs"
                 ? "the mapping reads '\(source)', no SQS queue of this template (not imported)"
                 : "a mapping from \(service) (\(source)) is not imported: queuesim models SQS sources only")
            return
        }
        guard let name = value(p, "FunctionName")?.scalar, let (function, qualifier) = functionID(named: name) else {
            note(resource.at, p.owner, "the mapping's FunctionName is no function of this template (not imported)")
            return
        }
        addTrigger(p, id: resource.id, at: resource.at, queue: queue, function: function, qualifier: qualifier)
    }

    /// SAM `Events`: `Type: SQS` becomes a trigger, `Schedule`/`ScheduleV2` a schedule; other
    /// event types are listed.
    private func readEvents(_ events: TemplateNode?, of function: String, owner: String) {
        for entry in events?.entries ?? [] {
            let type = entry.value["Type"]?.scalar ?? "?"
            let eventProperties = Properties(owner: "\(owner).Events.\(entry.key).Properties", at: entry.keyAt,
                                             entries: entry.value["Properties"]?.entries ?? [])
            switch type {
            case "SQS":
                guard let source = value(eventProperties, "Queue")?.scalar, let queue = queueID(for: source) else {
                    note(entry.keyAt, "\(owner).Events.\(entry.key)", "its Queue is no SQS queue of this template (not imported)")
                    continue
                }
                let alias = stack.functions.first { $0.id == function }?.autoPublishAlias
                addTrigger(eventProperties, id: "\(function).Events.\(entry.key)", at: entry.keyAt, queue: queue, function: function, qualifier: alias)
            case "Schedule", "ScheduleV2":
                let key = type == "Schedule" ? "Schedule" : "ScheduleExpression"
                guard let expression = value(eventProperties, key) else {
                    note(entry.keyAt, "\(owner).Events.\(entry.key)", "a schedule without \(key) (not imported)")
                    continue
                }
                if let state = value(eventProperties, "State")?.scalar ?? value(eventProperties, "Enabled")?.scalar,
                   state == "DISABLED" || state.lowercased() == "false" {
                    note(entry.keyAt, "\(owner).Events.\(entry.key)", "the schedule is disabled (not imported)")
                    continue
                }
                stack.schedules.append(Stack.Schedule(id: "\(function)\(entry.key)", at: entry.keyAt, function: function,
                                                      expression: expression.scalar ?? "", expressionAt: expression.at, property: "Events.\(entry.key).Properties.\(key)"))
                listUnread(eventProperties)
            case "Kinesis", "DynamoDB", "MSK", "SelfManagedKafka", "MQ", "DocumentDB":
                note(entry.keyAt, "\(owner).Events.\(entry.key)", "a \(type) event source is not imported: queuesim models SQS sources only")
            default:
                note(entry.keyAt, "\(owner).Events.\(entry.key)", "an event of Type \(type) is not imported (queuesim imports SQS, Schedule and ScheduleV2 events)")
            }
        }
    }

    private func addTrigger(_ p: Properties, id: String, at: TextPosition, queue: String, function: String, qualifier: String?) {
        for key in ["EventSourceArn", "FunctionName", "Queue"] { _ = raw(p, key) }
        if let enabled = value(p, "Enabled"), enabled.scalar?.lowercased() == "false" {
            note(enabled.at, "\(p.owner).Enabled", "the mapping is disabled (Enabled: false): it is not imported as a trigger")
            listUnread(p)
            return
        }
        var trigger = Stack.Trigger(
            id: id, at: at, queue: queue,
            batchSize: count(p, "BatchSize", range: 1...10_000)
                ?? Sourced(yaml: "10", provenance: .awsDefault(property: "BatchSize", resource: p.at)),
            batchingWindow: seconds(p, "MaximumBatchingWindowInSeconds", default: 0, range: 0...300),
            reportBatchItemFailures: Sourced(yaml: "false", provenance: .awsDefault(property: "FunctionResponseTypes", resource: p.at)),
            qualifier: qualifier)
        if let scaling = value(p, "ScalingConfig"), let node = scaling["MaximumConcurrency"] {
            if let n = integer(node, p, "ScalingConfig.MaximumConcurrency", 2...1_000) {
                trigger.maximumConcurrency = Sourced(yaml: String(n), provenance: .template(node.at, property: "ScalingConfig.MaximumConcurrency", via: node.via))
            }
        }
        if let types = value(p, "FunctionResponseTypes") {
            let names = types.items?.compactMap(\.scalar) ?? [types.scalar ?? ""]
            trigger.reportBatchItemFailures = Sourced(yaml: names.contains("ReportBatchItemFailures") ? "true" : "false",
                                                      provenance: provenance(p, "FunctionResponseTypes", types))
        }
        if let config = value(p, "ProvisionedPollerConfig") {
            let minimum = config["MinimumPollers"].map { Sourced(yaml: $0.scalar ?? "2", provenance: .template($0.at, property: "ProvisionedPollerConfig.MinimumPollers", via: $0.via)) }
                ?? Sourced(yaml: "2", provenance: .awsDefault(property: "ProvisionedPollerConfig.MinimumPollers", resource: config.at))
            let maximum = config["MaximumPollers"].map { Sourced(yaml: $0.scalar ?? "200", provenance: .template($0.at, property: "ProvisionedPollerConfig.MaximumPollers", via: $0.via)) }
                ?? Sourced(yaml: "200", provenance: .awsDefault(property: "ProvisionedPollerConfig.MaximumPollers", resource: config.at))
            trigger.provisionedPollers = (minimum, maximum)
        }
        guard let index = stack.functions.firstIndex(where: { $0.id == function }) else { return }
        stack.functions[index].triggers.append(trigger)
        listUnread(p)
    }

    // MARK: Schedules

    private func readRule(_ resource: (id: String, at: TextPosition, type: String, node: TemplateNode)) {
        let p = properties(of: resource)
        guard let expression = value(p, "ScheduleExpression") else {
            note(resource.at, p.owner, "an EventBridge rule without ScheduleExpression (an event pattern) is not imported")
            return
        }
        if let state = value(p, "State")?.scalar, state != "ENABLED" {
            note(resource.at, p.owner, "the rule's State is \(state): not imported")
            listUnread(p)
            return
        }
        for target in value(p, "Targets")?.items ?? [] {
            addSchedule(resource: resource, target: target["Arn"], expression: expression, property: "ScheduleExpression", owner: p.owner)
        }
        listUnread(p)
    }

    private func readSchedule(_ resource: (id: String, at: TextPosition, type: String, node: TemplateNode)) {
        let p = properties(of: resource)
        guard let expression = value(p, "ScheduleExpression") else { return }
        if let state = value(p, "State")?.scalar, state != "ENABLED" {
            note(resource.at, p.owner, "the schedule's State is \(state): not imported")
            listUnread(p)
            return
        }
        addSchedule(resource: resource, target: value(p, "Target")?["Arn"], expression: expression, property: "ScheduleExpression", owner: p.owner)
        listUnread(p)
    }

    private func addSchedule(resource: (id: String, at: TextPosition, type: String, node: TemplateNode), target: TemplateNode?,
                             expression: TemplateNode, property: String, owner: String) {
        guard let arn = target?.scalar, let (function, _) = functionID(named: arn) else {
            note(target?.at ?? resource.at, owner, "a target that is no function of this template is not imported")
            return
        }
        stack.schedules.append(Stack.Schedule(id: resource.id, at: resource.at, function: function, expression: expression.scalar ?? "",
                                              expressionAt: expression.at, property: property))
    }
}
