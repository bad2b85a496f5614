//! The real portal's checks of a receiver (contract §5.2): the URL rules of `UrlValidator`
//! (scheme, https when `ssl`, the private/loopback blacklist over every resolved address) and
//! the password policy a signing secret must meet.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// A receiver URL split into what the checks need.
#[derive(Clone, Debug, PartialEq)]
pub struct ReceiverUrl {
    pub scheme: String,
    pub host: String,
    /// An IP literal host, already parsed.
    pub literal: Option<IpAddr>,
}

/// `Uri.TryCreate(Absolute)` and the scheme rule, with the server's messages.
pub fn parse_url(uri: &str, require_https: bool) -> Result<ReceiverUrl, String> {
    if uri.trim().is_empty() {
        return Err("URL is null or empty".into());
    }
    let (scheme, rest) = uri.split_once("://").ok_or("Invalid URL format")?;
    if scheme.is_empty() || !scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c)) {
        return Err("Invalid URL format".into());
    }
    let scheme = scheme.to_ascii_lowercase();
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let (host, literal) = if let Some(v6) = host_port.strip_prefix('[') {
        let inner = v6.split(']').next().unwrap_or("");
        let ip: Ipv6Addr = inner.parse().map_err(|_| "Invalid URL format")?;
        (inner.to_string(), Some(IpAddr::V6(ip)))
    } else {
        let host = host_port.split(':').next().unwrap_or("");
        (host.to_ascii_lowercase(), host.parse::<Ipv4Addr>().ok().map(IpAddr::V4))
    };
    if host.is_empty() || uri.chars().any(char::is_whitespace) {
        return Err("Invalid URL format".into());
    }
    if scheme != "http" && scheme != "https" {
        return Err(format!("Invalid URL scheme: {scheme}. Only http and https are allowed"));
    }
    if require_https && scheme != "https" {
        return Err("HTTPS is required".into());
    }
    Ok(ReceiverUrl { scheme, host, literal })
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

    #[test]
    fn urls_follow_the_validator() {
        let url = parse_url("https://Hooks.Example.com:8443/in?x=1", true).unwrap();
        assert_eq!((url.scheme.as_str(), url.host.as_str(), url.literal), ("https", "hooks.example.com", None));
        assert_eq!(parse_url("http://127.0.0.1:9/x", false).unwrap().literal, Some(IpAddr::V4(Ipv4Addr::LOCALHOST)));
        assert_eq!(parse_url("http://[::1]:9/", false).unwrap().literal, Some(IpAddr::V6(Ipv6Addr::LOCALHOST)));
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
