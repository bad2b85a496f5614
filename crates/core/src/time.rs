//! Calendar arithmetic for the few places that need it: log filter times and `Retry-After`
//! dates. Proleptic Gregorian, UTC, milliseconds since the epoch as `f64` like JS `Date`.

/// Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count (Hinnant's `civil_from_days`).
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The range log filters accept: years 1970–9999 (what the server's `DateTime` and JS agree on).
const MIN_MS: f64 = 0.0;
const MAX_MS: f64 = 253_402_300_799_999.0;

/// Parses an ISO-8601 date or date-time: `YYYY-MM-DD`, optionally `THH:MM[:SS[.fraction]]`
/// (`T` or a space), optionally `Z` or `±HH:MM`/`±HHMM`. Without an offset the time is UTC.
pub fn parse_iso(text: &str) -> Option<f64> {
    let text = text.trim();
    let bytes = text.as_bytes();
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = text.get(range)?;
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    if bytes.len() < 10 || bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
        return None;
    }
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    if !(1970..=9999).contains(&year) || !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let mut ms = days_from_civil(year, month, day) as f64 * 86_400_000.0;
    let rest = text.get(10..)?;
    if rest.is_empty() {
        return Some(ms);
    }
    let rest = rest.strip_prefix('T').or_else(|| rest.strip_prefix('t')).or_else(|| rest.strip_prefix(' '))?;
    // Split the clock from the zone designator.
    let zone_at = rest.find(['Z', 'z', '+', '-']).unwrap_or(rest.len());
    let (clock, zone) = rest.split_at_checked(zone_at)?;
    let mut parts = clock.splitn(3, ':');
    let hour: i64 = parts.next().filter(|p| p.len() == 2)?.parse().ok()?;
    let minute: i64 = parts.next().filter(|p| p.len() == 2)?.parse().ok()?;
    let (second, fraction_ms) = match parts.next() {
        None => (0, 0.0),
        Some(seconds) => {
            let (whole, fraction) = seconds.split_once('.').unwrap_or((seconds, ""));
            if whole.len() != 2 || !whole.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            if !fraction.bytes().all(|b| b.is_ascii_digit()) || (seconds.contains('.') && fraction.is_empty()) {
                return None;
            }
            // Milliseconds are the fraction's first three digits (truncated, as floor would):
            // digit arithmetic, so no float parser is linked into the wasm.
            let fraction_ms = fraction
                .bytes()
                .chain(std::iter::repeat(b'0'))
                .take(3)
                .fold(0u32, |ms, digit| ms * 10 + u32::from(digit - b'0'));
            (whole.parse::<i64>().ok()?, f64::from(fraction_ms))
        }
    };
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    ms += ((hour * 3600 + minute * 60 + second) * 1000) as f64 + fraction_ms;
    let offset_minutes = match zone {
        "" | "Z" | "z" => 0,
        _ => {
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let digits: String = zone.get(1..)?.chars().filter(|c| *c != ':').collect();
            if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) || zone.len() > 6 {
                return None;
            }
            let (h, m): (i64, i64) = (digits.get(..2)?.parse().ok()?, digits.get(2..)?.parse().ok()?);
            if h > 23 || m > 59 {
                return None;
            }
            sign * (h * 60 + m)
        }
    };
    ms -= (offset_minutes * 60_000) as f64;
    (MIN_MS..=MAX_MS).contains(&ms).then_some(ms)
}

/// Whether `ms` is a time a log filter can express.
pub fn in_range(ms: f64) -> bool {
    ms.is_finite() && (MIN_MS..=MAX_MS).contains(&ms)
}

