//! The `WebhooksClient` constructor options (the README's option table), validated before anything else runs.

use crate::error::DocSpaceError;
use crate::validate::{self, Result};
use crate::view::{Kind, View};
use std::fmt;

/// The option names the constructor accepts; anything else is a typo we report.
pub const OPTION_NAMES: [&str; 9] =
    ["baseUrl", "token", "basic", "credentials", "timeoutMs", "retries", "fetch", "onRequest", "onResponse"];

pub const DEFAULT_TIMEOUT_MS: u32 = 30_000;
/// A portal root longer than this is a mistake (a URL in a browser's address bar stays shorter).
pub const BASE_URL_MAX: usize = 2048;
pub const DEFAULT_RETRIES: u32 = 2;
pub const MAX_RETRIES: u32 = 10;
/// The largest delay `setTimeout` honours (2^31 − 1 ms).
pub const MAX_TIMEOUT_MS: f64 = 2_147_483_647.0;

/// A `timeoutMs` option (client-wide or per call): milliseconds from 1 to 2^31 − 1, rounded up;
/// `None` when absent.
pub fn timeout_ms<V: View>(value: &V, field: &str) -> Result<Option<u32>> {
    match value.kind() {
        kind if kind.is_absent() => Ok(None),
        Kind::Number => match value.number() {
            Some(ms) if ms.is_finite() && ms > 0.0 && ms <= MAX_TIMEOUT_MS => Ok(Some(ms.ceil() as u32)),
            ms => Err(DocSpaceError::invalid_input(
                field,
                format!(
                    "must be a number of milliseconds from 1 to {}, got {}",
                    crate::text::number(MAX_TIMEOUT_MS),
                    crate::text::number(ms.unwrap_or(f64::NAN))
                ),
            )),
        },
        other => Err(validate::wrong_type(field, "a number", other)),
    }
}

/// How requests authenticate. `Debug` never prints the secret part.
#[derive(Clone, PartialEq)]
pub enum Auth {
    /// `Authorization: Bearer <token>` (API keys `sk-…` and personal access tokens).
    Bearer(String),
    /// `Authorization: Basic <base64(user:password)>`; the password is kept to redact it.
    Basic { encoded: String, password: String },
    /// No header: the browser's cookie (`asc_auth_key`) does it, with `credentials`.
    Cookie,
}

impl Auth {
    /// The `Authorization` header value, if this scheme sends one.
    pub fn header(&self) -> Option<String> {
        match self {
            Auth::Bearer(token) => Some(crate::text::concat(&["Bearer ", token])),
            Auth::Basic { encoded, .. } => Some(crate::text::concat(&["Basic ", encoded])),
            Auth::Cookie => None,
        }
    }

    /// Every secret string an error message must never show.
    pub fn secrets(&self) -> Vec<&str> {
        match self {
            Auth::Bearer(token) => vec![token.as_str()],
            Auth::Basic { encoded, password } => vec![encoded.as_str(), password.as_str()],
            Auth::Cookie => Vec::new(),
        }
    }

    /// The scheme's name, safe to show (`toJSON` of the client).
    pub fn scheme(&self) -> &'static str {
        match self {
            Auth::Bearer(_) => "bearer",
            Auth::Basic { .. } => "basic",
            Auth::Cookie => "cookie",
        }
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Auth::{}(<redacted>)", self.scheme())
    }
}

/// `fetch`'s `credentials` mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Credentials {
    Include,
    SameOrigin,
    Omit,
}

impl Credentials {
    #[cfg(test)]
    const ALL: [Credentials; 3] = [Credentials::Include, Credentials::SameOrigin, Credentials::Omit];

    /// The mode as `fetch` and the `credentials` option spell it (`parse` reads these names; a
    /// test reads every mode back from its name).
    pub fn as_str(self) -> &'static str {
        match self {
            Credentials::Include => "include",
            Credentials::SameOrigin => "same-origin",
            Credentials::Omit => "omit",
        }
    }
}

/// Validated client settings. The injected `fetch`, a JS function, stays at the boundary.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientConfig {
    /// `scheme://host[:port][/path]`, lower-case scheme, no trailing slash.
    pub base_url: String,
    pub auth: Auth,
    pub credentials: Option<Credentials>,
    pub timeout_ms: u32,
    pub retries: u32,
}

const EXAMPLE: &str = "{ baseUrl: \"https://portal.example.com\", token: \"sk-…\" }";

