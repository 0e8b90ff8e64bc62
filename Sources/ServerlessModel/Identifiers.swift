/// Typed indexes of the world's entities.
///
/// Entities live in arrays and refer to each other by these ids, never by reference: no
/// reference counting on the hot path, and a mistake like passing a queue where a function is
/// expected does not compile. Each wraps an `Int32` so that events stay small.

/// A task group (producer) of the world.
public struct GroupID: Hashable, Sendable { public let index: Int32; @inlinable init(_ index: Int) { self.index = Int32(index) } }
/// An SQS queue of the world.
public struct QueueID: Hashable, Sendable { public let index: Int32; @inlinable init(_ index: Int) { self.index = Int32(index) } }
/// A Lambda function of the world.
public struct FunctionID: Hashable, Sendable { public let index: Int32; @inlinable init(_ index: Int) { self.index = Int32(index) } }
/// A downstream service of the world.
public struct DownstreamID: Hashable, Sendable { public let index: Int32; @inlinable init(_ index: Int) { self.index = Int32(index) } }
/// A slot of the message pool; slots are reused once a message is gone.
public struct MessageID: Hashable, Sendable { public let index: Int32; @inlinable init(_ index: Int) { self.index = Int32(index) } }
/// An execution environment of some function; slots are reused after reclaim.
public struct EnvironmentID: Hashable, Sendable { public let index: Int32; @inlinable init(_ index: Int) { self.index = Int32(index) } }
/// One concurrent batch loop ("poller") of an event source mapping.
public struct PollerID: Hashable, Sendable { public let index: Int32; @inlinable init(_ index: Int) { self.index = Int32(index) } }
/// An event source mapping (one per triggered function).
public struct MappingID: Hashable, Sendable { public let index: Int32; @inlinable init(_ index: Int) { self.index = Int32(index) } }
