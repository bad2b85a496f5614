//! The one URL parser of the package, for http and https URLs: the WHATWG URL Standard's rules
//! for special schemes (what `new URL()` in Node and browsers does), so that what a check reads
//! and what a connection uses can never differ. In particular, as WHATWG does:
//! * a backslash ends the authority exactly like a slash (`http://a\@b/` is host `a`);
//! * userinfo is everything before the *last* `@` of the authority;
//! * numeric hosts are IPv4 in any of the legacy forms (`2130706433`, `0x7f000001`,
//!   `0177.0.0.1`, `127.1`) and percent-encoded hosts are decoded first.
//!
//! Non-ASCII host names (IDNA) are refused rather than converted: the punycode form works.

use std::net::{Ipv4Addr, Ipv6Addr};

/// A URL's host, canonical.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Host {
    /// A DNS name, lower-case ASCII.
    Name(String),
    V4(Ipv4Addr),
    V6(Ipv6Addr),
}

impl Host {
    /// As it appears in a URL and in the `Host` header (`[…]` around IPv6).
    pub fn serialize(&self) -> String {
        match self {
            Host::Name(name) => name.clone(),
            Host::V4(ip) => ipv4_text(*ip),
            Host::V6(ip) => format!("[{ip}]"),
        }
    }
}

/// An http(s) URL split the way a connection uses it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url {
    /// `http` or `https`, lower-case.
    pub scheme: String,
    /// `user[:password]` before the last `@` of the authority, as written.
    pub userinfo: Option<String>,
    pub host: Host,
    /// The host exactly as written in the input (before decoding), for policy checks.
    pub host_text: String,
    /// The port, `None` for the scheme's default.
    pub port: Option<u16>,
    /// Path and query for the request line: starts with `/`, backslashes turned into slashes,
    /// non-ASCII percent-encoded; the fragment dropped.
    pub path: String,
}

impl Url {
    /// The port a connection uses.
    pub fn effective_port(&self) -> u16 {
        self.port.unwrap_or(if self.scheme == "https" { 443 } else { 80 })
    }

    /// The `Host` header value: the host, and the port when it is not the default.
    pub fn authority(&self) -> String {
        match self.port {
            Some(port) => format!("{}:{port}", self.host.serialize()),
            None => self.host.serialize(),
        }
    }

    /// `scheme://host[:port]/path?query`: what `new URL(input).href` gives, minus credentials
    /// and fragment.
    pub fn href(&self) -> String {
        format!("{}://{}{}", self.scheme, self.authority(), self.path)
    }
}

/// Why a string is not an http(s) URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UrlError {
    /// Not a URL at all (no scheme, no host, a bad port or host).
    Invalid(&'static str),
    /// A URL of some other scheme (lower-case, without the colon).
    Scheme(String),
}

