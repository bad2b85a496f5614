//! `DocSpaceError`: the one error every failure becomes (the README's "Errors"). Rust holds the data; the JS
//! boundary turns it into an instance of the JS class `DocSpaceError extends Error`.
//!
//! Messages never carry a token, a password or a secret key: the code that builds them only
//! ever echoes values the caller may see (URLs, ids, field names, the server's own texts).

use std::fmt;

/// What went wrong, for callers to branch on without subclasses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The portal answered with an HTTP error or an error envelope.
    Http,
    /// The request never got an HTTP answer (DNS, refused connection, reset, CORS).
    Network,
    /// An attempt took longer than `timeoutMs`.
    Timeout,
    /// The caller's `AbortSignal` fired.
    Aborted,
    /// The portal answered 2xx with something that is not the documented envelope.
    InvalidResponse,
    /// The caller passed something unusable; no request was sent.
    InvalidInput,
}

impl ErrorKind {
    /// The string JS code sees in `error.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Http => "http",
            ErrorKind::Network => "network",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Aborted => "aborted",
            ErrorKind::InvalidResponse => "invalid_response",
            ErrorKind::InvalidInput => "invalid_input",
        }
    }

    /// Every kind, for the TypeScript union and tests.
    pub const ALL: [ErrorKind; 6] = [
        ErrorKind::Http,
        ErrorKind::Network,
        ErrorKind::Timeout,
        ErrorKind::Aborted,
        ErrorKind::InvalidResponse,
        ErrorKind::InvalidInput,
    ];
}

/// What every fallible operation of the package returns.
pub type Result<T> = std::result::Result<T, DocSpaceError>;

/// Field errors: field name → messages, in the order the server (or our validation) gave them.
pub type FieldErrors = Vec<(String, Vec<String>)>;

/// The shortest secret `redact` looks for.
const MIN_REDACTED: usize = 4;

/// The error's data, behind one pointer in [`DocSpaceError`]: every `Result` of the package
/// then carries a pointer instead of ~48 bytes, which each `?` would copy.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorData {
    pub kind: ErrorKind,
    pub message: String,
    /// HTTP status, when the portal answered.
    pub status: Option<u16>,
    /// Field errors of a validation 400, or the offending field of an `invalid_input`.
    pub details: Option<FieldErrors>,
    /// Seconds to wait, from a 429's `Retry-After`.
    pub retry_after: Option<f64>,
}

/// The error itself: its fields are read (and written) through `Deref`, as `error.kind`.
#[derive(Clone, Debug, PartialEq)]
pub struct DocSpaceError(Box<ErrorData>);

impl std::ops::Deref for DocSpaceError {
    type Target = ErrorData;
    fn deref(&self) -> &ErrorData {
        &self.0
    }
}

impl std::ops::DerefMut for DocSpaceError {
    fn deref_mut(&mut self) -> &mut ErrorData {
        &mut self.0
    }
}

impl DocSpaceError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        DocSpaceError(Box::new(ErrorData {
            kind,
            message: message.into(),
            status: None,
            details: None,
            retry_after: None,
        }))
    }

    /// A caller mistake in `field`; the message names the field first.
    pub fn invalid_input(field: &str, reason: impl Into<String>) -> Self {
        let reason = reason.into();
        let mut error = DocSpaceError::new(ErrorKind::InvalidInput, format!("{field}: {reason}"));
        error.details = Some(vec![(field.to_string(), vec![reason])]);
        error
    }

    pub fn http(status: u16, message: impl Into<String>) -> Self {
        let mut error = DocSpaceError::new(ErrorKind::Http, message);
        error.status = Some(status);
        error
    }

    pub fn invalid_response(status: u16, message: impl Into<String>) -> Self {
        let mut error = DocSpaceError::new(ErrorKind::InvalidResponse, message);
        error.status = Some(status);
        error
    }

    pub fn with_details(mut self, details: FieldErrors) -> Self {
        self.details = Some(details);
        self
    }

    /// Replaces every occurrence of a secret in the message and details with `[redacted]`: the
    /// last guard for texts we do not write ourselves (server messages, errors of an injected
    /// `fetch`). Secrets shorter than 4 characters are left alone: replacing every "t" of a
    /// message would destroy it, and such a string reveals nothing.
    pub fn redact(mut self, secrets: &[&str]) -> Self {
        self.message = redact_text(&self.message, secrets);
        for (field, messages) in self.details.iter_mut().flatten() {
            *field = redact_text(field, secrets);
            for message in messages {
                *message = redact_text(message, secrets);
            }
        }
        self
    }
}

/// `text` with every occurrence of a secret replaced by `[redacted]` (see [`DocSpaceError::redact`]
/// for which secrets count). Texts are redacted whole, before any excerpt is cut from them.
pub fn redact_text(text: &str, secrets: &[&str]) -> String {
    let mut text = text.to_string();
    for secret in secrets.iter().filter(|secret| secret.chars().count() >= MIN_REDACTED) {
        if let Some(replaced) = crate::text::Needle::new(secret).replace_in(&text, "[redacted]") {
            text = replaced;
        }
    }
    text
}

impl fmt::Display for DocSpaceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.status {
            Some(status) => write!(f, "[{} {status}] {}", self.kind.as_str(), self.message),
            None => write!(f, "[{}] {}", self.kind.as_str(), self.message),
        }
    }
}

impl std::error::Error for DocSpaceError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_input_names_the_field_in_message_and_details() {
        let err = DocSpaceError::invalid_input("baseUrl", "must use http or https");
        assert_eq!(err.kind.as_str(), "invalid_input");
        assert_eq!(err.message, "baseUrl: must use http or https");
        assert_eq!(err.details, Some(vec![("baseUrl".into(), vec!["must use http or https".into()])]));
        assert_eq!(err.to_string(), "[invalid_input] baseUrl: must use http or https");
    }

    #[test]
    fn redaction_removes_every_secret() {
        let err = DocSpaceError::http(500, "failed for sk-123 and hunter2")
            .with_details(vec![("sk-123".into(), vec!["hunter2!".into()])])
            .redact(&["sk-123", "hunter2", "", "a"]);
        assert_eq!(err.message, "failed for [redacted] and [redacted]");
        assert_eq!(err.details, Some(vec![("[redacted]".into(), vec!["[redacted]!".into()])]));
    }

    #[test]
    fn http_errors_show_their_status() {
        let err = DocSpaceError::http(404, "The record could not be found");
        assert_eq!(err.to_string(), "[http 404] The record could not be found");
    }
}