pub fn parse<V: View>(options: &V) -> Result<ClientConfig> {
    validate::expect_object(options, "options", EXAMPLE)?;
    validate::reject_unknown_keys(options, "", &OPTION_NAMES)?;

    let base_url = match validate::opt_string(&options.get("baseUrl"), "baseUrl")? {
        Some(url) => {
            validate::check_length(&url, "baseUrl", BASE_URL_MAX)?;
            normalize_base_url(&url).map_err(|reason| DocSpaceError::invalid_input("baseUrl", reason))?
        }
        None => {
            return Err(DocSpaceError::invalid_input(
                "baseUrl",
                "is required: the portal's address, e.g. \"https://portal.example.com\"",
            ))
        }
    };
    let credentials = match validate::opt_string(&options.get("credentials"), "credentials")?.as_deref() {
        None => None,
        Some("include") => Some(Credentials::Include),
        Some("same-origin") => Some(Credentials::SameOrigin),
        Some("omit") => Some(Credentials::Omit),
        Some(_) => {
            return Err(DocSpaceError::invalid_input("credentials", "must be \"include\", \"same-origin\" or \"omit\""))
        }
    };
    let token = parse_token(&options.get("token"))?;
    let basic = parse_basic(&options.get("basic"))?;
    let auth = match (token, basic) {
        (Some(_), Some(_)) => {
            return Err(DocSpaceError::invalid_input("token", "pass either token or basic, not both"))
        }
        (Some(token), None) => Auth::Bearer(token),
        (None, Some((encoded, password))) => Auth::Basic { encoded, password },
        (None, None) if credentials.is_some() => Auth::Cookie,
        (None, None) => {
            return Err(DocSpaceError::invalid_input("token", "one of token, basic or credentials is required"))
        }
    };

    let timeout_ms = timeout_ms(&options.get("timeoutMs"), "timeoutMs")?.unwrap_or(DEFAULT_TIMEOUT_MS);
    let retries = validate::opt_integer(&options.get("retries"), "retries", 0.0, MAX_RETRIES as f64)?
        .map(|n| n as u32)
        .unwrap_or(DEFAULT_RETRIES);
    for (key, expected) in [
        ("fetch", "a fetch-compatible function"),
        ("onRequest", "a function (called with { method, url, attempt })"),
        ("onResponse", "a function (called with the answer's summary)"),
    ] {
        match options.get(key).kind() {
            kind if kind.is_absent() || kind == Kind::Function => {}
            other => return Err(validate::wrong_type(key, expected, other)),
        }
    }

    Ok(ClientConfig { base_url, auth, credentials, timeout_ms, retries })
}

fn parse_token<V: View>(value: &V) -> Result<Option<String>> {
    let Some(raw) = validate::opt_string(value, "token")? else {
        return Ok(None);
    };
    // Tolerate a pasted "Bearer …" header value; the prefix is ours to add.
    let token = match raw.get(..7) {
        Some(prefix) if prefix.eq_ignore_ascii_case("bearer ") => raw.get(7..).unwrap_or("").trim(),
        _ => raw.trim(),
    };
    if token.is_empty() {
        return Err(DocSpaceError::invalid_input("token", "must not be empty"));
    }
    // Never echo the value: only say what is wrong with it.
    if !token.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
        return Err(DocSpaceError::invalid_input(
            "token",
            "must be printable ASCII without spaces (it goes into the Authorization header)",
        ));
    }
    Ok(Some(token.to_string()))
}

fn parse_basic<V: View>(value: &V) -> Result<Option<(String, String)>> {
    if value.kind().is_absent() {
        return Ok(None);
    }
    validate::expect_object(value, "basic", "{ user: \"me@example.com\", password: \"…\" }")?;
    validate::reject_unknown_keys(value, "basic", &["user", "password"])?;
    let user = validate::opt_string(&value.get("user"), "basic.user")?
        .filter(|user| !user.is_empty())
        .ok_or_else(|| DocSpaceError::invalid_input("basic.user", "is required (the account e-mail)"))?;
    if user.contains(':') || user.chars().any(char::is_control) {
        return Err(DocSpaceError::invalid_input("basic.user", "must not contain \":\" or control characters"));
    }
    let password = validate::opt_string(&value.get("password"), "basic.password")?
        .filter(|password| !password.is_empty())
        .ok_or_else(|| DocSpaceError::invalid_input("basic.password", "is required"))?;
    Ok(Some((base64(format!("{user}:{password}").as_bytes()), password)))
}

