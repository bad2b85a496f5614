//! The operations of `WebhooksClient`: turning validated input into an [`HttpRequest`] and a
//! decoded envelope into the value the caller gets. No JS types here; the transport runs the
//! request, `lib.rs` exposes the methods.

use crate::error::DocSpaceError;
use crate::input::{self, Result};
use crate::model::{EnableBody, RetryBody, WebhookBody};
use crate::options::MAX_TIMEOUT_MS;
use crate::routes;
use crate::value::{Kind, View};
use serde::Serialize;

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
        HttpRequest {
            method: Method::Get,
            path: path.into(),
            query: Vec::new(),
            body: None,
            idempotent: true,
        }
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
    input::expect_object(options, "options", "{ signal, timeoutMs }")?;
    input::reject_unknown_keys(options, "options", &CALL_OPTION_NAMES)?;
    let timeout = options.get("timeoutMs");
    let timeout_ms = match timeout.kind() {
        kind if kind.is_absent() => None,
        Kind::Number => match timeout.number() {
            Some(ms) if ms.is_finite() && ms > 0.0 && ms <= MAX_TIMEOUT_MS => {
                Some(ms.ceil() as u32)
            }
            _ => {
                return Err(DocSpaceError::invalid_input(
                    "options.timeoutMs",
                    format!("must be a number of milliseconds from 1 to {MAX_TIMEOUT_MS}"),
                ))
            }
        },
        other => return Err(input::wrong_type("options.timeoutMs", "a number", other)),
    };
    let has_signal = !options.get("signal").kind().is_absent();
    Ok(CallSettings {
        timeout_ms,
        has_signal,
    })
}

/// `GET settings/webhook`.
pub fn get_tenant_webhooks() -> HttpRequest {
    HttpRequest::get(routes::WEBHOOK)
}

/// Checks that a list answer is an array of objects and hands it on unchanged: the caller gets
/// the server's own objects (no copy), which is what keeps the client as fast as a raw `fetch`.
pub fn expect_object_list<V: View>(response: V, what: &str) -> Result<V> {
    if response.kind() != Kind::Array {
        return Err(DocSpaceError::new(
            crate::error::ErrorKind::InvalidResponse,
            format!(
                "expected {what} as an array, got {}",
                response.kind().describe()
            ),
        ));
    }
    for index in 0..response.len() {
        let kind = response.at(index).kind();
        if kind != Kind::Object {
            return Err(DocSpaceError::new(
                crate::error::ErrorKind::InvalidResponse,
                format!(
                    "expected {what}[{index}] to be an object, got {}",
                    kind.describe()
                ),
            ));
        }
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Plain;

    fn json(text: &str) -> Plain {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn list_request() {
        let req = get_tenant_webhooks();
        assert_eq!(
            (req.method, req.path.as_str(), req.idempotent),
            (Method::Get, "/api/2.0/settings/webhook", true)
        );
        assert!(req.body.is_none() && req.query.is_empty());
    }

    #[test]
    fn call_options() {
        assert_eq!(
            parse_call_options(&Plain::Undefined).unwrap(),
            CallSettings::default()
        );
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

    #[test]
    fn lists_must_be_arrays_of_objects() {
        assert!(expect_object_list(json(r#"[{"configs":{}}]"#), "webhooks").is_ok());
        assert_eq!(
            expect_object_list(json(r#"{}"#), "webhooks")
                .unwrap_err()
                .message,
            "expected webhooks as an array, got an object"
        );
        assert_eq!(
            expect_object_list(json(r#"[{}, 3]"#), "webhooks")
                .unwrap_err()
                .message,
            "expected webhooks[1] to be an object, got a number"
        );
    }
}