/// `YYYY-MM-DDTHH:MM:SS.mmm`: the UTC wall clock *without* a zone designator. The server
/// compares a zone-less value as-is with the UTC times it stores, whatever its own time zone;
/// a `Z` would make ASP.NET convert it to the server's local time first (contract §7.7, §12.16).
pub fn format_utc_wall_clock(ms: f64) -> String {
    let ms = ms.floor() as i64;
    let days = ms.div_euclid(86_400_000);
    let in_day = ms.rem_euclid(86_400_000);
    let (year, month, day) = civil_from_days(days);
    let (hour, minute, second, milli) = (in_day / 3_600_000, in_day / 60_000 % 60, in_day / 1000 % 60, in_day % 1000);
    if !(0..=9999).contains(&year) {
        return format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{milli:03}");
    }
    // Digit by digit: the stand-in portal writes several of these per webhook it lists, and the
    // formatting machinery cost more than the rest of building the list.
    let mut text = String::with_capacity(23);
    let mut digits = |value: i64, width: u32, separator: Option<char>| {
        for place in (0..width).rev() {
            text.push(char::from(b'0' + (value / 10i64.pow(place) % 10) as u8));
        }
        if let Some(separator) = separator {
            text.push(separator);
        }
    };
    digits(year, 4, Some('-'));
    digits(month, 2, Some('-'));
    digits(day, 2, Some('T'));
    digits(hour, 2, Some(':'));
    digits(minute, 2, Some(':'));
    digits(second, 2, Some('.'));
    digits(milli, 3, None);
    text
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ`, how the stand-in portal writes times (a UTC `Z`, which the
/// contract allows for a stand-in, §7.7).
pub fn format_iso_utc(ms: f64) -> String {
    let mut text = format_utc_wall_clock(ms);
    text.push('Z');
    text
}

/// `YYYY-MM-DDTHH:MM:SSZ`: whole seconds, as delivered payloads carry `event.createOn`.
pub fn format_iso_seconds(ms: f64) -> String {
    let text = format_utc_wall_clock(ms);
    format!("{}Z", text.get(..19).unwrap_or(&text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wall_clock_text_is_what_format_writes() {
        let reference = |ms: f64| {
            let ms = ms.floor() as i64;
            let (year, month, day) = civil_from_days(ms.div_euclid(86_400_000));
            let in_day = ms.rem_euclid(86_400_000);
            let (h, m, s, milli) = (in_day / 3_600_000, in_day / 60_000 % 60, in_day / 1000 % 60, in_day % 1000);
            format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}.{milli:03}")
        };
        let mut ms = -62_200_000_000_000.0; // before year 0: the slow path
        while ms < 260_000_000_000_000.0 {
            assert_eq!(format_utc_wall_clock(ms), reference(ms), "{ms}");
            ms += 987_654_321_987.5;
        }
        for ms in [0.0, -1.0, 0.999, 86_399_999.0, 253_402_300_799_999.0, 253_402_300_800_000.0] {
            assert_eq!(format_utc_wall_clock(ms), reference(ms), "{ms}");
        }
        assert_eq!(format_iso_utc(0.0), "1970-01-01T00:00:00.000Z");
    }

    #[test]
    fn civil_conversions_round_trip() {
        for days in [-719_468, -1, 0, 1, 10_957, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{days}");
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }

    #[test]
    fn iso_times_parse_with_zones_and_fractions() {
        let base = parse_iso("2026-06-30T10:13:11Z").unwrap();
        assert_eq!(format_utc_wall_clock(base), "2026-06-30T10:13:11.000");
        assert_eq!(parse_iso("2026-06-30T10:13:11"), Some(base), "no zone means UTC");
        assert_eq!(parse_iso("2026-06-30 10:13:11z"), Some(base));
        assert_eq!(parse_iso("2026-06-30T12:13:11+02:00"), Some(base));
        assert_eq!(parse_iso("2026-06-30T05:43:11-0430"), Some(base));
        assert_eq!(parse_iso("2026-06-30T10:13:11.1234567Z"), Some(base + 123.0));
        assert_eq!(parse_iso("2026-06-30T10:13Z"), Some(base - 11_000.0));
        assert_eq!(format_utc_wall_clock(parse_iso("2024-02-29").unwrap()), "2024-02-29T00:00:00.000");
    }

    #[test]
    fn bad_iso_times_are_refused() {
        for bad in [
            "",
            "2026",
            "2026-13-01",
            "2026-02-30",
            "2025-02-29",
            "1969-12-31",
            "2026-06-30T24:00",
            "2026-06-30T10:60",
            "2026-06-30T10:13:61",
            "2026-06-30T10:13:11.",
            "2026-06-30T1:13",
            "2026-06-30T10:13:11+2",
            "2026-06-30X10:13",
            "2026-06-30T10:13:11+25:00",
            "yesterday",
            "2026-06-3a",
            "+02026-06-30",
        ] {
            assert_eq!(parse_iso(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn portal_formats() {
        let ms = parse_iso("2026-06-30T10:13:11.5Z").unwrap();
        assert_eq!(format_iso_utc(ms), "2026-06-30T10:13:11.500Z");
        assert_eq!(format_iso_seconds(ms), "2026-06-30T10:13:11Z");
    }

    #[test]
    fn the_range_matches_what_the_filter_accepts() {
        assert!(in_range(0.0) && in_range(MAX_MS));
        assert!(!in_range(-1.0) && !in_range(MAX_MS + 1.0) && !in_range(f64::NAN));
        assert_eq!(format_utc_wall_clock(MAX_MS), "9999-12-31T23:59:59.999");
    }
}