/// Parses an absolute http(s) URL. Other schemes are reported as [`UrlError::Scheme`] once the
/// scheme is known; everything after it is only parsed for http and https.
pub fn parse(input: &str) -> Result<Url, UrlError> {
    // WHATWG trims C0 controls and spaces around, and drops tabs and newlines anywhere.
    let cleaned: String =
        input.trim_matches(|c: char| c <= ' ').chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    // split_once rather than slicing at `find`'s index: a slice that could panic would keep the
    // panic's message formatting in the wasm (~5 KB raw, for an index that is always valid).
    let (scheme, after_colon) = cleaned.split_once(':').ok_or(UrlError::Invalid("it has no scheme"))?;
    let mut chars = scheme.chars();
    let valid_scheme = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !valid_scheme {
        return Err(UrlError::Invalid("it has no scheme"));
    }
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Err(UrlError::Scheme(scheme));
    }
    // Special schemes skip any run of slashes and backslashes before the authority.
    let rest = after_colon.trim_start_matches(['/', '\\']);
    let authority_end = rest.find(['/', '\\', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at_checked(authority_end).unwrap_or((rest, ""));
    let (userinfo, host_port) = match authority.rsplit_once('@') {
        Some((userinfo, host_port)) => (Some(userinfo.to_string()), host_port),
        None => (None, authority),
    };
    let (host_text, port_text) = split_port(host_port)?;
    if host_text.is_empty() {
        return Err(UrlError::Invalid("it has no host"));
    }
    let host = parse_host(host_text)?;
    let port = match port_text {
        None | Some("") => None,
        Some(digits) if digits.bytes().all(|b| b.is_ascii_digit()) => {
            let port: u32 = digits.parse().map_err(|_| UrlError::Invalid("its port is out of range"))?;
            let port = u16::try_from(port).map_err(|_| UrlError::Invalid("its port is out of range"))?;
            let default = if scheme == "https" { 443 } else { 80 };
            (port != default).then_some(port)
        }
        Some(_) => return Err(UrlError::Invalid("its port is not a number")),
    };
    Ok(Url { scheme, userinfo, host, host_text: host_text.to_string(), port, path: request_path(tail) })
}

/// `host[:port]`, with `[…]` protecting an IPv6 literal's colons. WHATWG takes the first colon
/// outside brackets.
fn split_port(host_port: &str) -> Result<(&str, Option<&str>), UrlError> {
    if host_port.starts_with('[') {
        let close = host_port.find(']').ok_or(UrlError::Invalid("its IPv6 address has no closing bracket"))?;
        let (host, after) = host_port.split_at_checked(close + 1).unwrap_or((host_port, ""));
        return match after {
            "" => Ok((host, None)),
            _ => match after.strip_prefix(':') {
                Some(port) => Ok((host, Some(port))),
                None => Err(UrlError::Invalid("it has characters after the IPv6 address")),
            },
        };
    }
    Ok(match host_port.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (host_port, None),
    })
}

