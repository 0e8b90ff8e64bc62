import SimCore
@testable import ServerlessModel
import Testing

/// A producer's resends (Deduplication.swift): deduplicated by a FIFO queue within 5 minutes
/// of the first send when the deduplication id is the same, delivered again otherwise.
@Suite struct DeduplicationTests {
    /// One message sent at 0 s and resent `after` it, into a FIFO queue or a standard one.
    static func resent(after: SimTime, fifo: Bool, sameID: Bool = true, contentBased: Bool = false) throws -> RunResult {
        let spec = tinyPipeline(sends: [.zero], runFor: .minutes(10)) { spec in
            if fifo {
                spec.queues[0].kind = .fifo
                spec.queues[1].kind = .fifo
            }
            spec.queues[0].contentBasedDeduplication = contentBased
            spec.groups[0].resend = ResendSpec(probability: 1, after: after, sameDeduplicationId: sameID)
        }
        return try run(spec)
    }

    @Test func aFifoQueueAcceptsAResendWithinFiveMinutesAndDoesNotDeliverIt() throws {
        let result = try Self.resent(after: .s(2), fifo: true)
        #expect(result.value(.sent, "A") == 1)
        #expect(result.value(.resent, "A") == 1)
        #expect(result.value(.deduplicated, "A") == 1)
        #expect(result.value(.duplicates, "A") == 0)
        #expect(result.times(.received) == [.zero])
        #expect(result.value(.succeeded, "A") == 1)
    }

    @Test func aResendAtOrAfterTheIntervalIsDeliveredAgain() throws {
        let inside = try Self.resent(after: .s(299), fifo: true)
        #expect(inside.value(.deduplicated, "A") == 1 && inside.value(.duplicates, "A") == 0)
        // The interval is 5 minutes from the first send: a resend at 5 minutes is new.
        let at = try Self.resent(after: .minutes(5), fifo: true)
        #expect(at.value(.deduplicated, "A") == 0)
        #expect(at.value(.duplicates, "A") == 1)
        #expect(at.times(.received) == [.zero, .minutes(5)])
        #expect(at.value(.succeeded, "A") == 1, "the copy is processed but the message succeeds once")
    }

    @Test func aNewDeduplicationIdIsDeliveredUnlessTheQueueDerivesItFromTheBody() throws {
        let newID = try Self.resent(after: .s(2), fifo: true, sameID: false)
        #expect(newID.value(.deduplicated, "A") == 0)
        #expect(newID.value(.duplicates, "A") == 1)
        #expect(newID.times(.received) == [.zero, .s(2)])
        let contentBased = try Self.resent(after: .s(2), fifo: true, sameID: false, contentBased: true)
        #expect(contentBased.value(.deduplicated, "A") == 1)
        #expect(contentBased.value(.duplicates, "A") == 0)
    }

    @Test func aStandardQueueDeliversEveryResend() throws {
        let result = try Self.resent(after: .s(2), fifo: false)
        #expect(result.value(.resent, "A") == 1)
        #expect(result.value(.deduplicated, "A") == 0)
        #expect(result.value(.duplicates, "A") == 1)
        #expect(result.times(.received) == [.zero, .s(2)])
        #expect(result.value(.succeeded, "A") == 1)
    }

    @Test func theSameMessagesAreResentInEveryVariantAndAtTheRequestedShare() throws {
        // The draw is the message's own: a FIFO and a standard queue resend the same ones.
        func resends(_ fifo: Bool) throws -> (resent: Double, sent: Double, kept: Double) {
            let spec = tinyPipeline(sends: (0..<2_000).map { .ms(Int64($0) * 10) }, duration: .ms(1), runFor: .minutes(1)) { spec in
                if fifo {
                    spec.queues[0].kind = .fifo
                    spec.queues[1].kind = .fifo
                    spec.groups[0].fifoGroupKey = .message
                }
                spec.groups[0].resend = ResendSpec(probability: 0.1, after: .s(1))
            }
            let result = try run(spec)
            return (result.value(.resent, "A"), result.value(.sent, "A"),
                    fifo ? result.value(.deduplicated, "A") : result.value(.duplicates, "A"))
        }
        let fifo = try resends(true)
        let standard = try resends(false)
        #expect(fifo.resent == standard.resent)
        #expect(fifo.kept == fifo.resent, "every resend within the interval is deduplicated")
        #expect(standard.kept == standard.resent, "every resend is processed again")
        // 2,000 sends at 10 %: within 4 standard deviations (13.4) of 200.
        #expect(abs(fifo.resent - 200) < 54)
    }
}