/// Standard base64 with padding (RFC 4648 §4), for the Basic scheme.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Checks and normalises a portal address: http(s) only, a host, no credentials, query or
/// fragment; the scheme lower-cased and trailing slashes dropped. Returns why when it is not one.
pub fn normalize_base_url(raw: &str) -> std::result::Result<String, String> {
    let url = raw.trim();
    if url.is_empty() {
        return Err("must not be empty".into());
    }
    let Some((scheme, rest)) = crate::text::Needle::new("://").split_once(url) else {
        let shown: String = url.chars().take(80).collect();
        return Err(format!("must be an absolute http(s) URL like \"https://portal.example.com\", got \"{shown}\""));
    };
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Err(format!("must use http or https, got \"{scheme}:\""));
    }
    if let Some(bad) = rest.chars().find(|c| c.is_whitespace() || c.is_control() || *c == '\\') {
        return Err(format!("must not contain {}", crate::text::quote(&bad.to_string(), 1)));
    }
    if rest.contains('?') || rest.contains('#') {
        return Err("must not have a query or fragment".into());
    }
    let (authority, path) = match rest.find('/') {
        Some(slash) => rest.split_at_checked(slash).unwrap_or((rest, "")),
        None => (rest, ""),
    };
    if authority.contains('@') {
        return Err("must not contain user:password@; use the token or basic option".into());
    }
    check_authority(authority)?;
    let path = path.trim_end_matches('/');
    if path.to_ascii_lowercase().split('/').any(|segment| segment == "api") {
        return Err("must be the portal root (e.g. \"https://portal.example.com\"), without /api/2.0".into());
    }
    Ok(crate::text::concat(&[&scheme, "://", authority, path]))
}

