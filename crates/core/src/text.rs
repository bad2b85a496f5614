//! Text for error messages, without the parts of `core::fmt` that cost the most wasm: `{}` on
//! an `f64` links the Grisu/Dragon float formatter (~14 KB) and `escape_debug` the Unicode
//! printable tables, for messages that almost always show an integer or a short ASCII word.
//! [`Needle`] finds substrings without std's searcher, whose slicing panic links those tables.

/// `n` as JavaScript's `String(n)` writes it for integers; other values are rare (bad input in
/// an error message) and use the host's own formatting on wasm.
pub fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_992.0 {
        // -0 prints as "0", as String(-0) does.
        return (n as i64).to_string();
    }
    other(n)
}

#[cfg(all(target_arch = "wasm32", feature = "wasm"))]
fn other(n: f64) -> String {
    // Number.prototype.toString(10) cannot throw; the fallback only keeps this total.
    js_sys::Number::from(n).to_string_with_radix(10).map(String::from).unwrap_or_else(|_| "a non-integer".into())
}

#[cfg(not(all(target_arch = "wasm32", feature = "wasm")))]
fn other(n: f64) -> String {
    if n.is_nan() {
        "NaN".into()
    } else if n.is_infinite() {
        if n > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else {
        format!("{n}")
    }
}

/// `parts` joined. What a client builds on every cold start (its constructor's header and base
/// URL, the first call's URL) goes through this rather than `format!`: core's formatting
/// machinery is a dozen functions that V8 compiles on their first use, ~11 µs each.
pub fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|part| part.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

/// Appends `n` in decimal, without `core::fmt` (whose functions V8 would compile on first use
/// for it: the trigger table is written at start-up) and without leading zeros.
pub fn push_decimal(out: &mut String, n: u64) {
    let mut digits = [0u8; 20]; // u64::MAX has 20 digits
    let mut at = digits.len();
    let mut rest = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.extend(digits[at..].iter().map(|&digit| char::from(digit)));
}

/// `text` in double quotes for a message: cut after `max_chars` characters (with "…"), and
/// quotes, backslashes and control characters escaped so the message stays one readable line.
pub fn quote(text: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max_chars * 4) + 2);
    out.push('"');
    let mut chars = text.chars();
    for c in chars.by_ref().take(max_chars) {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // Integer hex formatting is small; it is float formatting that costs.
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    if chars.next().is_some() {
        out.push('…');
    }
    out.push('"');
    out
}

/// A substring to look for, searched by bytes in linear time (Knuth–Morris–Pratt). Not
/// `str::find(&str)`: std's substring searcher carries a slicing panic whose message formatting
/// (char escapes, Unicode tables: ~9 KB of the wasm, 5 KB gzip) would otherwise be shipped for
/// a panic that cannot happen. A match of valid UTF-8 in valid UTF-8 starts and ends on char
/// boundaries, so the `str` results below are exact. An empty needle is never found.
pub struct Needle<'a> {
    bytes: &'a [u8],
    /// For each prefix of the needle, the length of its longest proper prefix that is also its suffix.
    fallback: Vec<usize>,
}

impl<'a> Needle<'a> {
    pub fn new(needle: &'a str) -> Self {
        let bytes = needle.as_bytes();
        let mut fallback = vec![0; bytes.len()];
        let mut k = 0;
        for i in 1..bytes.len() {
            while k > 0 && bytes[i] != bytes[k] {
                k = fallback[k - 1];
            }
            if bytes[i] == bytes[k] {
                k += 1;
            }
            fallback[i] = k;
        }
        Needle { bytes, fallback }
    }

    /// Where the needle first occurs in `haystack`.
    pub fn find_in(&self, haystack: &str) -> Option<usize> {
        if self.bytes.is_empty() {
            return None;
        }
        let mut k = 0;
        for (i, &byte) in haystack.as_bytes().iter().enumerate() {
            while k > 0 && byte != self.bytes[k] {
                k = self.fallback[k - 1];
            }
            if byte == self.bytes[k] {
                k += 1;
                if k == self.bytes.len() {
                    return Some(i + 1 - k);
                }
            }
        }
        None
    }

    /// `haystack` split around the needle's first occurrence, as `str::split_once` does.
    pub fn split_once<'h>(&self, haystack: &'h str) -> Option<(&'h str, &'h str)> {
        let at = self.find_in(haystack)?;
        Some((haystack.get(..at)?, haystack.get(at + self.bytes.len()..)?))
    }

    /// `haystack` with every occurrence replaced by `with`, as `str::replace` does; `None` when
    /// there is none.
    pub fn replace_in(&self, haystack: &str, with: &str) -> Option<String> {
        let (before, mut rest) = self.split_once(haystack)?;
        let mut out = format!("{before}{with}");
        while let Some((before, after)) = self.split_once(rest) {
            out.push_str(before);
            out.push_str(with);
            rest = after;
        }
        out.push_str(rest);
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::{number as text, push_decimal, quote, Needle};

    #[test]
    fn needles_are_found_as_str_finds_them() {
        let needle = Needle::new("aab");
        assert_eq!(needle.find_in("aaab"), Some(1));
        assert_eq!(needle.find_in("aa"), None);
        assert_eq!(Needle::new("://").split_once("https://p.example/a://b"), Some(("https", "p.example/a://b")));
        assert_eq!(Needle::new("ж").replace_in("ёжик ёж", "*").as_deref(), Some("ё*ик ё*"));
        assert_eq!(Needle::new("secret").replace_in("nothing here", "*"), None);
        // An empty needle is never found (str::find would say 0).
        assert_eq!(Needle::new("").find_in("abc"), None);
        assert_eq!(Needle::new("").replace_in("abc", "*"), None);
    }

    #[test]
    fn decimals_as_to_string_writes_them() {
        for n in [0, 7, 10, 256, 1 << 35, u64::MAX] {
            let mut out = String::from("x");
            push_decimal(&mut out, n);
            assert_eq!(out, format!("x{n}"));
        }
    }

    #[test]
    fn quotes_escape_and_cut() {
        assert_eq!(quote("FileUpload", 60), r#""FileUpload""#);
        assert_eq!(quote("a\"b\\c\n\u{1b}", 60), r#""a\"b\\c\n\u{1b}""#);
        assert_eq!(quote("ёжик", 2), "\"ёж…\"");
        assert_eq!(quote("", 5), "\"\"");
        // Characters `escape_debug` would escape but a reader can read stay as they are.
        assert_eq!(quote("zero\u{200b}width", 60), "\"zero\u{200b}width\"");
    }

    #[test]
    fn like_javascript_string() {
        assert_eq!(text(0.0), "0");
        assert_eq!(text(-0.0), "0");
        assert_eq!(text(42.0), "42");
        assert_eq!(text(-7.0), "-7");
        assert_eq!(text(2f64.powi(35)), "34359738368");
        assert_eq!(text(1.5), "1.5");
        assert_eq!(text(f64::NAN), "NaN");
        assert_eq!(text(f64::NEG_INFINITY), "-Infinity");
    }
}
