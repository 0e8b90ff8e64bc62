import Testing
@testable import SimCore

@Suite("Duration and rate notation")
struct DurationFormatTests {
    @Test("every unit parses", arguments: [
        ("250ms", SimTime.ms(250)),
        ("30s", .s(30)),
        ("5m", .minutes(5)),
        ("5min", .minutes(5)),
        ("2h", .hours(2)),
        ("4d", .hours(96)),
        ("750us", .us(750)),
        ("12ns", .ns(12)),
        ("0s", .zero),
    ])
    func units(text: String, expected: SimTime) throws {
        #expect(try DurationFormat.parseDuration(text) == expected)
    }

    @Test("compound durations parse, largest unit first")
    func compound() throws {
        #expect(try DurationFormat.parseDuration("1h30m") == .minutes(90))
        #expect(try DurationFormat.parseDuration("2m30s") == .s(150))
        #expect(try DurationFormat.parseDuration("1d12h") == .hours(36))
        #expect(try DurationFormat.parseDuration("1m0.5s") == .ms(60_500))
        #expect(throws: UnitError.self) { try DurationFormat.parseDuration("30m1h") }
        #expect(throws: UnitError.self) { try DurationFormat.parseDuration("1h30x") }
        #expect(throws: UnitError.self) { try DurationFormat.parseDuration("1h30") }
        // Exponents are still one number: 1e3ms is a second.
        #expect(try DurationFormat.parseDuration("1e3ms") == .s(1))
    }

    @Test("rates per day and per hour parse")
    func ratesPerDay() throws {
        #expect(try Rate.parse("86400/day") == Rate(perSecond: 1))
        #expect(try Rate.parse("7200/hour") == Rate(perSecond: 2))
        #expect(throws: UnitError.self) { try Rate.parse("3/fortnight") }
    }

    @Test("fractions, exponents and spaces parse")
    func fractional() throws {
        #expect(try DurationFormat.parseDuration("1.5s") == .ms(1_500))
        #expect(try DurationFormat.parseDuration("0.25ms") == .us(250))
        #expect(try DurationFormat.parseDuration("2.5h") == .minutes(150))
        #expect(try DurationFormat.parseDuration("1e3ms") == .s(1))
        #expect(try DurationFormat.parseDuration("  30s\t") == .s(30))
        #expect(try DurationFormat.parseDuration("30 s") == .s(30))
        // Below a nanosecond rounds to the nearest one.
        #expect(try DurationFormat.parseDuration("0.4ns") == .zero)
        #expect(try DurationFormat.parseDuration("1.6ns") == .ns(2))
    }

    @Test("a bare number is refused, and the message names the units")
    func bareNumber() {
        #expect(throws: UnitError.self) { try DurationFormat.parseDuration("30") }
        do {
            _ = try DurationFormat.parseDuration("30")
            Issue.record("a bare number was accepted")
        } catch {
            guard case .missingUnit = error else {
                Issue.record("expected missingUnit, got \(error)")
                return
            }
            let message = error.description
            #expect(message.contains("30s"))
            #expect(message.contains("30ms"))
            #expect(message.contains("ns, us, ms, s, m, h, d"))
        }
    }

    @Test("malformed durations give the matching error")
    func errors() {
        func error(_ text: String) -> UnitError? {
            do {
                _ = try DurationFormat.parseDuration(text)
                return nil
            } catch {
                return error
            }
        }
        #expect(error("") == .empty(expected: "a duration such as 30s"))
        if case .notANumber = error("fast") {} else { Issue.record("'fast' should be notANumber") }
        if case .notANumber = error("1.2.3s") {} else { Issue.record("'1.2.3s' should be notANumber") }
        if case .unknownUnit(let unit, _, _) = error("5 fortnights") {
            #expect(unit == "fortnights")
        } else {
            Issue.record("'5 fortnights' should be unknownUnit")
        }
        if case .unknownUnit = error("5S") {} else { Issue.record("units are case-sensitive: 'S' is unknown") }
        if case .negative = error("-5s") {} else { Issue.record("'-5s' should be negative") }
        if case .outOfRange = error("1e12d") {} else { Issue.record("'1e12d' should be out of range") }
    }

    @Test("durations print with the largest exact unit")
    func printing() {
        #expect(DurationFormat.format(.ms(250)) == "250ms")
        #expect(DurationFormat.format(.s(30)) == "30s")
        #expect(DurationFormat.format(.minutes(5)) == "5m")
        #expect(DurationFormat.format(.hours(2)) == "2h")
        #expect(DurationFormat.format(.hours(96)) == "4d")
        #expect(DurationFormat.format(.us(1_500)) == "1500us")
        #expect(DurationFormat.format(.ms(1_500)) == "1500ms")
        #expect(DurationFormat.format(.s(90)) == "90s")
        #expect(DurationFormat.format(.ns(7)) == "7ns")
        #expect(DurationFormat.format(.zero) == "0s")
        #expect(DurationFormat.format(.never) == "never")
    }

    @Test("printing then parsing gives the same time back")
    func roundTrip() throws {
        let stream = RandomStream(seed: 7)
        for unit in [Int64(1), 1_000, 1_000_000, 1_000_000_000, 60_000_000_000] {
            for _ in 0..<200 {
                let time = SimTime(nanoseconds: Int64(stream.integer(below: 1_000_000)) * unit)
                #expect(try DurationFormat.parseDuration(DurationFormat.format(time)) == time)
            }
        }
    }

    @Test("rates parse per unit of time", arguments: [
        ("2/s", 2.0),
        ("120/min", 2.0),
        ("120/m", 2.0),
        ("1000/h", 1000.0 / 3600),
        ("0.5/s", 0.5),
        ("3/ms", 3000.0),
        ("86400/d", 1.0),
        ("5 / sec", 5.0),
        ("0/s", 0.0),
    ])
    func rates(text: String, perSecond: Double) throws {
        let rate = try Rate.parse(text)
        #expect(abs(rate.perSecond - perSecond) <= 1e-12 * perSecond)
    }

    @Test("malformed rates give the matching error")
    func rateErrors() {
        func error(_ text: String) -> UnitError? {
            do {
                _ = try Rate.parse(text)
                return nil
            } catch {
                return error
            }
        }
        if case .missingUnit(_, let expected) = error("2") {
            #expect(expected.contains("2/s"))
        } else {
            Issue.record("a bare rate should be missingUnit")
        }
        if case .unknownUnit = error("2/fortnight") {} else { Issue.record("'2/fortnight' should be unknownUnit") }
        if case .notANumber = error("many/s") {} else { Issue.record("'many/s' should be notANumber") }
        if case .negative = error("-1/s") {} else { Issue.record("'-1/s' should be negative") }
        if case .missingUnit = error("1/2/s") {} else { Issue.record("'1/2/s' should be refused") }
    }

    @Test("rates print in the unit that keeps them whole")
    func ratePrinting() throws {
        #expect(Rate(perSecond: 2).description == "2/s")
        #expect(Rate(perSecond: 1.5).description == "1.5/s")
        #expect(Rate(perSecond: 0.5).description == "30/min")
        #expect(Rate(perSecond: 0).description == "0/s")
        #expect(try Rate.parse("1000/h").description == "1000/h")
        #expect(try Rate.parse("7/h").description == "7/h")
        #expect(try Rate.parse("120/min").description == "2/s")
    }

    @Test("a rate's mean interval is its reciprocal; zero never comes")
    func meanInterval() {
        #expect(Rate(perSecond: 4).meanInterval == .ms(250))
        #expect(Rate(perSecond: 0).meanInterval == .never)
    }
}