fn check_authority(authority: &str) -> std::result::Result<(), String> {
    let (host, port) = if let Some(after_bracket) = authority.strip_prefix('[') {
        let Some((ipv6, tail)) = after_bracket.split_once(']') else {
            return Err("has an unclosed IPv6 bracket".into());
        };
        if ipv6.is_empty() || !ipv6.chars().all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.') {
            return Err("has an invalid IPv6 address".into());
        }
        match tail {
            "" => (ipv6, None),
            _ => match tail.strip_prefix(':') {
                Some(port) => (ipv6, Some(port)),
                None => return Err("has junk after the IPv6 address".into()),
            },
        }
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Err("must include a host name".into());
    }
    if !authority.starts_with('[')
        && !host.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '~' | '%'))
    {
        return Err(format!("has an invalid host name \"{}\"", host.chars().take(80).collect::<String>()));
    }
    if let Some(port) = port {
        match port.parse::<u32>() {
            Ok(n) if (1..=65535).contains(&n) && port.bytes().all(|b| b.is_ascii_digit()) => {}
            _ => return Err(format!("has an invalid port \"{}\"", port.chars().take(10).collect::<String>())),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::Plain;

    fn opts(json: &str) -> Result<ClientConfig> {
        parse(&serde_json::from_str::<Plain>(json).unwrap())
    }

    #[test]
    fn defaults_and_normalisation() {
        let cfg = opts(r#"{"baseUrl":"HTTPS://portal.example.com/","token":"sk-abc"}"#).unwrap();
        assert_eq!(cfg.base_url, "https://portal.example.com");
        assert_eq!(cfg.auth, Auth::Bearer("sk-abc".into()));
        assert_eq!(cfg.timeout_ms, DEFAULT_TIMEOUT_MS);
        assert_eq!(cfg.retries, DEFAULT_RETRIES);
        let cfg = opts(
            r#"{"baseUrl":"http://127.0.0.1:8080/docspace//","token":"Bearer  sk-x","timeoutMs":1500.2,"retries":0}"#,
        )
        .unwrap();
        assert_eq!(cfg.base_url, "http://127.0.0.1:8080/docspace");
        assert_eq!(cfg.auth.header().as_deref(), Some("Bearer sk-x"));
        assert_eq!((cfg.timeout_ms, cfg.retries), (1501, 0));
    }

    #[test]
    fn basic_and_cookie_auth() {
        let cfg = opts(r#"{"baseUrl":"https://p","basic":{"user":"a@b.c","password":"pä ss"}}"#).unwrap();
        assert_eq!(cfg.auth.header().as_deref(), Some("Basic YUBiLmM6cMOkIHNz"));
        let cfg = opts(r#"{"baseUrl":"https://p","credentials":"include"}"#).unwrap();
        assert_eq!((cfg.auth.clone(), cfg.credentials), (Auth::Cookie, Some(Credentials::Include)));
        assert_eq!(cfg.auth.header(), None);
        // Every mode is read back from the name it is sent as.
        for mode in Credentials::ALL {
            let cfg =
                opts(&format!(r#"{{"baseUrl":"https://p","token":"t","credentials":"{}"}}"#, mode.as_str())).unwrap();
            assert_eq!(cfg.credentials, Some(mode));
        }
        assert_eq!(Credentials::ALL.map(Credentials::as_str), ["include", "same-origin", "omit"]);
    }

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }

    #[test]
    fn bad_options_name_the_field() {
        let cases = [
            (r#"null"#, "options: must be an object"),
            (r#"[]"#, "options: must be an object"),
            (r#""https://p""#, "options: must be an object"),
            (r#"{"token":"t"}"#, "baseUrl: is required"),
            (r#"{"baseUrl":5,"token":"t"}"#, "baseUrl: must be a string, got a number"),
            (r#"{"baseUrl":"ftp://p","token":"t"}"#, "baseUrl: must use http or https"),
            (r#"{"baseUrl":"portal.example.com","token":"t"}"#, "baseUrl: must be an absolute http(s) URL"),
            (r#"{"baseUrl":"https://","token":"t"}"#, "baseUrl: must include a host name"),
            (r#"{"baseUrl":"https://u:p@h","token":"t"}"#, "baseUrl: must not contain user:password@"),
            (r#"{"baseUrl":"https://h?x=1","token":"t"}"#, "baseUrl: must not have a query"),
            (r#"{"baseUrl":"https://h:99999","token":"t"}"#, "baseUrl: has an invalid port"),
            (r#"{"baseUrl":"https://h/api/2.0","token":"t"}"#, "baseUrl: must be the portal root"),
            (r#"{"baseUrl":"https://h w","token":"t"}"#, "baseUrl: must not contain \" \""),
            (r#"{"baseUrl":"https://h"}"#, "token: one of token, basic or credentials is required"),
            (r#"{"baseUrl":"https://h","token":""}"#, "token: must not be empty"),
            (r#"{"baseUrl":"https://h","token":"a b"}"#, "token: must be printable ASCII"),
            (r#"{"baseUrl":"https://h","token":7}"#, "token: must be a string, got a number"),
            (
                r#"{"baseUrl":"https://h","token":"t","basic":{"user":"u","password":"p"}}"#,
                "token: pass either token or basic",
            ),
            (r#"{"baseUrl":"https://h","basic":{"user":"u:x","password":"p"}}"#, "basic.user: must not contain"),
            (r#"{"baseUrl":"https://h","basic":{"user":"u"}}"#, "basic.password: is required"),
            (r#"{"baseUrl":"https://h","basic":{"user":"u","password":"p","pass":1}}"#, "basic.pass: unknown option"),
            (r#"{"baseUrl":"https://h","credentials":"all"}"#, "credentials: must be \"include\""),
            (r#"{"baseUrl":"https://h","token":"t","timeoutMs":0}"#, "timeoutMs: must be a number of milliseconds"),
            (r#"{"baseUrl":"https://h","token":"t","timeoutMs":"5s"}"#, "timeoutMs: must be a number, got a string"),
            (r#"{"baseUrl":"https://h","token":"t","retries":-1}"#, "retries: must be an integer from 0 to 10"),
            (r#"{"baseUrl":"https://h","token":"t","retries":1.5}"#, "retries: must be an integer"),
            (r#"{"baseUrl":"https://h","token":"t","fetch":"no"}"#, "fetch: must be a fetch-compatible function"),
            (
                r#"{"baseUrl":"https://h","token":"t","timeout":5}"#,
                "timeout: unknown option; did you mean \"timeoutMs\"?",
            ),
        ];
        for (json, expected) in cases {
            let err = opts(json).unwrap_err();
            assert_eq!(err.kind, crate::error::ErrorKind::InvalidInput, "{json}");
            assert!(err.message.starts_with(expected), "{json}: {}", err.message);
        }
    }

    #[test]
    fn token_never_appears_in_errors_or_debug() {
        let secret = "sk-SECRET-VALUE";
        let cfg = opts(&format!(r#"{{"baseUrl":"https://h","token":"{secret}"}}"#)).unwrap();
        assert!(!format!("{cfg:?}").contains(secret));
        let err = opts(&format!(r#"{{"baseUrl":"https://h","token":"{secret} x"}}"#)).unwrap_err();
        assert!(!err.message.contains("SECRET"));
        let err = opts(r#"{"baseUrl":"https://h","basic":{"user":"u","password":"hunter2","x":1}}"#).unwrap_err();
        assert!(!err.to_string().contains("hunter2"));
    }
}
