//! The real portal's checks of a receiver (contract §5.2): the URL rules of `UrlValidator`
//! (scheme, https when `ssl`, the private/loopback blacklist over every resolved address) and
//! the password policy a signing secret must meet.

use crate::url::{self, Url, UrlError};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// `Uri.TryCreate(Absolute)` and the scheme rule, with the server's messages. The URL is parsed
/// once, by the package's WHATWG parser; the host then connects to exactly what it says (the
/// checked address, its port and path), so no second parser can read the URL differently.
pub fn parse_url(uri: &str, require_https: bool) -> Result<Url, String> {
    if uri.trim().is_empty() {
        return Err("URL is null or empty".into());
    }
    if uri.chars().any(char::is_whitespace) {
        return Err("Invalid URL format".into());
    }
    let url = url::parse(uri).map_err(|error| match error {
        UrlError::Invalid(_) => "Invalid URL format".to_string(),
        UrlError::Scheme(scheme) => format!("Invalid URL scheme: {scheme}. Only http and https are allowed"),
    })?;
    if require_https && url.scheme != "https" {
        return Err("HTTPS is required".into());
    }
    Ok(url)
}

/// The default `webhooks:blacklist` (contract §5.2): private, loopback, link-local, CGNAT.
const BLACKLIST_V4: [(Ipv4Addr, u8); 7] = [
    (Ipv4Addr::new(0, 0, 0, 0), 8),
    (Ipv4Addr::new(10, 0, 0, 0), 8),
    (Ipv4Addr::new(100, 64, 0, 0), 10),
    (Ipv4Addr::new(127, 0, 0, 0), 8),
    (Ipv4Addr::new(169, 254, 0, 0), 16),
    (Ipv4Addr::new(172, 16, 0, 0), 12),
    (Ipv4Addr::new(192, 168, 0, 0), 16),
];
const BLACKLIST_V6: [(Ipv6Addr, u8); 5] = [
    (Ipv6Addr::UNSPECIFIED, 128),
    (Ipv6Addr::LOCALHOST, 128),
    (Ipv6Addr::new(0xfc00, 0, 0, 0, 0, 0, 0, 0), 8),
    (Ipv6Addr::new(0xfd00, 0, 0, 0, 0, 0, 0, 0), 8),
    (Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 0), 10),
];

pub fn blacklisted(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => BLACKLIST_V4
            .iter()
            .any(|(net, bits)| prefix_matches(u32::from(v4).into(), u32::from(*net).into(), 32, *bits)),
        IpAddr::V6(v6) => {
            // An IPv4-mapped address reaches the IPv4 host: judge it as that.
            if let Some(v4) = v6.to_ipv4_mapped() {
                return blacklisted(IpAddr::V4(v4));
            }
            BLACKLIST_V6.iter().any(|(net, bits)| prefix_matches(u128::from(v6), u128::from(*net), 128, *bits))
        }
    }
}

fn prefix_matches(address: u128, network: u128, width: u32, bits: u8) -> bool {
    let bits = u32::from(bits).min(width);
    if bits == 0 {
        return true;
    }
    let shift = width - bits;
    (address >> shift) == (network >> shift)
}

/// The default password policy (`PasswordSettings`): 8 to 30 printable ASCII, no spaces.
pub fn check_password(secret: &str) -> Result<(), String> {
    let ok = (8..=30).contains(&secret.len()) && secret.bytes().all(|b| (0x21..=0x7e).contains(&b));
    match ok {
        true => Ok(()),
        false => Err("Password must contain from 8 to 30 characters, only latin letters, no spaces".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::url::Host;

    #[test]
    fn urls_follow_the_validator() {
        let url = parse_url("https://Hooks.Example.com:8443/in?x=1", true).unwrap();
        assert_eq!((url.scheme.as_str(), url.host), ("https", Host::Name("hooks.example.com".into())));
        assert_eq!(parse_url("http://127.0.0.1:9/x", false).unwrap().host, Host::V4(Ipv4Addr::LOCALHOST));
        assert_eq!(parse_url("http://[::1]:9/", false).unwrap().host, Host::V6(Ipv6Addr::LOCALHOST));
        assert_eq!(parse_url("", false).unwrap_err(), "URL is null or empty");
        assert_eq!(parse_url("x", false).unwrap_err(), "Invalid URL format");
        assert_eq!(
            parse_url("ftp://h/x", false).unwrap_err(),
            "Invalid URL scheme: ftp. Only http and https are allowed"
        );
        assert_eq!(parse_url("http://h/x", true).unwrap_err(), "HTTPS is required");
        assert_eq!(parse_url("https://", false).unwrap_err(), "Invalid URL format");
    }

    #[test]
    fn the_blacklist_covers_private_and_loopback_space() {
        for bad in [
            "127.0.0.1",
            "10.1.2.3",
            "172.31.255.255",
            "192.168.0.10",
            "169.254.1.1",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "::",
            "fd12::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(blacklisted(bad.parse().unwrap()), "{bad}");
        }
        for good in ["93.184.216.34", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "::ffff:8.8.8.8"] {
            assert!(!blacklisted(good.parse().unwrap()), "{good}");
        }
    }

    #[test]
    fn secrets_follow_the_password_policy() {
        assert!(check_password("S3cret-Key!").is_ok());
        assert!(check_password("short").is_err());
        assert!(check_password("has a space!").is_err());
        assert!(check_password(&"k".repeat(31)).is_err());
    }
}
