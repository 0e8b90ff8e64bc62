/// A model the engine can run: it reacts to its own events and schedules new ones.
///
/// The engine knows nothing of what the events mean. A model is usually a final class or a
/// struct holding its entities in arrays; its `Event` is a small enum of integer ids.
public protocol DiscreteEventModel {
    /// The model's event type: a value, never an existential.
    associatedtype Event

    /// Handles one event at `events.now`, scheduling any follow-up events on `events`.
    mutating func handle(_ event: Event, events: inout EventList<Event>)
}

/// Why a run returned.
public enum StopReason: Equatable, Sendable {
    /// No event was left (or only events at ``SimTime/never``, which never happen).
    case empty
    /// The next event lies beyond the time limit; the clock stands at the limit.
    case timeLimit
    /// The stop condition became true after an event.
    case condition
}

/// Runs a model on an event list: the simulation loop.
///
/// Like its event list, a simulation cannot be copied (see ``EventList``).
public struct Simulation<Model: DiscreteEventModel>: ~Copyable {
    /// The model being simulated.
    public var model: Model
    /// The pending events and the clock.
    public var events: EventList<Model.Event>
    /// How many events have been handled so far.
    @inlinable public var handledEvents: Int { handled }

    // Stored separately from the public getter because `run` is inlinable (so that it is
    // specialised for the model's concrete types in the caller's module) and inlinable code
    // can only write `@usableFromInline` storage.
    @usableFromInline var handled: Int = 0

    /// Creates a simulation of a model with an empty event list at time zero.
    public init(model: Model, events: consuming EventList<Model.Event> = EventList()) {
        self.model = model
        self.events = events
    }

    /// The current virtual time.
    @inlinable public var now: SimTime { events.now }

    /// Handles events in order until none is left, the next lies after `end`, or `stop`
    /// returns true after an event.
    ///
    /// Events scheduled exactly at `end` are handled. When the run stops at the time limit, or
    /// runs out of events before a finite `end`, the clock is moved to `end`, so that
    /// time-weighted statistics can be closed there.
    ///
    /// An event scheduled at ``SimTime/never`` (a zero rate's next arrival, say) is never
    /// handled: if only such events are left, the run returns ``StopReason/empty`` without
    /// moving the clock to `never`. Handling them would start an endless loop at the end of
    /// time, since every follow-up event would also land on `never`.
    @inlinable @discardableResult
    public mutating func run(until end: SimTime = .never, stopWhen stop: ((Model) -> Bool)? = nil) -> StopReason {
        // Finds the next event (on the wheel or in the heap) once, peeks at its time and pops
        // it from there, without `nextTime`'s and `popNext`'s optionals (each asked again
        // whether the list is empty). The heap's root left vacant by a pop is filled here
        // only if no event scheduled since went into it (see `EventList.entries`).
        let limit = end.nanoseconds
        while true {
            let location = events.locateNext()
            if location == -2 { break }
            let next = events.time(at: location)
            if next > limit {
                events.advance(to: end)
                return .timeLimit
            }
            if next == SimTime.never.nanoseconds { break }
            let event = events.remove(at: location)
            model.handle(event, events: &events)
            handled &+= 1
            if let stop, stop(model) { return .condition }
        }
        if end != .never { events.advance(to: end) }
        return .empty
    }
}

extension Simulation {
    /// Runs like ``run(until:stopWhen:)`` to a finite `end`, in `slices` equal steps of
    /// simulated time, calling `progress` with the clock after each: a long run can show how
    /// far it has come.
    ///
    /// The hook sits between calls of the event loop, not in it, so a run without it pays
    /// nothing per event (Benchmarks/PROFILE.md, "Progress of a long run"). The events are
    /// handled in the same order as by one call of ``run(until:stopWhen:)``: a slice handles
    /// every event up to and at its end, and moving the clock to a slice's end between two
    /// events changes nothing a model sees.
    @inlinable @discardableResult
    public mutating func run(until end: SimTime, slices: Int, progress: (SimTime) -> Void) -> StopReason {
        guard end != .never, slices > 1 else {
            let reason = run(until: end)
            progress(now)
            return reason
        }
        let step = end.nanoseconds / Int64(slices)
        var reason = StopReason.empty
        for slice in 1...slices {
            // Multiplying the step, not the end, so that a century of nanoseconds cannot overflow.
            let sliceEnd = slice == slices ? end : SimTime(nanoseconds: step * Int64(slice))
            reason = run(until: sliceEnd)
            progress(now)
        }
        return reason
    }
}

extension Simulation: Sendable where Model: Sendable, Model.Event: Sendable {}
