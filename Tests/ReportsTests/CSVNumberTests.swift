import Reports
import Testing

/// Numbers in CSV: plain decimals, blank for n/a.
@Suite struct CSVNumberTests {
    @Test(arguments: [
        (0.1, "0.1"), (3.0, "3"), (-2.0, "-2"), (1234.5, "1234.5"), (1e-05, "0.00001"), (-2.5e-7, "-0.00000025"),
        (1.25e-10, "0.000000000125"), (1.5e16, "15000000000000000"), (123456789.125, "123456789.125"),
        (6.02e23, "602000000000000000000000"), (1e300, "1e+300"), (0.0, "0"), (-0.0, "0"), (2.5e-5, "0.000025"),
    ])
    func plainDecimals(value: Double, expected: String) {
        #expect(CSVNumber.format(value) == expected)
    }

    @Test func notApplicableIsBlank() {
        #expect(CSVNumber.format(Double?.none) == "")
        #expect(CSVNumber.format(Double.nan) == "")
        #expect(CSVNumber.format(Double.infinity) == "")
        #expect(CSVNumber.format(Int?.none) == "")
        #expect(CSVNumber.format(Int?.some(7)) == "7")
    }

    @Test func plainDecimalsReadBackAsTheSameDouble() {
        for value in [0.1 + 0.2, 1.0 / 3.0, 2.0 / 3.0 * 1e-7, 9.87654321e14, 1.2345678901234567e-20, 98765.4321e-9] {
            #expect(Double(CSVNumber.format(value)) == value, "\(value)")
        }
    }
}