/// The WHATWG host parser for special schemes, without IDNA.
fn parse_host(text: &str) -> Result<Host, UrlError> {
    if let Some(inner) = text.strip_prefix('[') {
        let inner = inner.strip_suffix(']').ok_or(UrlError::Invalid("its IPv6 address has no closing bracket"))?;
        return parse_ipv6(inner).map(Host::V6).ok_or(UrlError::Invalid("its IPv6 address is invalid"));
    }
    let decoded = percent_decode(text).ok_or(UrlError::Invalid("its host has a bad percent-encoding"))?;
    if !decoded.is_ascii() {
        return Err(UrlError::Invalid("its host is not ASCII (write an internationalised name in its xn-- form)"));
    }
    let host = decoded.to_ascii_lowercase();
    const FORBIDDEN: &[u8] = b" #%/:<>?@[\\]^|";
    if host.is_empty() || host.bytes().any(|b| b <= 0x1f || b == 0x7f || FORBIDDEN.contains(&b)) {
        return Err(UrlError::Invalid("its host has characters a host name cannot have"));
    }
    if ends_in_number(&host) {
        return parse_ipv4(&host).map(Host::V4).ok_or(UrlError::Invalid("its host is not a valid IPv4 address"));
    }
    Ok(Host::Name(host))
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = |b: Option<&u8>| b.and_then(|b| char::from(*b).to_digit(16));
            match (hex(bytes.get(i + 1)), hex(bytes.get(i + 2))) {
                (Some(high), Some(low)) => {
                    out.push((high * 16 + low) as u8);
                    i += 3;
                    continue;
                }
                // WHATWG keeps a lone "%"; the forbidden-character check then refuses it.
                _ => out.push(b'%'),
            }
        } else {
            out.push(bytes[i]);
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

fn ipv4_parts(host: &str) -> Vec<&str> {
    let mut parts: Vec<&str> = host.split('.').collect();
    if parts.len() > 1 && parts.last() == Some(&"") {
        parts.pop();
    }
    parts
}

/// WHATWG's "ends in a number": such a host must be an IPv4 address or nothing.
fn ends_in_number(host: &str) -> bool {
    let parts = ipv4_parts(host);
    let last = parts.last().copied().unwrap_or("");
    !last.is_empty() && (last.bytes().all(|b| b.is_ascii_digit()) || ipv4_number(last).is_some())
}

/// One part of a legacy IPv4 address: `0x` hex, leading-zero octal, or decimal.
fn ipv4_number(part: &str) -> Option<u64> {
    let (digits, radix) = if let Some(hex) = part.strip_prefix("0x").or_else(|| part.strip_prefix("0X")) {
        (hex, 16)
    } else if part.len() > 1 && part.starts_with('0') {
        (part.get(1..).unwrap_or_default(), 8)
    } else {
        (part, 10)
    };
    if digits.is_empty() {
        return (radix != 10).then_some(0);
    }
    if !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    // Anything this long is out of range anyway; stop before u64 would overflow.
    if digits.len() > 20 {
        return Some(u64::MAX);
    }
    Some(u64::from_str_radix(digits, radix).unwrap_or(u64::MAX))
}

fn parse_ipv4(host: &str) -> Option<Ipv4Addr> {
    let parts = ipv4_parts(host);
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    let numbers: Vec<u64> = parts.iter().map(|part| ipv4_number(part)).collect::<Option<_>>()?;
    let (last, leading) = numbers.split_last()?;
    if leading.iter().any(|n| *n > 255) || *last >= 256u64.pow(5 - numbers.len() as u32) {
        return None;
    }
    let mut address = *last;
    for (index, n) in leading.iter().enumerate() {
        address += n << (8 * (3 - index));
    }
    u32::try_from(address).ok().map(Ipv4Addr::from)
}

/// An IPv4 address in its usual dotted form (`127.0.0.1`), as `Ipv4Addr`'s `Display` writes it
/// without std's formatting machinery for it in the wasm.
pub fn ipv4_text(ip: Ipv4Addr) -> String {
    let mut text = String::with_capacity(15);
    for (index, octet) in ip.octets().into_iter().enumerate() {
        if index > 0 {
            text.push('.');
        }
        crate::text::push_decimal(&mut text, u64::from(octet));
    }
    text
}

/// An IPv6 literal exactly as std's `Ipv6Addr::from_str` reads it (the host parser used std's
/// before): eight groups of one to four hex digits; one `::` standing for at least one zero
/// group; the last two groups may be written as an IPv4 dotted quad (decimal octets, no leading
/// zeros); no zone id. Written out because std's parser, for this one use, kept ~3 KB in the
/// wasm; a property test holds the two to the same answers.
fn parse_ipv6(text: &str) -> Option<Ipv6Addr> {
    let mut reader = Reader { bytes: text.as_bytes(), at: 0 };
    let mut groups = [0u16; 8];
    let (head, head_ends_in_ipv4) = reader.groups(&mut groups);
    if head < 8 {
        // An IPv4 part only ends an address; the rest needs `::`, worth one zero group or more.
        if head_ends_in_ipv4 || !reader.eat(b':') || !reader.eat(b':') {
            return None;
        }
        let mut tail = [0u16; 7];
        let (tail_len, _) = reader.groups(tail.get_mut(..7 - head).unwrap_or_default());
        let tail = tail.get(..tail_len).unwrap_or_default();
        for (slot, group) in groups.iter_mut().rev().zip(tail.iter().rev()) {
            *slot = *group;
        }
    }
    (reader.at == reader.bytes.len()).then(|| Ipv6Addr::from(groups))
}

/// A cursor over an IPv6 literal; a failed read puts it back where the read started.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn eat(&mut self, byte: u8) -> bool {
        let found = self.bytes.get(self.at) == Some(&byte);
        self.at += usize::from(found);
        found
    }

    /// Up to `groups.len()` groups separated by `:` (a trailing IPv4 quad fills two): how many
    /// were read, and whether the last was an IPv4 quad.
    fn groups(&mut self, groups: &mut [u16]) -> (usize, bool) {
        for index in 0..groups.len() {
            let start = self.at;
            let separated = index == 0 || self.eat(b':');
            if let (true, Some([first, second, ..])) = (separated, groups.get_mut(index..)) {
                if let Some([a, b, c, d]) = self.ipv4() {
                    (*first, *second) = (u16::from_be_bytes([a, b]), u16::from_be_bytes([c, d]));
                    return (index + 2, true);
                }
            }
            match (self.number(16, 4, true).filter(|_| separated), groups.get_mut(index)) {
                (Some(group), Some(slot)) => *slot = group as u16,
                _ => {
                    self.at = start;
                    return (index, false);
                }
            }
        }
        (groups.len(), false)
    }

    /// Four decimal octets separated by `.`.
    fn ipv4(&mut self) -> Option<[u8; 4]> {
        let start = self.at;
        let mut octets = [0u8; 4];
        for (index, octet) in octets.iter_mut().enumerate() {
            match (index == 0 || self.eat(b'.')).then(|| self.number(10, 3, false)).flatten() {
                Some(value) if value <= 255 => *octet = value as u8,
                _ => {
                    self.at = start;
                    return None;
                }
            }
        }
        Some(octets)
    }

    /// One to `max_digits` digits; with `allow_zero_prefix` false, no leading zero unless the
    /// number is `0` itself.
    fn number(&mut self, radix: u32, max_digits: usize, allow_zero_prefix: bool) -> Option<u32> {
        let start = self.at;
        let leading_zero = self.bytes.get(start) == Some(&b'0');
        let mut value = 0u32;
        while let Some(digit) = self.bytes.get(self.at).and_then(|byte| char::from(*byte).to_digit(radix)) {
            self.at += 1;
            value = value * radix + digit;
            if self.at - start > max_digits {
                break;
            }
        }
        let digits = self.at - start;
        if digits == 0 || digits > max_digits || (!allow_zero_prefix && leading_zero && digits > 1) {
            self.at = start;
            return None;
        }
        Some(value)
    }
}

