import Foundation
import SimCore

/// Many tenants behind one task group: the group's arrivals split among them, each with its
/// own MessageGroupId (on FIFO and fair queues) and, where a downstream limit says so, its
/// own limit.
public struct TenantSpec: Hashable, Sendable {
    /// How many tenants the group stands for (tenant `k` is named `<group>#<k>`, from 1).
    public var count: Int
    /// How the group's sends are shared among them.
    public var share: TenantShare
    /// Tenants' own downstream rates (a tenants file's `limit` column), by tenant from 1;
    /// nil where a tenant has none (the group's per-tenant limit applies, if any).
    public var limits: [Rate?] = []
    /// Tenants' names (a tenants file's `tenant` column); empty: `<group>#<k>`.
    public var names: [String] = []

    /// Creates a tenant split.
    public init(count: Int, share: TenantShare, limits: [Rate?] = [], names: [String] = []) {
        self.count = count
        self.share = share
        self.limits = limits
        self.names = names
    }

    /// Each tenant's share of the group's sends, summing to 1.
    public var weights: [Double] {
        let raw: [Double]
        switch share {
        case .equal: raw = Array(repeating: 1, count: count)
        case .zipf(let exponent): raw = (1...max(1, count)).map { 1 / pow(Double($0), exponent) }
        case .weights(let given): raw = given
        }
        let total = raw.reduce(0, +)
        return raw.map { $0 / total }
    }
}

/// How a task group's sends are shared among its tenants.
public enum TenantShare: Hashable, Sendable {
    /// Every tenant alike.
    case equal
    /// Tenant k (from 1) in proportion to 1 / k^s: a few heavy tenants and a long tail.
    case zipf(Double)
    /// In proportion to the given numbers (a tenants file's `rate` column).
    case weights([Double])
}
