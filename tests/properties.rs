//! Property tests: every decoder and validator that sees JS input or server data gets arbitrary
//! values and must answer with a value or a typed error, never a panic. Run natively:
//! `cargo test --test properties`: 13 properties × `CASES` generated inputs each.
#![cfg(not(target_arch = "wasm32"))]

use docspace_webhooks::view::Plain;
use docspace_webhooks::{
    envelope, event, group_status, operations as client, options, signature, time, triggers, validate as input,
};
use proptest::prelude::*;

const CASES: u32 = 4000;

/// One of `words` (whitespace-separated; each as likely as a string from `free`), or a string
/// from the `free` pattern.
fn word_or(words: &str, free: &'static str, free_weight: u32) -> impl Strategy<Value = String> {
    let words: Vec<String> = words.split_whitespace().map(str::to_string).collect();
    prop_oneof![
        words.len() as u32 => prop::sample::select(words),
        free_weight => free,
    ]
}

/// Keys and strings near the ones the code looks for, so that the interesting branches run.
fn key() -> impl Strategy<Value = String> {
    let options = "baseUrl token basic user password credentials timeoutMs retries";
    let webhook = "name uri secretKey triggers enabled ssl targetId id";
    let log_filter = "count startIndex groupStatus deliveryFrom trigger";
    let answers = "response error message status statusCode errors total available";
    word_or(&[options, webhook, log_filter, answers].join(" "), "\\PC{0,12}", 1)
}

fn text() -> impl Strategy<Value = String> {
    let words = "FileUploaded file.uploaded All * Status5xx https://hooks.example.com/x http://h \
                 2026-06-30T10:13:11+02:00 include S3cret-Key!";
    word_or(words, "\\PC{0,40}|[a-z:/.?#@\\[\\]0-9+-]{0,40}", 2)
}

fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>(),
        (0u64..=(1 << 36)).prop_map(|n| n as f64),
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(2f64.powi(53)),
        Just(-0.0),
        (-5i64..600).prop_map(|n| n as f64),
    ]
}

fn plain() -> impl Strategy<Value = Plain> {
    let leaf = prop_oneof![
        Just(Plain::Undefined),
        Just(Plain::Null),
        any::<bool>().prop_map(Plain::Bool),
        number().prop_map(Plain::Number),
        text().prop_map(Plain::String),
        number().prop_map(Plain::Date),
        Just(Plain::Function),
        Just(Plain::BigInt),
        Just(Plain::Symbol),
    ];
    leaf.prop_recursive(4, 48, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Plain::Array),
            prop::collection::vec((key(), inner), 0..8).prop_map(Plain::Object),
        ]
    })
}

/// Text at the edge of an IPv6 literal: free text of its characters, runs of its tokens, and real
/// addresses as std writes them (compressed, upper-case, every digit, an IPv4 tail), then
/// sometimes one character dropped or doubled.
fn ipv6_like() -> impl Strategy<Value = String> {
    let written = (any::<[u16; 8]>(), any::<u8>(), 0u8..4).prop_map(|(mut groups, zeros, form)| {
        for (index, group) in groups.iter_mut().enumerate() {
            if zeros & (1 << index) != 0 {
                *group = 0;
            }
        }
        let address = std::net::Ipv6Addr::from(groups);
        let full = |groups: &[u16]| groups.iter().map(|group| format!("{group:04x}")).collect::<Vec<_>>().join(":");
        match form {
            0 => address.to_string(),
            1 => address.to_string().to_uppercase(),
            2 => full(&groups),
            _ => {
                let [a, b, c, d] = address.octets()[12..] else { unreachable!() };
                format!("{}:{a}.{b}.{c}.{d}", full(&groups[..6]))
            }
        }
    });
    let mutated = (written, any::<prop::sample::Index>(), 0u8..3).prop_map(|(text, at, how)| {
        let at = at.index(text.len() + 1).min(text.len());
        let (head, tail) = text.split_at(at);
        match (how, tail.chars().next()) {
            (1, Some(c)) => format!("{head}{}", &tail[c.len_utf8()..]),
            (2, Some(c)) => format!("{head}{c}{tail}"),
            _ => text,
        }
    });
    // Groups, `::` and dotted quads in any order; octets mostly valid, some 256 to 999, some
    // with a leading zero.
    let octet = prop_oneof![
        8 => (0u16..256).prop_map(|octet| octet.to_string()),
        1 => (256u16..1000).prop_map(|octet| octet.to_string()),
        1 => (0u16..100).prop_map(|octet| format!("0{octet}")),
        1 => prop::sample::select(vec!["0", "00", "255", "256"]).prop_map(str::to_string),
    ];
    let part = prop_oneof![
        "[0-9a-fA-F]{1,5}".boxed(),
        Just("::".to_string()).boxed(),
        prop::collection::vec(octet, 4).prop_map(|octets| octets.join(".")).boxed(),
    ];
    let parts = prop::collection::vec(part, 0..10).prop_map(|parts| parts.join(":").replace(":::", "::"));
    prop_oneof![
        1 => "[0-9a-fA-F:.]{0,40}",
        1 => "(::?|[0-9a-fA-F]{1,5}|[0-9]{1,4}\\.?){0,12}",
        2 => parts,
        4 => mutated,
    ]
}

