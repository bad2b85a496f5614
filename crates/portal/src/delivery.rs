//! Building what the portal POSTs (contract §8.3) and the pieces of its delivery loop that do
//! not need I/O: the retry fields of later attempts, .NET's JSON escaping, failure texts.

use super::state::Config;
use crate::time::format_iso_seconds;
use crate::triggers::{self, TriggerDef};
use serde_json::{json, Map, Value};

/// `webhooks:repeatcount`: retries after the first attempt (6 attempts in all).
pub const REPEAT_COUNT: u32 = 5;
/// Polly's exponential backoff base: 1, 2, 4, 8, 16 s.
pub const BASE_DELAY_MS: f64 = 1000.0;
/// `webhooks:trustedDaysCount`: failing this long after the last success disables a webhook.
pub const TRUSTED_MS: f64 = 3.0 * 24.0 * 3600.0 * 1000.0;

/// The wait before attempt `next` (2 for the first retry), before `--time-scale`.
pub fn retry_delay_ms(next: u32) -> f64 {
    BASE_DELAY_MS * 2f64.powi(next.saturating_sub(2).min(30) as i32)
}

/// The payload stored with a new log row (its `event.id` is set at send time).
pub fn initial_payload(
    row_id: u32,
    now_ms: f64,
    actor: &str,
    def: &TriggerDef,
    data: &Value,
    config: &Config,
    target: Option<&str>,
) -> Value {
    let mut event = Map::new();
    event.insert("id".into(), json!(row_id));
    event.insert("createOn".into(), json!(format_iso_seconds(now_ms)));
    event.insert("createBy".into(), json!(actor));
    event.insert("trigger".into(), json!(def.dotted));
    if def.bit != 0 {
        event.insert("triggerId".into(), json!(def.bit));
    }
    let mut webhook = Map::new();
    webhook.insert("id".into(), json!(config.id));
    webhook.insert("name".into(), json!(config.name));
    webhook.insert("url".into(), json!(config.uri));
    webhook.insert("triggers".into(), json!(triggers::dotted_names(config.triggers)));
    if let (Some(target_id), Some(family)) = (config.target_id.as_deref().or(target), def.family()) {
        if config.target_id.is_some() {
            let id = target_id.parse::<i64>().map(Value::from).unwrap_or_else(|_| json!(target_id));
            webhook.insert("target".into(), json!({ "id": id, "type": family }));
        }
    }
    json!({ "event": event, "payload": data, "webhook": webhook })
}

/// Where the previous attempt left off, for the retry fields of the next.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RetryState {
    pub attempt: u32,
    pub previous_retry_on: Option<f64>,
    pub first_request: f64,
    pub last_failure: Option<String>,
}

/// The exact body of an attempt: the stored payload with `event.id` = the row id and, from the
/// second attempt on, `webhook.retryCount/retryOn/lastFailureOn/lastFailureContent/lastSuccessOn`.
pub fn attempt_body(stored: &str, row_id: u32, retry: &RetryState, now_ms: f64, last_success: Option<f64>) -> String {
    let mut payload: Value = serde_json::from_str(stored).unwrap_or_else(|_| {
        // A legacy row whose payload is not an envelope is wrapped (contract §8.3).
        json!({ "event": { "trigger": "*" }, "payload": stored, "webhook": {} })
    });
    if let Some(event) = payload.get_mut("event").and_then(Value::as_object_mut) {
        event.insert("id".into(), json!(row_id));
    }
    if let Some(webhook) = payload.get_mut("webhook").and_then(Value::as_object_mut) {
        for key in ["retryCount", "retryOn", "lastFailureOn", "lastFailureContent", "lastSuccessOn"] {
            webhook.remove(key);
        }
        if retry.attempt >= 2 {
            webhook.insert("retryCount".into(), json!(retry.attempt - 1));
            webhook.insert("retryOn".into(), json!(format_iso_seconds(now_ms)));
            let failed_at = retry.previous_retry_on.unwrap_or(retry.first_request);
            webhook.insert("lastFailureOn".into(), json!(format_iso_seconds(failed_at)));
            if let Some(content) = &retry.last_failure {
                webhook.insert("lastFailureContent".into(), json!(content));
            }
            if let Some(success) = last_success {
                // The server writes this DB value without an offset.
                let text = format_iso_seconds(success);
                webhook.insert("lastSuccessOn".into(), json!(text.trim_end_matches('Z')));
            }
        }
    }
    dotnet_escape(&payload.to_string())
}

