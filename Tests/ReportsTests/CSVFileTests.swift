import Testing
@testable import Reports

/// Reading CSV back: what CSVTable writes reads as it was, and mistakes are located.
@Suite struct CSVFileTests {
    @Test func whatCSVTableWritesReadsBackFieldForField() throws {
        let table = CSVTable(header: ["a", "b", "c"], rows: [["1", "{min: 1s, max: 2s}", "say \"hi\""], ["", "x\ny", "3"]])
        let file = try CSVFile(text: table.text, path: "t.csv")
        #expect(file.header == ["a", "b", "c"])
        #expect(file.records.map(\.fields) == table.rows)
        #expect(file.records.map(\.line) == [2, 3])
        #expect(file.records[0].columns == [1, 3, 24])
    }

    /// A group named `=HYPERLINK("http://x","click")` became a live formula in a spreadsheet.
    @Test func textThatAFormulaWouldStartWithIsWrittenAsTextAndReadsBack() throws {
        let names = ["=HYPERLINK(\"http://x\",\"click\")", "+1+2", "-cmd", "@SUM(A1)", "'quoted", "\tx"]
        let numbers = ["-1.5", "-2", "+3", "0.25"]
        let table = CSVTable(header: ["scope", "value"], rows: zip(names, numbers + ["1", "2"]).map { [$0, $1] })
        let lines = table.text.split(separator: "\n").dropFirst().map(String.init)
        #expect(lines[0] == "\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\",-1.5")
        #expect(lines[1] == "\"'+1+2\",-2")
        #expect(lines[2] == "\"'-cmd\",+3")
        #expect(lines[3] == "\"'@SUM(A1)\",0.25")
        #expect(lines[4] == "\"''quoted\",1")
        let file = try CSVFile(text: table.text, path: "t.csv")
        #expect(file.records.map(\.fields) == table.rows)
    }

    @Test func windowsLineEndsAndAMissingFinalLineEndAreAccepted() throws {
        let file = try CSVFile(text: "a,b\r\n1,2\r\n3,4", path: "t.csv")
        #expect(file.records.map(\.fields) == [["1", "2"], ["3", "4"]])
    }

    @Test func mistakesAreReportedWithFileLineAndColumn() {
        #expect(throws: ReportInputError(path: "t.csv", line: 3, column: 1, reason: "expected 2 fields as in the header, found 3")) {
            try CSVFile(text: "a,b\n1,2\n1,2,3\n", path: "t.csv")
        }
        #expect(throws: ReportInputError(path: "t.csv", line: 2, column: 3, reason: "the quoted field opened here is not closed before the end of the file")) {
            try CSVFile(text: "a,b\n1,\"2,3\n", path: "t.csv")
        }
        #expect(throws: ReportInputError(path: "t.csv", reason: "the file is empty; expected a header row")) {
            try CSVFile(text: "", path: "t.csv")
        }
        let file = try? CSVFile(text: "a,mean\nx,abc\n", path: "t.csv")
        if let file, let record = file.records.first {
            #expect(throws: ReportInputError(path: "t.csv", line: 2, column: 3, reason: "expected a number in column `mean`, found `abc`")) {
                try file.number(record, 1)
            }
        } else {
            Issue.record("the file did not parse")
        }
        #expect(ReportInputError(path: "t.csv", line: 2, column: 3, reason: "r").description == "t.csv:2:3: r")
    }
}