fn config() -> ProptestConfig {
    ProptestConfig { cases: CASES, failure_persistence: None, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn needle_search_agrees_with_std(
        haystack in "[ab\u{e9}\u{1f600}]{0,24}|\\PC{0,40}",
        needle in "[ab\u{e9}\u{1f600}]{1,4}|\\PC{1,6}",
    ) {
        let found = docspace_webhooks::text::Needle::new(&needle);
        prop_assert_eq!(found.find_in(&haystack), haystack.find(needle.as_str()));
        prop_assert_eq!(found.split_once(&haystack), haystack.split_once(needle.as_str()));
        let expected = haystack.contains(needle.as_str()).then(|| haystack.replace(needle.as_str(), "[x]"));
        prop_assert_eq!(found.replace_in(&haystack, "[x]"), expected);
    }

    #[test]
    fn ipv6_literals_read_as_std_reads_them(text in ipv6_like(), v4 in any::<u32>()) {
        let ours = docspace_webhooks::url::parse(&format!("http://[{text}]/")).ok().map(|url| url.host);
        let std = text.parse::<std::net::Ipv6Addr>().ok().map(docspace_webhooks::url::Host::V6);
        prop_assert_eq!(ours, std, "{}", text);
        let ip = std::net::Ipv4Addr::from(v4);
        prop_assert_eq!(docspace_webhooks::url::ipv4_text(ip), ip.to_string());
    }

    #[test]
    fn envelope_decoding_never_panics(status in 0u16..700, body in plain(), retry_after in proptest::option::of(number())) {
        let _ = envelope::decode(status, envelope::Body::Json(body), retry_after);
    }

    #[test]
    fn constructor_options_never_panic(value in plain()) {
        if let Ok(config) = options::parse(&value) {
            prop_assert!(config.base_url.starts_with("http"));
        }
    }

    #[test]
    fn webhook_inputs_never_panic(value in plain(), current in plain(), id in 0u32..10) {
        let _ = client::create_webhook(&value);
        let _ = client::update_webhook(&value);
        if let Ok(changes) = client::parse_changes(&value) {
            let _ = client::merge_patch(id, &current, changes);
        }
        let _ = client::enable_webhook(id, &current, true);
        let _ = client::retry_webhooks(&value);
        let _ = client::find_webhook(&current, id);
    }

    #[test]
    fn log_filters_never_panic(value in plain()) {
        if let Ok(filter) = client::parse_log_filter(&value) {
            let mut pager = client::LogPager::new(&filter);
            let _ = pager.next_request(&filter);
            pager.after_page(3, Some(2.0));
        }
    }

    #[test]
    fn trigger_and_group_inputs_never_panic(value in plain()) {
        if let Ok(mask) = input::triggers_mask(&value, "t") {
            prop_assert!(mask <= triggers::MAX_SAFE_INTEGER);
            let _ = triggers::names(mask);
        }
        let _ = group_status::parse(&value, "g");
        let _ = client::decode_triggers(&value);
        let _ = client::parse_call_options(&value);
    }

    #[test]
    fn masks_round_trip_through_names(bits in prop::collection::vec(0usize..37, 1..10)) {
        let mask = bits.iter().fold(0, |m, i| m | triggers::TRIGGERS[*i].bit);
        let names: Vec<Plain> = triggers::names(mask).into_iter().map(Plain::str).collect();
        prop_assert_eq!(input::triggers_mask(&Plain::Array(names), "t").unwrap(), mask);
    }

    #[test]
    fn text_parsers_never_panic(raw in "\\PC{0,60}", now in number()) {
        let _ = options::normalize_base_url(&raw);
        let _ = envelope::parse_retry_after(&raw, now);
        let _ = triggers::parse_name("t", &raw);
        if let Some(ms) = time::parse_iso(&raw) {
            prop_assert!(time::in_range(ms));
            prop_assert_eq!(time::parse_iso(&time::format_utc_wall_clock(ms)), Some(ms.floor()));
        }
    }

    #[test]
    fn times_round_trip(ms in 0f64..253_402_300_799_999.0) {
        let formatted = time::format_utc_wall_clock(ms);
        prop_assert_eq!(time::parse_iso(&formatted), Some(ms.floor()));
    }

    #[test]
    fn signature_headers_never_panic_and_only_the_right_one_verifies(header in "\\PC{0,80}", secret in "\\PC{1,20}", body in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = signature::parse_header(&header);
        let right = signature::compute(secret.as_bytes(), &body);
        prop_assert!(signature::verify(&[&secret], &body, &right));
        prop_assert!(signature::verify(&[&secret], &body, &right.to_lowercase()));
        prop_assert_eq!(signature::verify(&[&secret], &body, &header), header.trim().eq_ignore_ascii_case(&right));
    }

    #[test]
    fn tampered_bodies_never_verify(body in prop::collection::vec(any::<u8>(), 1..300), flip in any::<prop::sample::Index>(), bit in 0u8..8) {
        let header = signature::compute(b"S3cret-Key!", &body);
        let mut tampered = body.clone();
        let at = flip.index(tampered.len());
        tampered[at] ^= 1 << bit;
        prop_assert!(!signature::verify(&["S3cret-Key!"], &tampered, &header));
    }

    #[test]
    fn event_parsing_never_panics(value in plain()) {
        let _ = event::check(&value);
    }
}
