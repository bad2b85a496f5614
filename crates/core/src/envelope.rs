//! The API envelope (contract §3): reading every answer the portal can give into either the
//! `response` payload or a [`DocSpaceError`], and writing the same shapes (for the stand-in).
//!
//! Three shapes exist besides empty bodies:
//! * success: `{response, count, total?, links, status: 0, statusCode}`;
//! * exception: `{error: {message, type, stack, hresult}, status: 1, statusCode}`;
//! * model validation (HTTP 400): the success shape with `status: 1` wrapping an ASP.NET
//!   `ValidationProblemDetails` (`{type, title, status, errors: {Field: [msg]}, traceId}`).

use crate::error::{DocSpaceError, FieldErrors};
use crate::view::{Kind, View};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

/// A response body, as far as the transport could read it.
pub enum Body<V> {
    Empty,
    /// Not parseable as JSON: a short excerpt for the message, and the content type.
    NotJson {
        excerpt: String,
        content_type: String,
    },
    Json(V),
}

/// A successful answer: the unwrapped `response` and the log endpoint's `total`.
#[derive(Debug)]
pub struct Success<V> {
    pub response: V,
    pub total: Option<f64>,
}

/// Reads an answer. `retry_after` (seconds) is attached to 429 errors.
pub fn decode<V: View>(http_status: u16, body: Body<V>, retry_after: Option<f64>) -> Result<Success<V>, DocSpaceError> {
    let ok = (200..300).contains(&http_status);
    let json = match body {
        Body::Json(json) if json.kind() == Kind::Object => json,
        Body::Json(other) if ok => {
            return Err(DocSpaceError::invalid_response(
                http_status,
                format!("expected a DocSpace API envelope (a JSON object), got {}", other.kind().describe()),
            ))
        }
        Body::Empty if ok => {
            return Err(DocSpaceError::invalid_response(
                http_status,
                "expected a DocSpace API envelope, got an empty body",
            ))
        }
        Body::NotJson { excerpt, content_type } if ok => {
            return Err(DocSpaceError::invalid_response(
                http_status,
                format!("expected a JSON envelope, got {}: {excerpt}", describe_type(&content_type)),
            ))
        }
        _ => return Err(with_retry_after(status_error(http_status), retry_after)),
    };

    let error = json.get("error");
    if error.kind() == Kind::Object {
        // An error envelope is an error even inside an HTTP 2xx.
        let status = if ok { envelope_status(&json).unwrap_or(500) } else { http_status };
        let message =
            error.get("message").string().filter(|m| !m.trim().is_empty()).unwrap_or_else(|| default_message(status));
        return Err(with_retry_after(DocSpaceError::http(status, message), retry_after));
    }

    let response = json.get("response");
    if json.get("status").number() == Some(1.0) && response.get("errors").kind() == Kind::Object {
        let status = envelope_status(&json).filter(|s| *s >= 400).unwrap_or(if ok { 400 } else { http_status });
        return Err(validation_error(status, &response));
    }
    if !ok {
        return Err(with_retry_after(status_error(http_status), retry_after));
    }
    if response.kind() == Kind::Undefined {
        return Err(DocSpaceError::invalid_response(
            http_status,
            "expected a DocSpace API envelope with a \"response\" field",
        ));
    }
    let total = json.get("total").number();
    Ok(Success { response, total })
}

fn envelope_status<V: View>(json: &V) -> Option<u16> {
    json.get("statusCode").number().filter(|s| s.fract() == 0.0 && (100.0..=599.0).contains(s)).map(|s| s as u16)
}