/// System.Text.Json's default encoder: non-ASCII and HTML-sensitive characters as `\uXXXX`.
/// Outside strings JSON text is plain ASCII, so escaping the whole text is exact.
pub fn dotnet_escape(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if c.is_ascii() && !matches!(c, '<' | '>' | '&' | '\'' | '+' | '`') {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04X}"));
            }
        }
    }
    out
}

/// `HttpResponseMessage.EnsureSuccessStatusCode`'s message.
pub fn status_failure(status: u16, reason: &str) -> String {
    let reason = if reason.is_empty() { reason_phrase(status) } else { reason };
    format!("Response status code does not indicate success: {status} ({reason}).")
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        301 => "Moved Permanently",
        302 => "Found",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        413 => "Request Entity Too Large",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

/// Request or response headers as the log stores them: JSON `{"Name":["value"]}`.
pub fn headers_json(headers: &[(String, String)]) -> String {
    let mut map = Map::new();
    for (name, value) in headers {
        match map.get_mut(name).and_then(Value::as_array_mut) {
            Some(values) => values.push(json!(value)),
            None => {
                map.insert(name.clone(), json!([value]));
            }
        }
    }
    Value::Object(map).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(triggers: u64, target: Option<&str>) -> Config {
        Config {
            name: "Prod".into(),
            uri: "https://h/in".into(),
            triggers,
            target_id: target.map(str::to_string),
            ..Config::sample(7)
        }
    }

    #[test]
    fn payloads_follow_the_contract() {
        let def = triggers::by_name("FileCreated").unwrap();
        let at = crate::time::parse_iso("2026-06-30T10:13:11.900Z").unwrap();
        let payload = initial_payload(
            1234,
            at,
            "actor",
            def,
            &json!({"id": 42, "title": "a"}),
            &config(0, Some("42")),
            Some("42"),
        );
        assert_eq!(
            payload.to_string(),
            r#"{"event":{"id":1234,"createOn":"2026-06-30T10:13:11Z","createBy":"actor","trigger":"file.created","triggerId":128},"payload":{"id":42,"title":"a"},"webhook":{"id":7,"name":"Prod","url":"https://h/in","triggers":["*"],"target":{"id":42,"type":"file"}}}"#
        );
        let plain = initial_payload(1, at, "a", def, &json!({}), &config(384, None), None);
        assert_eq!(plain["webhook"]["triggers"], json!(["file.created", "file.uploaded"]));
        assert!(plain["webhook"].get("target").is_none());
    }

    #[test]
    fn later_attempts_carry_the_retry_fields() {
        let stored =
            r#"{"event":{"id":1,"trigger":"file.created","triggerId":128},"payload":{"t":"é<b>"},"webhook":{"id":7}}"#;
        let first = attempt_body(stored, 99, &RetryState { attempt: 1, ..Default::default() }, 0.0, None);
        assert_eq!(
            first,
            r#"{"event":{"id":99,"trigger":"file.created","triggerId":128},"payload":{"t":"\u00E9\u003Cb\u003E"},"webhook":{"id":7}}"#
        );
        let retry = RetryState {
            attempt: 3,
            previous_retry_on: Some(1000.0),
            first_request: 0.0,
            last_failure: Some("boom".into()),
        };
        let third: Value = serde_json::from_str(&attempt_body(stored, 99, &retry, 5000.0, Some(0.0))).unwrap();
        assert_eq!(third["webhook"]["retryCount"], 2);
        assert_eq!(third["webhook"]["retryOn"], "1970-01-01T00:00:05Z");
        assert_eq!(third["webhook"]["lastFailureOn"], "1970-01-01T00:00:01Z");
        assert_eq!(third["webhook"]["lastFailureContent"], "boom");
        assert_eq!(third["webhook"]["lastSuccessOn"], "1970-01-01T00:00:00");
    }

    #[test]
    fn schedule_and_texts() {
        let delays: Vec<f64> = (2..=6).map(retry_delay_ms).collect();
        assert_eq!(delays, [1000.0, 2000.0, 4000.0, 8000.0, 16000.0]);
        assert_eq!(
            status_failure(503, ""),
            "Response status code does not indicate success: 503 (Service Unavailable)."
        );
        assert_eq!(headers_json(&[("A".into(), "1".into()), ("A".into(), "2".into())]), r#"{"A":["1","2"]}"#);
        assert_eq!(dotnet_escape("😀+"), "\\uD83D\\uDE00\\u002B");
    }
}
