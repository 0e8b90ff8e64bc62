/// The version `queuesim --version` prints; raise it with each release of the tool.
enum QueuesimVersion {
    static let number = "0.22.0"
}