fn validation_error<V: View>(status: u16, problem: &V) -> DocSpaceError {
    let errors = problem.get("errors");
    let mut details: FieldErrors = Vec::new();
    for field in errors.keys() {
        let messages = errors.get(&field);
        let texts: Vec<String> = match messages.kind() {
            Kind::Array => (0..messages.len()).filter_map(|i| messages.at(i).string()).collect(),
            Kind::String => messages.string().into_iter().collect(),
            _ => Vec::new(),
        };
        details.push((field, texts));
    }
    let summary: Vec<String> = details
        .iter()
        .map(|(field, texts)| match texts.is_empty() {
            true => field.clone(),
            false => format!("{field}: {}", texts.join(" ")),
        })
        .collect();
    let message = match summary.is_empty() {
        false => format!("Validation failed: {}", summary.join("; ")),
        true => problem.get("title").string().unwrap_or_else(|| "One or more validation errors occurred.".to_string()),
    };
    DocSpaceError::http(status, message).with_details(details)
}

fn status_error(status: u16) -> DocSpaceError {
    DocSpaceError::http(status, default_message(status))
}

fn with_retry_after(mut error: DocSpaceError, retry_after: Option<f64>) -> DocSpaceError {
    if error.status == Some(429) {
        error.retry_after = retry_after;
        if let Some(seconds) = retry_after {
            error.message = format!("{} (retry after {} s)", error.message, crate::text::number(seconds));
        }
    }
    error
}

/// What a status means for a caller of these endpoints, when the portal said nothing more
/// (401 and scope 403s come with an empty body, contract §3.5).
pub fn default_message(status: u16) -> String {
    match status {
        400 => "Bad request".to_string(),
        401 => "Unauthorized: the portal did not accept the token or password".to_string(),
        403 => "Forbidden: these credentials may not do this (changes need the *:write scope)".to_string(),
        404 => "Not found (is baseUrl the portal root, and does the id exist?)".to_string(),
        413 => "Payload too large".to_string(),
        429 => "Too many requests".to_string(),
        500..=599 => format!("The portal failed with HTTP {status}"),
        _ => format!("HTTP {status}"),
    }
}

fn describe_type(content_type: &str) -> String {
    match content_type.split(';').next().map(str::trim) {
        Some(kind) if !kind.is_empty() => kind.to_string(),
        _ => "a non-JSON body".to_string(),
    }
}

/// Parses `Retry-After` as delta-seconds or an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`),
/// given the current time in ms since the epoch. Returns seconds to wait (never negative).
pub fn parse_retry_after(value: &str, now_ms: f64) -> Option<f64> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(seconds as f64);
    }
    let at_ms = parse_imf_fixdate(value)?;
    Some(((at_ms - now_ms) / 1000.0).ceil().max(0.0))
}

fn parse_imf_fixdate(value: &str) -> Option<f64> {
    let mut parts = value.split_whitespace();
    let (_weekday, day, month, year, time, zone) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if zone != "GMT" || parts.next().is_some() {
        return None;
    }
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let month = MONTHS.iter().position(|m| *m == month)? as i64 + 1;
    let day: i64 = day.parse().ok().filter(|d| (1..=31).contains(d))?;
    let year: i64 = year.parse().ok().filter(|y| (1970..=9999).contains(y))?;
    let mut hms = time.split(':').map(|part| part.parse::<i64>().ok());
    let (h, m, s) = (hms.next()??, hms.next()??, hms.next()??);
    if hms.next().is_some() || h > 23 || m > 59 || s > 60 {
        return None;
    }
    Some(((crate::time::days_from_civil(year, month, day) * 86_400 + h * 3600 + m * 60 + s) * 1000) as f64)
}

// ---- Writing the same shapes (the stand-in portal answers with these). ----

/// `links[0]` of every envelope.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Link {
    pub href: String,
    pub action: String,
}

/// The success envelope; `total` only on the log endpoint.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SuccessEnvelope<T> {
    pub response: T,
    pub count: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
    pub links: Vec<Link>,
    pub status: u8,
    pub status_code: u16,
}

