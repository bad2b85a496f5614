//! Delivery signatures (contract §8.2): `x-docspace-signature-256: sha256=<HEX>`, the HMAC-SHA256
//! of the exact body bytes keyed with the UTF-8 secret. The portal writes upper-case hex; we
//! accept either case, screen the length before comparing, and compare in constant time.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::cell::RefCell;
use subtle::ConstantTimeEq;

/// The delivery header's name, as the portal sends it.
pub const HEADER: &str = "x-docspace-signature-256";
const PREFIX: &str = "sha256=";
const DIGEST_LEN: usize = 32;

thread_local! {
    /// The keyed HMAC state of the secret used last: a receiver verifies every delivery with the
    /// same one or two secrets, and keying costs two of the ~20 SHA-256 blocks of a 1 KB check.
    static KEYED: RefCell<Vec<(Vec<u8>, Hmac<Sha256>)>> = const { RefCell::new(Vec::new()) };
}

/// How many keyed states to keep: the secrets of a rotation, not an unbounded set.
const KEYED_CAPACITY: usize = 4;

fn keyed(secret: &[u8]) -> Option<Hmac<Sha256>> {
    KEYED.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some((_, mac)) = cache.iter().find(|(key, _)| key == secret) {
            return Some(mac.clone());
        }
        // HMAC takes keys of any length, so this cannot fail.
        let mac = Hmac::<Sha256>::new_from_slice(secret).ok()?;
        if cache.len() == KEYED_CAPACITY {
            cache.remove(0);
        }
        cache.push((secret.to_vec(), mac.clone()));
        Some(mac)
    })
}

fn mac(secret: &[u8], body: &[u8]) -> [u8; DIGEST_LEN] {
    let Some(mut mac) = keyed(secret) else {
        return [0; DIGEST_LEN];
    };
    mac.update(body);
    mac.finalize().into_bytes().into()
}

/// `sha256=<UPPER HEX>`: exactly what the portal sends for `body` signed with `secret`.
pub fn compute(secret: &[u8], body: &[u8]) -> String {
    format!("{PREFIX}{}", hex_digest(secret, body))
}

/// The HMAC's 64 upper-case hex digits (the header value without its `sha256=` prefix).
pub fn hex_digest(secret: &[u8], body: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let digest = mac(secret, body);
    let mut out = String::with_capacity(2 * DIGEST_LEN);
    for byte in digest {
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 15)]));
    }
    out
}

/// The digest a header value carries, or `None` when it is not `sha256=` + 64 hex digits
/// (surrounding whitespace and the prefix's case are forgiven).
pub fn parse_header(value: &str) -> Option<[u8; DIGEST_LEN]> {
    let value = value.trim();
    let prefix = value.get(..PREFIX.len())?;
    if !prefix.eq_ignore_ascii_case(PREFIX) {
        return None;
    }
    let hex = value.get(PREFIX.len()..)?.as_bytes();
    if hex.len() != 2 * DIGEST_LEN {
        return None;
    }
    let mut digest = [0; DIGEST_LEN];
    for (byte, pair) in digest.iter_mut().zip(hex.chunks_exact(2)) {
        *byte = (nibble(pair[0])? << 4) | nibble(pair[1])?;
    }
    Some(digest)
}

fn nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Whether `header` signs `body` with any of `secrets` (several for key rotation). Every secret
/// is tried, so the time taken does not tell which one matched.
pub fn verify<S: AsRef<[u8]>>(secrets: &[S], body: &[u8], header: &str) -> bool {
    parse_header(header).is_some_and(|expected| matches(secrets, body, &expected))
}

/// Whether `expected` is the HMAC of `body` under any of `secrets`, compared in constant time
/// with every secret tried. A digest of the wrong length matches nothing.
pub fn matches<S: AsRef<[u8]>>(secrets: &[S], body: &[u8], expected: &[u8]) -> bool {
    if expected.len() != DIGEST_LEN {
        return false;
    }
    let mut matched = subtle::Choice::from(0);
    for secret in secrets {
        matched |= mac(secret.as_ref(), body).ct_eq(expected);
    }
    matched.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    const RFC_4231_2: &str = "sha256=5BDCC146BF60754E6A042426089575C75A003F089D2739839DEC58B964EC3843";

    #[test]
    fn the_keyed_cache_never_mixes_secrets() {
        // More secrets than the cache holds, interleaved: each answer must be its own key's.
        let body = b"what do ya want for nothing?";
        let secrets: Vec<String> = (0..KEYED_CAPACITY * 2 + 1).map(|i| format!("secret-{i}")).collect();
        for round in 0..3 {
            for secret in secrets.iter().rev().skip(round) {
                let header = compute(secret.as_bytes(), body);
                assert!(verify(&[secret.as_str()], body, &header));
                assert!(!verify(&[secrets[0].as_str()], body, &header) || secret == &secrets[0]);
            }
            assert_eq!(compute(b"Jefe", body), RFC_4231_2);
        }
    }

    #[test]
    fn computes_what_the_server_sends() {
        assert_eq!(compute(b"Jefe", b"what do ya want for nothing?"), RFC_4231_2);
        assert_eq!(compute(b"", b"").len(), 71);
    }

    #[test]
    fn verifies_upper_and_lower_case_and_whitespace() {
        let body = b"what do ya want for nothing?";
        assert!(verify(&["Jefe"], body, RFC_4231_2));
        assert!(verify(&["Jefe"], body, &RFC_4231_2.to_lowercase()));
        assert!(verify(&["Jefe"], body, &format!("  {}\t", RFC_4231_2.replace("sha256", "SHA256"))));
        assert!(verify(&["old-secret", "Jefe"], body, RFC_4231_2), "rotation: any secret may match");
    }

    #[test]
    fn refuses_everything_else() {
        let body = b"what do ya want for nothing?";
        assert!(!verify(&["jefe"], body, RFC_4231_2));
        assert!(!verify(&["Jefe"], b"what do ya want for nothing!", RFC_4231_2));
        assert!(!verify::<&str>(&[], body, RFC_4231_2));
        for header in
            ["", "sha256=", &RFC_4231_2[7..], &RFC_4231_2[..70], &format!("{RFC_4231_2}00"), "sha1=5BDC", "sha256=ZZ"]
        {
            assert!(!verify(&["Jefe"], body, header), "{header:?}");
        }
        let mut tampered = RFC_4231_2.to_string();
        tampered.replace_range(70.., "4");
        assert!(!verify(&["Jefe"], body, &tampered));
        assert_eq!(parse_header("sha256=é5BDCC146BF60754E6A042426089575C75A003F089D2739839DEC58B964EC384"), None);
    }
}
