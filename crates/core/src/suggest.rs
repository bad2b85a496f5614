//! "Did you mean …?" for misspelt option keys and trigger names.
//!
//! The text compared is the caller's, so it can be any length (a 10 MiB trigger name is one
//! JavaScript string away). The work here is bounded by the candidates, not by that text: a
//! suggestion is at most [`MAX_DISTANCE`] edits away, so text longer than the longest candidate
//! plus that distance cannot be near any of them and is never compared, and each comparison
//! keeps to the band of the edit table where distances of at most [`MAX_DISTANCE`] live.

/// The most edits a suggestion may be away from what was typed.
pub const MAX_DISTANCE: usize = 2;

/// Text longer than this many bytes gets no suggestion and is not read at all, not even to trim
/// it (trimming 10 MiB of spaces alone takes tens of milliseconds). Names and keys are a few
/// dozen characters; this leaves room for stray whitespace around one.
pub const MAX_COMPARED_BYTES: usize = 256;

/// The candidate closest to `wanted` (case-insensitive edit distance of at most
/// [`MAX_DISTANCE`]), if any; the first one listed wins a tie.
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    if wanted.len() > MAX_COMPARED_BYTES {
        return None;
    }
    let candidates: Vec<(&str, Vec<char>)> = candidates.into_iter().map(|c| (c, lowered(c, usize::MAX))).collect();
    let longest = candidates.iter().map(|(_, chars)| chars.len()).max()?;
    // One char past the limit is enough to know the text is too long: the rest is never read.
    let limit = longest + MAX_DISTANCE;
    let wanted = lowered(wanted.trim(), limit + 1);
    if wanted.len() > limit {
        return None;
    }
    let mut best: Option<(usize, &str)> = None;
    for (candidate, chars) in &candidates {
        // Only a strictly nearer candidate replaces the best so far.
        let ceiling = match best {
            None => MAX_DISTANCE,
            Some((0, _)) => break,
            Some((distance, _)) => distance - 1,
        };
        if let Some(distance) = distance_within(&wanted, chars, ceiling) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// The first `max_chars` chars of `text`, ASCII lower-cased.
fn lowered(text: &str, max_chars: usize) -> Vec<char> {
    text.chars().take(max_chars).map(|c| c.to_ascii_lowercase()).collect()
}

#[cfg(test)]
thread_local! {
    /// Edit-table cells computed on this thread: the tests bound the work with it.
    static CELLS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The Levenshtein distance between `a` and `b` when it is at most `max`, else `None`. Only
/// cells within `max` of the diagonal are computed (the others already exceed `max`), and the
/// walk stops at the first row whose every cell exceeds `max`: O(len × max), not O(len²).
fn distance_within(a: &[char], b: &[char], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    // `beyond` stands for every distance over `max`; row[j] is the distance between the first
    // i chars of `a` and the first j chars of `b`.
    let beyond = max + 1;
    let mut row: Vec<usize> = (0..=b.len()).map(|j| j.min(beyond)).collect();
    for (i, ca) in a.iter().enumerate() {
        let i = i + 1;
        let from = i.saturating_sub(max).max(1);
        let to = (i + max).min(b.len());
        // The cell left of the band is over `max` (or the empty-prefix column while it is not).
        let mut left = if from == 1 { i.min(beyond) } else { beyond };
        let mut diagonal = row[from - 1];
        if from == 1 {
            row[0] = left;
        }
        let mut row_min = left;
        for j in from..=to {
            #[cfg(test)]
            CELLS.with(|cells| cells.set(cells.get() + 1));
            let up = row[j];
            let cell = (diagonal + usize::from(*ca != b[j - 1])).min(left + 1).min(up + 1).min(beyond);
            diagonal = up;
            row[j] = cell;
            left = cell;
            row_min = row_min.min(cell);
        }
        // Cells right of the band belong to no path within `max`.
        if let Some(next) = row.get_mut(to + 1) {
            *next = beyond;
        }
        if row_min > max {
            return None;
        }
    }
    Some(row[b.len()]).filter(|distance| *distance <= max)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain O(n·m) table, to check the banded one against.
    fn full_distance(a: &str, b: &str) -> usize {
        let b: Vec<char> = b.chars().collect();
        let mut row: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut previous = i;
            row[0] = i + 1;
            for (j, cb) in b.iter().enumerate() {
                let substitution = previous + usize::from(ca != *cb);
                previous = row[j + 1];
                row[j + 1] = substitution.min(row[j] + 1).min(previous + 1);
            }
        }
        row[b.len()]
    }

    fn within(a: &str, b: &str, max: usize) -> Option<usize> {
        distance_within(&lowered(a, usize::MAX), &lowered(b, usize::MAX), max)
    }

    #[test]
    fn near_misses_are_found_and_far_ones_are_not() {
        assert_eq!(closest("tokne", ["baseUrl", "token"]), Some("token"));
        assert_eq!(closest("TIMEOUTMS", ["timeoutMs"]), Some("timeoutMs"));
        assert_eq!(closest("  timeoutms ", ["timeoutMs"]), Some("timeoutMs"));
        assert_eq!(closest("FileUpload", ["FileUploaded", "FileUpdated"]), Some("FileUploaded"));
        assert_eq!(closest("something", ["token"]), None);
        assert_eq!(closest("anything", []), None);
        assert_eq!(within("", "abc", 3), Some(3));
        assert_eq!(within("kitten", "sitting", 3), Some(3));
        assert_eq!(within("kitten", "sitting", 2), None);
    }

    #[test]
    fn the_nearest_wins_and_ties_go_to_the_first_listed() {
        assert_eq!(closest("tokan", ["tokens", "token"]), Some("token"), "1 edit beats 2");
        assert_eq!(closest("ab", ["ax", "xb"]), Some("ax"));
    }

    #[test]
    fn the_band_agrees_with_the_full_table() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "acb",
            "kitten",
            "sitting",
            "FileUploaded",
            "fileuploaded",
            "file.uploaded",
            "ёжик",
            "ежик",
        ];
        for a in words {
            for b in words {
                let full = full_distance(&a.to_ascii_lowercase(), &b.to_ascii_lowercase());
                for max in 0..=4 {
                    let expected = (full <= max).then_some(full);
                    assert_eq!(within(a, b, max), expected, "{a:?} vs {b:?} within {max}");
                }
            }
        }
    }

    fn cells_computed(run: impl FnOnce()) -> usize {
        CELLS.with(|cells| cells.set(0));
        run();
        CELLS.with(|cells| cells.get())
    }

    #[test]
    fn the_work_is_bounded_by_the_candidates_not_the_text() {
        let names: Vec<&str> = crate::triggers::TRIGGERS.iter().flat_map(|def| [def.name, def.dotted]).collect();
        let longest = names.iter().map(|name| name.chars().count()).max().unwrap();
        // Per candidate, at most (length + distance) rows of a band (2 × distance + 1) wide.
        let bound = names.len() * (longest + MAX_DISTANCE) * (2 * MAX_DISTANCE + 1);
        for wanted in ["FileUplaoded", "file.uploadedx", "x", "", "FileUploadedFileUploaded"] {
            let cells = cells_computed(|| {
                closest(wanted, names.iter().copied());
            });
            assert!(cells <= bound, "{wanted:?}: {cells} cells, bound {bound}");
        }
        // Text that cannot be near any name is not compared at all, however long.
        for length in [longest + MAX_DISTANCE + 1, MAX_COMPARED_BYTES + 1, 1 << 20] {
            let cells = cells_computed(|| assert_eq!(closest(&"x".repeat(length), names.iter().copied()), None));
            assert_eq!(cells, 0, "{length} chars");
        }
        // Far-off text of a candidate's length stops after the first rows that are all over the distance.
        let cells = cells_computed(|| assert_eq!(closest("zzzzzzzzzzzz", ["FileUploaded"]), None));
        assert!(cells <= (MAX_DISTANCE + 1) * (2 * MAX_DISTANCE + 1), "{cells} cells");
    }

    #[test]
    fn long_text_is_refused_without_being_compared() {
        // Quadratic work on 1 MiB took ~13 s; these return at once (no timing asserted here:
        // the fuzz run measures them), and a near miss at the edge of the limit still counts.
        let huge = "FileUploaded".repeat(1 << 20);
        assert_eq!(closest(&huge, ["FileUploaded", "token"]), None);
        assert_eq!(closest(&format!("{}tokne", " ".repeat(1 << 20)), ["token"]), None, "not even trimmed");
        assert_eq!(closest(&format!("{}tokne ", " ".repeat(200)), ["token"]), Some("token"));
        assert_eq!(closest("tokenxx", ["token"]), Some("token"), "two extra chars are within the distance");
        assert_eq!(closest("tokenxxx", ["token"]), None);
        assert_eq!(lowered(&huge, 3), vec!['f', 'i', 'l']);
    }
}