/// The exception envelope. Nulls are written here (the server's minimal-API serializer).
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ErrorEnvelope {
    pub error: ApiError,
    pub status: u8,
    pub status_code: u16,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct ApiError {
    pub message: String,
    #[serde(rename = "type")]
    pub type_name: Option<String>,
    pub stack: Option<String>,
    pub hresult: i64,
}

/// ASP.NET's `ValidationProblemDetails`, the `response` of a model-validation 400.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ValidationProblem {
    #[serde(rename = "type")]
    pub type_uri: String,
    pub title: String,
    pub status: u16,
    #[serde(serialize_with = "field_errors_as_map")]
    pub errors: FieldErrors,
    pub trace_id: String,
}

impl ValidationProblem {
    pub fn new(errors: FieldErrors, trace_id: String) -> Self {
        ValidationProblem {
            type_uri: "https://tools.ietf.org/html/rfc9110#section-15.5.1".to_string(),
            title: "One or more validation errors occurred.".to_string(),
            status: 400,
            errors,
            trace_id,
        }
    }
}

fn field_errors_as_map<S: Serializer>(errors: &FieldErrors, serializer: S) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(errors.len()))?;
    for (field, messages) in errors {
        map.serialize_entry(field, messages)?;
    }
    map.end()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::view::Plain;

    fn json(text: &str) -> Body<Plain> {
        Body::Json(serde_json::from_str(text).unwrap())
    }

    #[test]
    fn success_unwraps_response_and_total() {
        let ok = decode(
            200,
            json(r#"{"response":[{"id":1}],"count":1,"total":57,"links":[],"status":0,"statusCode":200}"#),
            None,
        )
        .unwrap();
        assert_eq!(ok.response.len(), 1);
        assert_eq!(ok.total, Some(57.0));
        let no_total =
            decode(200, json(r#"{"response":{"id":7},"count":1,"status":0,"statusCode":200}"#), None).unwrap();
        assert_eq!(no_total.total, None);
        assert_eq!(no_total.response.get("id"), Plain::Number(7.0));
    }

    #[test]
    fn exception_envelopes_carry_the_server_message() {
        let body = r#"{"error":{"message":"Access denied","type":"System.Security.SecurityException","stack":"at …","hresult":-2146233078},"status":1,"statusCode":403}"#;
        let err = decode(403, json(body), None).unwrap_err();
        assert_eq!((err.kind, err.status, err.message.as_str()), (ErrorKind::Http, Some(403), "Access denied"));
        // An error envelope inside a 200 is still an error, with the envelope's status.
        let err = decode(200, json(body), None).unwrap_err();
        assert_eq!((err.kind, err.status), (ErrorKind::Http, Some(403)));
        let err = decode(
            404,
            json(r#"{"error":{"message":null,"type":null,"stack":null,"hresult":0},"status":1,"statusCode":404}"#),
            None,
        )
        .unwrap_err();
        assert!(err.message.starts_with("Not found"), "{}", err.message);
    }

    #[test]
    fn validation_problems_become_field_details() {
        let body = r#"{"response":{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.1","title":"One or more validation errors occurred.","status":400,
            "errors":{"Name":["The Name field is required."],"Uri":["The Uri field is required.","Bad."]},"traceId":"00-1-2-00"},
            "count":1,"links":[],"status":1,"statusCode":400}"#;
        let err = decode(400, json(body), None).unwrap_err();
        assert_eq!(err.status, Some(400));
        assert_eq!(
            err.message,
            "Validation failed: Name: The Name field is required.; Uri: The Uri field is required. Bad."
        );
        assert_eq!(
            err.details,
            Some(vec![
                ("Name".into(), vec!["The Name field is required.".into()]),
                ("Uri".into(), vec!["The Uri field is required.".into(), "Bad.".into()]),
            ])
        );
        let empty = r#"{"response":{"title":"Oops.","status":400,"errors":{}},"status":1,"statusCode":400}"#;
        assert_eq!(decode(400, json(empty), None).unwrap_err().message, "Oops.");
    }

    #[test]
    fn empty_and_foreign_bodies() {
        let err = decode::<Plain>(401, Body::Empty, None).unwrap_err();
        assert_eq!((err.kind, err.status), (ErrorKind::Http, Some(401)));
        assert!(err.message.starts_with("Unauthorized"));
        let err = decode::<Plain>(200, Body::Empty, None).unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidResponse);
        let html =
            Body::NotJson { excerpt: "<html>proxy</html>".into(), content_type: "text/html; charset=utf-8".into() };
        let err = decode::<Plain>(200, html, None).unwrap_err();
        assert_eq!(err.message, "expected a JSON envelope, got text/html: <html>proxy</html>");
        let err =
            decode::<Plain>(502, Body::NotJson { excerpt: "bad gateway".into(), content_type: String::new() }, None)
                .unwrap_err();
        assert_eq!((err.kind, err.message.as_str()), (ErrorKind::Http, "The portal failed with HTTP 502"));
        let err = decode(200, json("[1,2]"), None).unwrap_err();
        assert_eq!(err.message, "expected a DocSpace API envelope (a JSON object), got an array");
        let err = decode(200, json(r#"{"items":[]}"#), None).unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidResponse);
        let err = decode(500, json(r#"{"weird":true}"#), None).unwrap_err();
        assert_eq!((err.kind, err.status), (ErrorKind::Http, Some(500)));
    }

    #[test]
    fn rate_limits_carry_retry_after() {
        let err = decode::<Plain>(429, Body::Empty, Some(12.0)).unwrap_err();
        assert_eq!((err.status, err.retry_after), (Some(429), Some(12.0)));
        assert_eq!(err.message, "Too many requests (retry after 12 s)");
        assert_eq!(decode::<Plain>(500, Body::Empty, Some(3.0)).unwrap_err().retry_after, None);
    }

    #[test]
    fn retry_after_parses_seconds_and_http_dates() {
        assert_eq!(parse_retry_after(" 120 ", 0.0), Some(120.0));
        let at = parse_imf_fixdate("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(at, 784_111_777_000.0);
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", at - 4_500.0), Some(5.0));
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", at + 60_000.0), Some(0.0));
        for bad in [
            "",
            "-1",
            "soon",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 25:00:00 GMT",
            "Sun, 06 Nov 1994 08:49:37 PST",
        ] {
            assert_eq!(parse_retry_after(bad, 0.0), None, "{bad}");
        }
    }

    #[test]
    fn written_shapes_match_the_contract() {
        let ok = SuccessEnvelope {
            response: vec![1],
            count: 1,
            total: Some(3),
            links: vec![Link { href: "http://h/api/2.0/settings/webhooks/log".into(), action: "GET".into() }],
            status: 0,
            status_code: 200,
        };
        assert_eq!(
            serde_json::to_string(&ok).unwrap(),
            r#"{"response":[1],"count":1,"total":3,"links":[{"href":"http://h/api/2.0/settings/webhooks/log","action":"GET"}],"status":0,"statusCode":200}"#
        );
        let err = ErrorEnvelope {
            error: ApiError { message: "Unauthorized".into(), type_name: None, stack: None, hresult: 0 },
            status: 1,
            status_code: 401,
        };
        assert_eq!(
            serde_json::to_string(&err).unwrap(),
            r#"{"error":{"message":"Unauthorized","type":null,"stack":null,"hresult":0},"status":1,"statusCode":401}"#
        );
        let problem = ValidationProblem::new(
            vec![("Name".into(), vec!["The Name field is required.".into()])],
            "00-a-b-00".into(),
        );
        let text = serde_json::to_string(&problem).unwrap();
        assert!(text.contains(r#""errors":{"Name":["The Name field is required."]}"#), "{text}");
        // What we write, we read back as the same error.
        let envelope = format!(r#"{{"response":{text},"count":1,"links":[],"status":1,"statusCode":400}}"#);
        let back = decode(400, json(&envelope), None).unwrap_err();
        assert_eq!(back.details, Some(problem.errors));
    }
}