/// Path and query as a request line sends them.
fn request_path(tail: &str) -> String {
    let without_fragment = tail.split('#').next().unwrap_or("");
    let mut path = String::with_capacity(without_fragment.len() + 1);
    if !without_fragment.starts_with(['/', '\\']) {
        path.push('/');
    }
    for c in without_fragment.chars() {
        match c {
            '\\' => path.push('/'),
            c if c.is_ascii_graphic() => path.push(c),
            c => {
                let mut buffer = [0; 4];
                for byte in c.encode_utf8(&mut buffer).bytes() {
                    path.push_str(&format!("%{byte:02X}"));
                }
            }
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(input: &str) -> Host {
        parse(input).unwrap_or_else(|e| panic!("{input}: {e:?}")).host
    }

    #[test]
    fn names_ports_and_paths() {
        let url = parse("HTTPS://Hooks.Example.com:8443/in?x=1#frag").unwrap();
        assert_eq!(url.scheme, "https");
        assert_eq!(url.host, Host::Name("hooks.example.com".into()));
        assert_eq!(url.port, Some(8443));
        assert_eq!(url.path, "/in?x=1");
        assert_eq!(url.href(), "https://hooks.example.com:8443/in?x=1");
        assert_eq!(parse("http://h:80").unwrap().port, None);
        assert_eq!(parse("http://h").unwrap().path, "/");
        assert_eq!(parse("http://h/ä b").unwrap().path, "/%C3%A4%20b");
    }

    #[test]
    fn the_authority_ends_where_whatwg_ends_it() {
        // The bypass an outside attack found: the backslash ends the authority.
        let url = parse("http://127.0.0.1:9\\@93.184.216.34/").unwrap();
        assert_eq!((url.host, url.port, url.userinfo), (Host::V4(Ipv4Addr::LOCALHOST), Some(9), None));
        assert_eq!(url.path, "/@93.184.216.34/");
        let url = parse("http://93.184.216.34@127.0.0.1/").unwrap();
        assert_eq!((url.host, url.userinfo.as_deref()), (Host::V4(Ipv4Addr::LOCALHOST), Some("93.184.216.34")));
        assert_eq!(host("http://a@b@localhost/"), Host::Name("localhost".into()));
        assert_eq!(host("http:\\\\localhost\\x"), Host::Name("localhost".into()));
        assert_eq!(host("http:localhost"), Host::Name("localhost".into()));
    }

    #[test]
    fn every_legacy_ipv4_form_is_the_address_it_means() {
        for form in [
            "http://127.0.0.1/",
            "http://2130706433/",
            "http://0x7f000001/",
            "http://0X7F.0.0.1/",
            "http://0177.0.0.1/",
            "http://0177.0000.0000.0001/",
            "http://127.1/",
            "http://127.0.1/",
            "http://127.0.0.1./",
            "http://%31%32%37.0.0.1/",
            "http://0x7f.1/",
        ] {
            assert_eq!(host(form), Host::V4(Ipv4Addr::LOCALHOST), "{form}");
        }
        assert_eq!(host("http://0/"), Host::V4(Ipv4Addr::UNSPECIFIED));
        assert_eq!(host("http://[::1]/"), Host::V6(Ipv6Addr::LOCALHOST));
        assert_eq!(host("http://[::ffff:127.0.0.1]/").serialize(), "[::ffff:127.0.0.1]");
        for bad in ["http://256.0.0.1/", "http://1.2.3.4.5/", "http://4294967296/", "http://1.2.3.09/"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        // A name whose last label is not a number stays a name.
        assert_eq!(host("http://1.2.3.example/"), Host::Name("1.2.3.example".into()));
    }

    #[test]
    fn ipv6_literals_as_std_reads_them() {
        let segments = |text: &str| parse_ipv6(text).map(|ip| ip.segments());
        assert_eq!(segments("::"), Some([0; 8]));
        assert_eq!(segments("1:2:3:4:5:6:7::"), Some([1, 2, 3, 4, 5, 6, 7, 0]));
        assert_eq!(segments("::FFFF:1.2.3.255"), Some([0, 0, 0, 0, 0, 0xffff, 0x0102, 0x03ff]));
        assert_eq!(segments("a:b:c:d:e:f:0.0.0.0"), Some([10, 11, 12, 13, 14, 15, 0, 0]));
        for refused in [
            "",
            ":::",
            "1:2:3:4:5:6:7:8::",
            "1:2:3:4:5:6:7:8:9",
            "12345::",
            "::1.2.3.256",
            "::01.2.3.4",
            "1.2.3.4::",
            "::1.2.3",
            "1:2:3:4:5:6:7:1.2.3.4",
            "fe80::1%eth0",
        ] {
            assert_eq!(segments(refused), None, "{refused}");
            assert!(refused.parse::<Ipv6Addr>().is_err(), "std agrees on {refused}");
        }
        assert_eq!(ipv4_text(Ipv4Addr::new(10, 0, 255, 9)), "10.0.255.9");
    }

    #[test]
    fn what_is_not_an_http_url() {
        assert_eq!(parse("ftp://h/x"), Err(UrlError::Scheme("ftp".into())));
        assert!(matches!(parse("no scheme"), Err(UrlError::Invalid(_))));
        assert!(matches!(parse("http://"), Err(UrlError::Invalid(_))));
        assert!(matches!(parse("http://:80/"), Err(UrlError::Invalid(_))));
        assert!(matches!(parse("http://h:99999/"), Err(UrlError::Invalid(_))));
        assert!(matches!(parse("http://h:8a/"), Err(UrlError::Invalid(_))));
        assert!(matches!(parse("http://[::1/"), Err(UrlError::Invalid(_))));
        assert!(matches!(parse("http://héllo/"), Err(UrlError::Invalid(_))));
        assert!(matches!(parse("http://a b/"), Err(UrlError::Invalid(_))));
        assert!(matches!(parse("http://%zz/"), Err(UrlError::Invalid(_))));
    }
}
