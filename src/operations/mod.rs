//! The operations of `WebhooksClient` as data: validated input becomes an [`HttpRequest`]
//! (method, path, query, body, whether it may be retried), and a decoded envelope becomes the
//! value the caller gets. No JS types here: the transport runs the request, `client.rs`
//! exposes the methods.
//!
//! * [`webhook`]: the webhook writes (create, update, patch, enable, remove, retries) and
//!   their field checks;
//! * [`log`]: the delivery log's filter and pager;
//! * [`decode`]: checking and normalising answers.

pub mod decode;
pub mod log;
pub mod webhook;

use crate::error::Result;
use crate::model::{EnableBody, RetryBody, WebhookBody};
use crate::routes;
use crate::validate;
use crate::view::View;
use serde::Serialize;

pub use decode::*;
pub use log::*;
pub use webhook::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

/// A JSON request body; serializes to exactly what the server expects.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(untagged)]
pub enum RequestBody {
    Webhook(WebhookBody),
    Enable(EnableBody),
    Retry(RetryBody),
}

/// One API call, ready for the transport.
#[derive(Clone, Debug, PartialEq)]
pub struct HttpRequest {
    pub method: Method,
    /// Path below the portal root, starting with `/api/2.0/`.
    pub path: String,
    pub query: Vec<(&'static str, String)>,
    pub body: Option<RequestBody>,
    /// Whether repeating it is harmless, so the transport may retry it.
    pub idempotent: bool,
}

impl HttpRequest {
    fn get(path: impl Into<String>) -> Self {
        HttpRequest { method: Method::Get, path: path.into(), query: Vec::new(), body: None, idempotent: true }
    }
}

/// The per-call options every method takes last: `{ signal?, timeoutMs? }`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CallSettings {
    pub timeout_ms: Option<u32>,
    pub has_signal: bool,
}

pub const CALL_OPTION_NAMES: [&str; 2] = ["signal", "timeoutMs"];

/// Validates the per-call options; whether `signal` is a real `AbortSignal` is checked at the
/// JS boundary, which alone can tell.
pub fn parse_call_options<V: View>(options: &V) -> Result<CallSettings> {
    if options.kind().is_absent() {
        return Ok(CallSettings::default());
    }
    validate::expect_object(options, "options", "{ signal, timeoutMs }")?;
    validate::reject_unknown_keys(options, "options", &CALL_OPTION_NAMES)?;
    let timeout_ms = crate::options::timeout_ms(&options.get("timeoutMs"), "options.timeoutMs")?;
    let has_signal = !options.get("signal").kind().is_absent();
    Ok(CallSettings { timeout_ms, has_signal })
}

/// `GET settings/webhook`.
pub fn get_tenant_webhooks() -> HttpRequest {
    HttpRequest::get(routes::WEBHOOK)
}

/// `GET settings/webhook/triggers`.
pub fn get_webhook_triggers() -> HttpRequest {
    HttpRequest::get(routes::WEBHOOK_TRIGGERS)
}

fn with_body(method: Method, path: &str, body: RequestBody, idempotent: bool) -> HttpRequest {
    HttpRequest { method, body: Some(body), idempotent, ..HttpRequest::get(path) }
}

/// A JS-like value from JSON text, for the operations' tests.
#[cfg(test)]
pub(crate) fn json(text: &str) -> crate::view::Plain {
    serde_json::from_str(text).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::Plain;

    #[test]
    fn list_request() {
        let req = get_tenant_webhooks();
        assert_eq!((req.method, req.path.as_str(), req.idempotent), (Method::Get, "/api/2.0/settings/webhook", true));
        assert!(req.body.is_none() && req.query.is_empty());
    }

    #[test]
    fn call_options() {
        assert_eq!(parse_call_options(&Plain::Undefined).unwrap(), CallSettings::default());
        let parsed = parse_call_options(&json(r#"{"timeoutMs":250}"#)).unwrap();
        assert_eq!(parsed.timeout_ms, Some(250));
        assert!(parse_call_options(&json(r#"{"timeoutMS":250}"#))
            .unwrap_err()
            .message
            .contains("did you mean \"timeoutMs\""));
        assert!(parse_call_options(&json(r#"{"timeoutMs":-5}"#)).is_err());
        assert!(parse_call_options(&json("5")).is_err());
        let with_signal = Plain::object([("signal", Plain::Object(vec![]))]);
        assert!(parse_call_options(&with_signal).unwrap().has_signal);
    }
}
