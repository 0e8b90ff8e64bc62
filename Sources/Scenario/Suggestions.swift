/// "Did you mean" suggestions for misspelt keys and names.
public enum Suggestions {
    /// The candidate closest to `word`, if it is close enough to be a likely typo.
    ///
    /// Close enough: at most a third of the word's letters edited (at least 1, at most 3), or
    /// the same word in other letter case or with `-` for `_`.
    public static func closest(to word: String, in candidates: [String]) -> String? {
        let normalised = normalise(word)
        if let same = candidates.first(where: { normalise($0) == normalised }) { return same }
        // One- and two-letter names are too short for a typo to be told from another name.
        let limit = word.count <= 2 ? 0 : max(1, min(3, word.count / 3))
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(normalised, normalise(candidate))
            if distance <= limit, distance < (best?.distance ?? .max) { best = (candidate, distance) }
        }
        return best?.candidate
    }

    /// The parenthesised hint of a message: `did you mean 'x'?` or `expected one of: a, b, c`.
    static func hint(for word: String, in candidates: [String], noun: String = "one of") -> String {
        if let suggestion = closest(to: word, in: candidates) { return "did you mean '\(suggestion)'?" }
        if candidates.isEmpty { return "expected no keys here" }
        // A long list of names helps nobody; the first few show what is meant.
        let shown = candidates.count > 20 ? candidates.prefix(20).joined(separator: ", ") + ", ..." : candidates.joined(separator: ", ")
        return "expected \(noun): \(shown)"
    }

    /// The Levenshtein distance between two strings (insertions, deletions, substitutions).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// Lower case, `-` as `_`: the differences that are never meant.
    private static func normalise(_ word: String) -> String {
        String(word.lowercased().map { $0 == "-" ? "_" : $0 })
    }
}
