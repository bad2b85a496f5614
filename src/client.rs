//! The operations of `WebhooksClient`: turning validated input into an [`HttpRequest`] and a
//! decoded envelope into the value the caller gets. No JS types here; the transport runs the
//! request, `lib.rs` exposes the methods.

use crate::error::DocSpaceError;
use crate::input::{self, Result};
use crate::model::{EnableBody, RetryBody, TriggerInfo, WebhookBody};
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
    input::expect_object(options, "options", "{ signal, timeoutMs }")?;
    input::reject_unknown_keys(options, "options", &CALL_OPTION_NAMES)?;
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

/// The fields a webhook input may have; `id` only on update.
pub const WEBHOOK_FIELDS: [&str; 7] = ["name", "uri", "secretKey", "enabled", "ssl", "triggers", "targetId"];
pub const UPDATE_FIELDS: [&str; 8] = ["id", "name", "uri", "secretKey", "enabled", "ssl", "triggers", "targetId"];

/// Server limits (contract §7.1, §9): `[StringLength]` on name and targetId; the default
/// password policy wants a secret of 8 to 30 printable, non-space ASCII characters.
pub const NAME_MAX: usize = 50;
pub const TARGET_ID_MAX: usize = 255;
pub const SECRET_MIN: usize = 8;
pub const SECRET_MAX: usize = 30;
pub const URI_MAX: usize = 2048;

const WEBHOOK_EXAMPLE: &str = "{ name, uri, secretKey, triggers }";

/// `POST settings/webhook`. `enabled` and `ssl` default to `true` here (the server's own
/// defaults are `false`); `triggers` is required, so "every event" is always said out loud.
pub fn create_webhook<V: View>(input: &V) -> Result<HttpRequest> {
    input::expect_object(input, "input", WEBHOOK_EXAMPLE)?;
    input::reject_unknown_keys(input, "input", &WEBHOOK_FIELDS)?;
    let name = input::req_string(&input.get("name"), "name", NAME_MAX)?;
    let ssl = input::opt_bool(&input.get("ssl"), "ssl")?.unwrap_or(true);
    let uri = receiver_url(&input.get("uri"), ssl)?;
    let secret_key = match secret(&input.get("secretKey"))? {
        Some(secret) => secret,
        None => {
            return Err(DocSpaceError::invalid_input(
                "secretKey",
                "is required: the portal signs every delivery with it (8 to 30 characters, no spaces)",
            ))
        }
    };
    let triggers = required_triggers(&input.get("triggers"))?;
    let body = WebhookBody {
        id: None,
        name,
        uri,
        secret_key: Some(secret_key),
        enabled: input::opt_bool(&input.get("enabled"), "enabled")?.unwrap_or(true),
        ssl,
        triggers,
        target_id: target_id(&input.get("targetId"))?,
    };
    Ok(with_body(Method::Post, routes::WEBHOOK, RequestBody::Webhook(body), false))
}

/// `PUT settings/webhook`: a full replace, as the server does it. Everything but `secretKey`
/// (omitted keeps the stored one) and `targetId` (omitted clears it) is required.
pub fn update_webhook<V: View>(input: &V) -> Result<HttpRequest> {
    input::expect_object(input, "input", "{ id, name, uri, enabled, ssl, triggers }")?;
    input::reject_unknown_keys(input, "input", &UPDATE_FIELDS)?;
    let id = input::id(&input.get("id"), "id")?;
    let ssl = input::req_bool(&input.get("ssl"), "ssl")?;
    let body = WebhookBody {
        id: Some(id),
        name: input::req_string(&input.get("name"), "name", NAME_MAX)?,
        uri: receiver_url(&input.get("uri"), ssl)?,
        secret_key: secret(&input.get("secretKey"))?,
        enabled: input::req_bool(&input.get("enabled"), "enabled")?,
        ssl,
        triggers: required_triggers(&input.get("triggers"))?,
        target_id: target_id(&input.get("targetId"))?,
    };
    Ok(with_body(Method::Put, routes::WEBHOOK, RequestBody::Webhook(body), true))
}

/// `patchWebhook`'s changes, checked in full before anything is read from the portal.
/// `None` leaves a field as it is; `target_id: Some(None)` clears the target.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WebhookChanges {
    pub name: Option<String>,
    pub uri: Option<String>,
    pub enabled: Option<bool>,
    pub ssl: Option<bool>,
    pub triggers: Option<u64>,
    pub target_id: Option<Option<String>>,
    pub secret_key: Option<String>,
}

pub fn parse_changes<V: View>(changes: &V) -> Result<WebhookChanges> {
    input::expect_object(changes, "changes", "{ name?, uri?, enabled?, ssl?, triggers?, targetId?, secretKey? }")?;
    input::reject_unknown_keys(changes, "changes", &WEBHOOK_FIELDS)?;
    let given = |key: &str| {
        let value = changes.get(key);
        (value.kind() != Kind::Undefined).then_some(value)
    };
    let parsed = WebhookChanges {
        name: given("name").map(|v| input::req_string(&v, "name", NAME_MAX)).transpose()?,
        // Whether https is needed depends on the merged `ssl`: checked again in `merge_patch`.
        uri: given("uri").map(|v| receiver_url(&v, false)).transpose()?,
        enabled: given("enabled").map(|v| input::req_bool(&v, "enabled")).transpose()?,
        ssl: given("ssl").map(|v| input::req_bool(&v, "ssl")).transpose()?,
        triggers: given("triggers").map(|v| required_triggers(&v)).transpose()?,
        target_id: given("targetId").map(|v| target_id(&v)).transpose()?,
        secret_key: given("secretKey").map(|v| secret(&v)).transpose()?.flatten(),
    };
    if parsed == WebhookChanges::default() {
        return Err(DocSpaceError::invalid_input("changes", "must change at least one field"));
    }
    Ok(parsed)
}

/// The update `patchWebhook` sends: the current webhook (as `getTenantWebhooks` returned it)
/// with the changes applied. The secret is sent only if the changes have one: the server never
/// returns it, and an omitted secret keeps the stored one.
pub fn merge_patch<V: View>(id: u32, current: &V, changes: WebhookChanges) -> Result<HttpRequest> {
    let stored = |key: &str| current.get(key);
    let name = match changes.name {
        Some(name) => name,
        None => stored_string(&stored("name"), "name")?,
    };
    let ssl = match changes.ssl {
        Some(ssl) => ssl,
        None => stored("ssl").boolean().ok_or_else(|| corrupt("ssl"))?,
    };
    let uri = match changes.uri {
        Some(uri) => receiver_url(&JsonText(uri), ssl)?,
        // A stored http URI with ssl newly switched on fails on the server, which says so.
        None => stored_string(&stored("uri"), "uri")?,
    };
    let enabled = match changes.enabled {
        Some(enabled) => enabled,
        None => stored("enabled").boolean().ok_or_else(|| corrupt("enabled"))?,
    };
    let triggers = match changes.triggers {
        Some(mask) => mask,
        None => stored("triggers")
            .number()
            .and_then(|n| crate::triggers::check_mask_number("triggers", n).ok())
            .ok_or_else(|| corrupt("triggers"))?,
    };
    let target_id = match changes.target_id {
        Some(target) => target,
        None => input::opt_string(&stored("targetId"), "targetId").map_err(|_| corrupt("targetId"))?,
    };
    let body =
        WebhookBody { id: Some(id), name, uri, secret_key: changes.secret_key, enabled, ssl, triggers, target_id };
    Ok(with_body(Method::Put, routes::WEBHOOK, RequestBody::Webhook(body), true))
}

/// A lone string seen through [`View`], to re-check an already parsed value.
struct JsonText(String);

impl View for JsonText {
    fn kind(&self) -> Kind {
        Kind::String
    }
    fn boolean(&self) -> Option<bool> {
        None
    }
    fn number(&self) -> Option<f64> {
        None
    }
    fn string(&self) -> Option<String> {
        Some(self.0.clone())
    }
    fn date_ms(&self) -> Option<f64> {
        None
    }
    fn get(&self, _key: &str) -> Self {
        JsonText(String::new())
    }
    fn keys(&self) -> Vec<String> {
        Vec::new()
    }
    fn len(&self) -> usize {
        0
    }
    fn at(&self, _index: usize) -> Self {
        JsonText(String::new())
    }
}

/// `PUT settings/webhook/enable`. The server types this body as the update DTO, so its
/// validation wants a non-empty `name` and `uri` besides `id` and `enabled`; it ignores them,
/// and we send the webhook's current ones so that nothing else could change even if it did not.
pub fn enable_webhook<V: View>(id: u32, current: &V, enabled: bool) -> Result<HttpRequest> {
    let body = EnableBody {
        id,
        name: stored_string(&current.get("name"), "name")?,
        uri: stored_string(&current.get("uri"), "uri")?,
        enabled,
    };
    Ok(with_body(Method::Put, routes::WEBHOOK_ENABLE, RequestBody::Enable(body), true))
}

/// `DELETE settings/webhook/{id}`. Retried like the other idempotent calls: if a lost answer
/// hid a successful first attempt, the retry ends in 404.
pub fn remove_webhook(id: u32) -> HttpRequest {
    HttpRequest { method: Method::Delete, ..HttpRequest::get(routes::webhook(id)) }
}

/// `PUT settings/webhook/{id}/retry`: redelivers one log record as a new record. Never
/// retried by the client (each call creates a row, and the route is rate-limited).
pub fn retry_webhook(log_id: u32) -> HttpRequest {
    HttpRequest { method: Method::Put, idempotent: false, ..HttpRequest::get(routes::webhook_retry(log_id)) }
}

/// `PUT settings/webhook/retry` with `{ids}`; duplicate ids are sent once.
pub fn retry_webhooks<V: View>(ids: &V) -> Result<HttpRequest> {
    if ids.kind() != Kind::Array {
        return Err(input::wrong_type("logIds", "an array of log record ids", ids.kind()));
    }
    if ids.is_empty() {
        return Err(DocSpaceError::invalid_input("logIds", "must not be empty"));
    }
    if ids.len() > input::MAX_LIST {
        return Err(input::too_long("logIds", ids.len()));
    }
    let mut unique = Vec::with_capacity(ids.len());
    for index in 0..ids.len() {
        let id = input::id(&ids.at(index), &format!("logIds[{index}]"))?;
        if !unique.contains(&id) {
            unique.push(id);
        }
    }
    Ok(with_body(Method::Put, routes::WEBHOOK_RETRY, RequestBody::Retry(RetryBody { ids: unique }), false))
}

/// The log filter's fields (contract §5.6).
pub const LOG_FILTER_FIELDS: [&str; 10] = [
    "deliveryFrom",
    "deliveryTo",
    "hookUri",
    "configId",
    "eventId",
    "groupStatus",
    "userId",
    "trigger",
    "count",
    "startIndex",
];

/// The log endpoint's page size limit (`[Range(1, 100)]`, also its default).
pub const MAX_PAGE: u32 = 100;

/// A validated log filter; `query()` renders it for one page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LogFilter {
    pub params: Vec<(&'static str, String)>,
    pub count: Option<u32>,
    pub start_index: u32,
}

impl LogFilter {
    /// The query of the page starting at `start_index`.
    pub fn query(&self, start_index: u32, count: Option<u32>) -> Vec<(&'static str, String)> {
        let mut query = self.params.clone();
        if let Some(count) = count {
            query.push(("count", count.to_string()));
        }
        if start_index > 0 {
            query.push(("startIndex", start_index.to_string()));
        }
        query
    }

    pub fn request(&self, start_index: u32, count: Option<u32>) -> HttpRequest {
        HttpRequest { query: self.query(start_index, count), ..HttpRequest::get(routes::WEBHOOKS_LOG) }
    }
}

pub fn parse_log_filter<V: View>(filter: &V) -> Result<LogFilter> {
    if filter.kind().is_absent() {
        return Ok(LogFilter::default());
    }
    input::expect_object(filter, "filter", "{ configId, groupStatus, deliveryFrom, count }")?;
    input::reject_unknown_keys(filter, "filter", &LOG_FILTER_FIELDS)?;
    let mut params = Vec::new();
    for key in ["deliveryFrom", "deliveryTo"] {
        if let Some(time) = log_time(&filter.get(key), &input::path("filter", key))? {
            params.push((key, time));
        }
    }
    if let (Some(from), Some(to)) = (param(&params, "deliveryFrom"), param(&params, "deliveryTo")) {
        if from > to {
            return Err(DocSpaceError::invalid_input("filter.deliveryTo", "must not be before deliveryFrom"));
        }
    }
    if let Some(uri) = input::opt_string(&filter.get("hookUri"), "filter.hookUri")? {
        if uri.is_empty() {
            return Err(DocSpaceError::invalid_input("filter.hookUri", "must not be empty"));
        }
        params.push(("hookUri", uri));
    }
    for key in ["configId", "eventId"] {
        let value = filter.get(key);
        if !value.kind().is_absent() {
            params.push((key, input::id(&value, &input::path("filter", key))?.to_string()));
        }
    }
    let group = filter.get("groupStatus");
    if !group.kind().is_absent() {
        let mask = crate::group_status::parse(&group, "filter.groupStatus")?;
        if mask != 0 {
            params.push(("groupStatus", mask.to_string()));
        }
    }
    if let Some(user) = input::opt_string(&filter.get("userId"), "filter.userId")? {
        if !is_guid(&user) {
            return Err(DocSpaceError::invalid_input(
                "filter.userId",
                "must be a user id (a GUID like 0ee7a0b2-6c5f-4b7e-9a43-9a2a1f1b2c3d)",
            ));
        }
        params.push(("userId", user));
    }
    let trigger = filter.get("trigger");
    if !trigger.kind().is_absent() {
        let bit = log_trigger(&trigger)?;
        if bit != 0 {
            params.push(("trigger", bit.to_string()));
        }
    }
    let count = input::opt_integer(&filter.get("count"), "filter.count", 1.0, f64::from(MAX_PAGE))?.map(|n| n as u32);
    let start_index = input::opt_integer(&filter.get("startIndex"), "filter.startIndex", 0.0, f64::from(i32::MAX))?
        .map(|n| n as u32)
        .unwrap_or(0);
    Ok(LogFilter { params, count, start_index })
}

fn param<'a>(params: &'a [(&'static str, String)], key: &str) -> Option<&'a str> {
    params.iter().find(|(k, _)| *k == key).map(|(_, v)| v.as_str())
}

/// A filter time: a `Date`, or an ISO-8601 string (UTC when it has no offset).
fn log_time<V: View>(value: &V, field: &str) -> Result<Option<String>> {
    let ms = match value.kind() {
        kind if kind.is_absent() => return Ok(None),
        Kind::Date => value
            .date_ms()
            .filter(|ms| crate::time::in_range(*ms))
            .ok_or_else(|| DocSpaceError::invalid_input(field, "must be a valid Date between 1970 and 9999"))?,
        Kind::String => {
            let text = value.string().unwrap_or_default();
            crate::time::parse_iso(&text).ok_or_else(|| {
                DocSpaceError::invalid_input(
                    field,
                    format!(
                        "must be a Date or an ISO-8601 time like \"2026-06-30T10:00:00Z\", got {}",
                        crate::text::quote(&text, 40)
                    ),
                )
            })?
        }
        other => return Err(input::wrong_type(field, "a Date or an ISO-8601 string", other)),
    };
    Ok(Some(crate::time::format_utc_wall_clock(ms)))
}

/// The log's `trigger` filter takes one event type: the server binds it to its (non-flags) enum,
/// so a combination of bits would be a 400.
fn log_trigger<V: View>(value: &V) -> Result<u64> {
    let field = "filter.trigger";
    let bit = match value.kind() {
        Kind::String | Kind::Number => input::triggers_mask(value, field)?,
        other => return Err(input::wrong_type(field, "one trigger name or bit", other)),
    };
    if bit != 0 && crate::triggers::by_bit(bit).is_none() {
        return Err(DocSpaceError::invalid_input(
            field,
            "filters by one event type; pass a single trigger, not a combination",
        ));
    }
    Ok(bit)
}

fn is_guid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn with_body(method: Method, path: &str, body: RequestBody, idempotent: bool) -> HttpRequest {
    HttpRequest { method, body: Some(body), idempotent, ..HttpRequest::get(path) }
}

fn required_triggers<V: View>(value: &V) -> Result<u64> {
    if value.kind().is_absent() {
        return Err(DocSpaceError::invalid_input(
            "triggers",
            "is required: a Trigger, a list of them, or \"All\" for every event",
        ));
    }
    input::triggers_mask(value, "triggers")
}

fn target_id<V: View>(value: &V) -> Result<Option<String>> {
    let target = input::opt_string(value, "targetId")?;
    if let Some(target) = &target {
        if target.trim().is_empty() {
            return Err(DocSpaceError::invalid_input(
                "targetId",
                "must not be empty; omit it (or pass null) for no target",
            ));
        }
        input::check_length(target, "targetId", TARGET_ID_MAX)?;
    }
    Ok(target)
}

/// A signing secret as the default password policy allows it. The value is never echoed.
fn secret<V: View>(value: &V) -> Result<Option<String>> {
    let Some(secret) = input::opt_string(value, "secretKey")? else {
        return Ok(None);
    };
    if secret.is_empty() {
        return Err(DocSpaceError::invalid_input(
            "secretKey",
            "must not be empty (omit it to keep the current secret)",
        ));
    }
    if !secret.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
        return Err(DocSpaceError::invalid_input(
            "secretKey",
            "must be printable ASCII without spaces (the portal's password policy)",
        ));
    }
    if secret.len() < SECRET_MIN {
        return Err(DocSpaceError::invalid_input(
            "secretKey",
            format!("must be at least {SECRET_MIN} characters (the portal's password policy), got {}", secret.len()),
        ));
    }
    if secret.len() > SECRET_MAX {
        return Err(DocSpaceError::invalid_input(
            "secretKey",
            format!("must be at most {SECRET_MAX} characters, got {}", secret.len()),
        ));
    }
    Ok(Some(secret))
}

/// The receiver's URL: absolute http(s); https when `ssl` (the server's "HTTPS is required").
/// Sent as given; private and loopback hosts are the server's to refuse. Forms that only serve
/// to make URL parsers disagree about the host (a backslash, `user@`, legacy numeric IPv4, an
/// IPv4 address inside IPv6, a percent-encoded host) are refused here: no receiver needs them.
pub fn receiver_url<V: View>(value: &V, ssl: bool) -> Result<String> {
    let uri = input::req_string(value, "uri", URI_MAX)?;
    if uri.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(DocSpaceError::invalid_input("uri", "must not contain spaces or control characters"));
    }
    let url = match crate::url::parse(&uri) {
        Ok(url) => url,
        Err(crate::url::UrlError::Scheme(scheme)) => {
            return Err(DocSpaceError::invalid_input(
                "uri",
                format!("must use http or https, got {}", crate::text::quote(&format!("{scheme}:"), 20)),
            ))
        }
        Err(crate::url::UrlError::Invalid("it has no host")) => {
            return Err(DocSpaceError::invalid_input("uri", "must include a host name"))
        }
        Err(crate::url::UrlError::Invalid("it has no scheme")) => {
            return Err(DocSpaceError::invalid_input(
                "uri",
                "must be an absolute http(s) URL like \"https://example.com/hooks/docspace\"",
            ))
        }
        Err(crate::url::UrlError::Invalid(reason)) => {
            return Err(DocSpaceError::invalid_input("uri", format!("is not a valid URL: {reason}")))
        }
    };
    let ambiguous = |reason: &str| Err(DocSpaceError::invalid_input("uri", reason.to_string()));
    if uri.contains('\\') {
        return ambiguous("must not contain a backslash: parsers disagree on where the host of such a URL ends");
    }
    if !uri.get(url.scheme.len()..).is_some_and(|rest| rest.starts_with("://")) {
        return Err(DocSpaceError::invalid_input(
            "uri",
            "must be an absolute http(s) URL like \"https://example.com/hooks/docspace\"",
        ));
    }
    if url.userinfo.is_some() {
        return ambiguous("must not contain user@ credentials: the portal would connect to the host after the last @");
    }
    match &url.host {
        crate::url::Host::V4(ip) if url.host_text != ip.to_string() => {
            return Err(DocSpaceError::invalid_input(
                "uri",
                format!(
                    "must write an IPv4 host in its usual dotted form ({ip}), got {}",
                    crate::text::quote(&url.host_text, 40)
                ),
            ))
        }
        crate::url::Host::V6(ip) if ip.to_ipv4_mapped().is_some() => {
            return ambiguous("must not wrap an IPv4 address in IPv6 ([::ffff:…]); write the IPv4 address itself")
        }
        crate::url::Host::Name(_) if url.host_text.contains('%') => {
            return ambiguous("must not percent-encode the host name")
        }
        _ => {}
    }
    if ssl && url.scheme != "https" {
        return Err(DocSpaceError::invalid_input("uri", "must use https while ssl is true (the server's \"HTTPS is required\"); pass ssl: false for a plain-http receiver"));
    }
    Ok(uri)
}

fn stored_string<V: View>(value: &V, field: &str) -> Result<String> {
    value.string().filter(|s| !s.is_empty()).ok_or_else(|| corrupt(field))
}

fn corrupt(field: &str) -> DocSpaceError {
    DocSpaceError::new(
        crate::error::ErrorKind::InvalidResponse,
        format!("the portal's copy of the webhook has no usable \"{field}\""),
    )
}

/// Finds webhook `id` in a `getTenantWebhooks` answer and returns its `configs`; the same 404
/// the server would give when this caller cannot see it.
pub fn find_webhook<V: View>(list: &V, id: u32) -> Result<V> {
    for index in 0..list.len() {
        let configs = list.at(index).get("configs");
        if configs.get("id").number() == Some(f64::from(id)) {
            return Ok(configs);
        }
    }
    Err(DocSpaceError::http(
        404,
        format!("The record could not be found: no webhook {id} is visible to these credentials"),
    ))
}

/// Checks that a single-object answer is an object.
pub fn expect_object_response<V: View>(response: V, what: &str) -> Result<V> {
    match response.kind() {
        Kind::Object => Ok(response),
        other => Err(DocSpaceError::new(
            crate::error::ErrorKind::InvalidResponse,
            format!("expected {what} as an object, got {}", other.describe()),
        )),
    }
}

/// Normalises the triggers list: v3.7+ answers `[{name, id, available}]`, v3.1–3.6 a map
/// `{"*": 0, "user.created": 1, …}` (contract §5.9).
pub fn decode_triggers<V: View>(response: &V) -> Result<Vec<TriggerInfo>> {
    let bad = |detail: String| {
        DocSpaceError::new(crate::error::ErrorKind::InvalidResponse, format!("unexpected triggers list: {detail}"))
    };
    let entry = |name: String, id: f64, available: Option<bool>| -> Result<TriggerInfo> {
        let id = crate::triggers::check_mask_number("id", id)
            .map_err(|_| bad(format!("{name} has id {}", crate::text::number(id))))?;
        let key =
            crate::triggers::by_name(&name).or_else(|| crate::triggers::by_bit(id)).map(|def| def.name.to_string());
        Ok(TriggerInfo { id, name, key, available })
    };
    match response.kind() {
        Kind::Array => (0..response.len())
            .map(|index| {
                let item = response.at(index);
                let name = item.get("name").string().ok_or_else(|| bad(format!("item {index} has no name")))?;
                let id = item.get("id").number().ok_or_else(|| bad(format!("item {index} has no numeric id")))?;
                entry(name, id, item.get("available").boolean())
            })
            .collect(),
        Kind::Object => response
            .keys()
            .into_iter()
            .map(|name| {
                let id = response.get(&name).number().ok_or_else(|| bad(format!("{name} is not a number")))?;
                entry(name, id, None)
            })
            .collect(),
        other => Err(bad(format!("got {}", other.describe()))),
    }
}

/// Walks the log page by page for `webhooksLogs()`: the next offset, and when to stop.
#[derive(Clone, Debug, PartialEq)]
pub struct LogPager {
    next_start: u32,
    page_size: u32,
    done: bool,
}

impl LogPager {
    pub fn new(filter: &LogFilter) -> Self {
        LogPager { next_start: filter.start_index, page_size: filter.count.unwrap_or(MAX_PAGE), done: false }
    }

    /// The next page's request, or `None` when every page was read.
    pub fn next_request(&self, filter: &LogFilter) -> Option<HttpRequest> {
        (!self.done).then(|| filter.request(self.next_start, Some(self.page_size)))
    }

    /// Records a page of `items` rows out of `total` matching ones.
    pub fn after_page(&mut self, items: usize, total: Option<f64>) {
        let items = u32::try_from(items).unwrap_or(u32::MAX);
        self.next_start = self.next_start.saturating_add(items);
        self.done = items == 0
            || match total {
                Some(total) => f64::from(self.next_start) >= total,
                None => items < self.page_size,
            };
    }

    pub fn finish(&mut self) {
        self.done = true;
    }
}

/// Checks that a list answer is an array of objects and hands it on unchanged: the caller gets
/// the server's own objects (no copy), which is what keeps the client as fast as a raw `fetch`.
pub fn expect_object_list<V: View>(response: V, what: &str) -> Result<V> {
    if response.kind() != Kind::Array {
        return Err(DocSpaceError::new(
            crate::error::ErrorKind::InvalidResponse,
            format!("expected {what} as an array, got {}", response.kind().describe()),
        ));
    }
    for index in 0..response.len() {
        let kind = response.at(index).kind();
        if kind != Kind::Object {
            return Err(DocSpaceError::new(
                crate::error::ErrorKind::InvalidResponse,
                format!("expected {what}[{index}] to be an object, got {}", kind.describe()),
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
    fn receiver_urls_that_parsers_read_differently_are_refused() {
        for (form, reason) in [
            ("http://127.0.0.1:9\\@93.184.216.34/", "must not contain a backslash"),
            ("http:\\\\hooks.example.com/in", "must not contain a backslash"),
            ("http://93.184.216.34@127.0.0.1/", "must not contain user@ credentials"),
            ("https://user:pass@hooks.example.com/", "must not contain user@ credentials"),
            ("http://0x7f000001/", "must write an IPv4 host in its usual dotted form (127.0.0.1), got \"0x7f000001\""),
            ("http://2130706433/", "usual dotted form"),
            ("http://0177.0.0.1/", "usual dotted form"),
            ("http://127.1/", "usual dotted form"),
            ("http://127.0.0.1./", "usual dotted form"),
            ("http://%31%32%37.0.0.1/", "usual dotted form"),
            ("http://%68ooks.example.com/", "must not percent-encode the host name"),
            ("http://[::ffff:127.0.0.1]/", "must not wrap an IPv4 address in IPv6"),
            ("http:hooks.example.com/in", "must be an absolute http(s) URL"),
            ("http://h:99999/", "is not a valid URL: its port is out of range"),
        ] {
            let err = receiver_url(&Plain::str(form), false).unwrap_err();
            assert!(err.message.starts_with("uri: ") && err.message.contains(reason), "{form}: {}", err.message);
        }
        // Plain forms pass: whether a loopback receiver is allowed is the portal's decision.
        for fine in
            ["http://127.0.0.1:9/in", "http://[::1]:9/", "http://localhost/x", "https://HOOKS.example.com/a\u{e4}"]
        {
            assert_eq!(receiver_url(&Plain::str(fine), false).unwrap(), fine);
        }
    }

    #[test]
    fn secrets_follow_the_default_password_policy() {
        assert!(secret(&Plain::str("S3cret-Key!")).unwrap().is_some());
        let short = secret(&Plain::str("abc")).unwrap_err();
        assert_eq!(short.message, "secretKey: must be at least 8 characters (the portal's password policy), got 3");
        assert!(secret(&Plain::str(&"k".repeat(31))).is_err());
        assert_eq!(secret(&Plain::Undefined).unwrap(), None);
    }

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

    #[test]
    fn lists_must_be_arrays_of_objects() {
        assert!(expect_object_list(json(r#"[{"configs":{}}]"#), "webhooks").is_ok());
        assert_eq!(
            expect_object_list(json(r#"{}"#), "webhooks").unwrap_err().message,
            "expected webhooks as an array, got an object"
        );
        assert_eq!(
            expect_object_list(json(r#"[{}, 3]"#), "webhooks").unwrap_err().message,
            "expected webhooks[1] to be an object, got a number"
        );
    }
    fn body(req: &HttpRequest) -> String {
        serde_json::to_string(req.body.as_ref().unwrap()).unwrap()
    }

    #[test]
    fn create_sends_numeric_triggers_and_explicit_defaults() {
        let req = create_webhook(&json(r#"{"name":"Files","uri":"https://hooks.example.com/x?k=1","secretKey":"S3cret-Key!","triggers":["FileUploaded","RoomCreated"]}"#)).unwrap();
        assert_eq!((req.method, req.path.as_str(), req.idempotent), (Method::Post, "/api/2.0/settings/webhook", false));
        assert_eq!(
            body(&req),
            r#"{"name":"Files","uri":"https://hooks.example.com/x?k=1","secretKey":"S3cret-Key!","enabled":true,"ssl":true,"triggers":4194560}"#
        );
        let req = create_webhook(&json(r#"{"name":"All","uri":"http://10.0.0.5/in","secretKey":"abcdefgh","triggers":"All","ssl":false,"enabled":false,"targetId":"42"}"#)).unwrap();
        assert_eq!(
            body(&req),
            r#"{"name":"All","uri":"http://10.0.0.5/in","secretKey":"abcdefgh","enabled":false,"ssl":false,"triggers":0,"targetId":"42"}"#
        );
    }

    #[test]
    fn bad_create_input_names_the_field_and_never_echoes_the_secret() {
        let base = r#""name":"n","uri":"https://h/x","secretKey":"abcdefgh","triggers":"All""#;
        let cases = [
            ("null".to_string(), "input: must be an object"),
            (format!("{{{base},\"extra\":1}}"), "input.extra: unknown option"),
            (r#"{"uri":"https://h","secretKey":"abcdefgh","triggers":"All"}"#.to_string(), "name: is required"),
            (
                format!(r#"{{"name":"{}","uri":"https://h","secretKey":"abcdefgh","triggers":"All"}}"#, "n".repeat(51)),
                "name: must be at most 50 characters",
            ),
            (r#"{"name":"n","secretKey":"abcdefgh","triggers":"All"}"#.to_string(), "uri: is required"),
            (
                r#"{"name":"n","uri":"ftp://h","secretKey":"abcdefgh","triggers":"All"}"#.to_string(),
                "uri: must use http or https",
            ),
            (
                r#"{"name":"n","uri":"http://h","secretKey":"abcdefgh","triggers":"All"}"#.to_string(),
                "uri: must use https while ssl is true",
            ),
            (
                r#"{"name":"n","uri":"https://","secretKey":"abcdefgh","triggers":"All"}"#.to_string(),
                "uri: must include a host name",
            ),
            (r#"{"name":"n","uri":"https://h","triggers":"All"}"#.to_string(), "secretKey: is required"),
            (
                r#"{"name":"n","uri":"https://h","secretKey":"has space!","triggers":"All"}"#.to_string(),
                "secretKey: must be printable ASCII",
            ),
            (
                format!(r#"{{"name":"n","uri":"https://h","secretKey":"{}","triggers":"All"}}"#, "k".repeat(31)),
                "secretKey: must be at most 30",
            ),
            (r#"{"name":"n","uri":"https://h","secretKey":"abcdefgh"}"#.to_string(), "triggers: is required"),
            (
                r#"{"name":"n","uri":"https://h","secretKey":"abcdefgh","triggers":"FileUpload"}"#.to_string(),
                "triggers: unknown trigger \"FileUpload\"; did you mean",
            ),
            (
                r#"{"name":"n","uri":"https://h","secretKey":"abcdefgh","triggers":[]}"#.to_string(),
                "triggers: an empty trigger list",
            ),
            (
                r#"{"name":"n","uri":"https://h","secretKey":"abcdefgh","triggers":"All","targetId":""}"#.to_string(),
                "targetId: must not be empty",
            ),
            (
                r#"{"name":"n","uri":"https://h","secretKey":"abcdefgh","triggers":"All","enabled":"yes"}"#.to_string(),
                "enabled: must be a boolean",
            ),
        ];
        for (input, expected) in cases {
            let err = create_webhook(&json(&input)).unwrap_err();
            assert_eq!(err.kind, crate::error::ErrorKind::InvalidInput);
            assert!(err.message.starts_with(expected), "{input}: {}", err.message);
            assert!(!err.message.contains("has space") && !err.message.contains("kkkk"), "{}", err.message);
        }
    }

    #[test]
    fn update_is_a_full_replace() {
        let req =
            update_webhook(&json(r#"{"id":7,"name":"n","uri":"https://h","enabled":true,"ssl":true,"triggers":384}"#))
                .unwrap();
        assert_eq!((req.method, req.idempotent), (Method::Put, true));
        assert_eq!(body(&req), r#"{"id":7,"name":"n","uri":"https://h","enabled":true,"ssl":true,"triggers":384}"#);
        let err =
            update_webhook(&json(r#"{"id":7,"name":"n","uri":"https://h","ssl":true,"triggers":384}"#)).unwrap_err();
        assert_eq!(err.message, "enabled: is required (true or false)");
        let err = update_webhook(&json(r#"{"name":"n","uri":"https://h","enabled":true,"ssl":true,"triggers":384}"#))
            .unwrap_err();
        assert!(err.message.starts_with("id: is required"));
    }

    #[test]
    fn patch_merges_onto_the_current_webhook_and_keeps_the_secret() {
        let current = json(
            r#"{"id":7,"name":"Old","uri":"https://h/old","enabled":true,"ssl":true,"triggers":384,"targetId":"42","createdOn":"x"}"#,
        );
        let patch = |changes: &str| parse_changes(&json(changes)).and_then(|c| merge_patch(7, &current, c));
        assert_eq!(
            body(&patch(r#"{"name":"New"}"#).unwrap()),
            r#"{"id":7,"name":"New","uri":"https://h/old","enabled":true,"ssl":true,"triggers":384,"targetId":"42"}"#
        );
        assert_eq!(
            body(&patch(r#"{"targetId":null,"triggers":"FolderDownloaded","secretKey":"n3w-secret"}"#).unwrap()),
            r#"{"id":7,"name":"Old","uri":"https://h/old","secretKey":"n3w-secret","enabled":true,"ssl":true,"triggers":34359738368}"#
        );
        assert_eq!(patch("{}").unwrap_err().message, "changes: must change at least one field");
        assert_eq!(patch(r#"{"name":null}"#).unwrap_err().message, "name: is required");
        assert!(patch(r#"{"uri":"http://h"}"#).unwrap_err().message.starts_with("uri: must use https"));
        assert!(patch(r#"{"uri":"http://h","ssl":false}"#).is_ok());
        assert!(parse_changes(&json(r#"{"triggers":"Nope"}"#)).is_err(), "checked before anything is read");
        let broken = json(r#"{"id":7,"uri":"https://h"}"#);
        let changes = parse_changes(&json(r#"{"enabled":false}"#)).unwrap();
        assert_eq!(merge_patch(7, &broken, changes).unwrap_err().kind, crate::error::ErrorKind::InvalidResponse);
    }

    #[test]
    fn enable_sends_what_the_servers_validation_needs() {
        let current = json(r#"{"id":7,"name":"Prod","uri":"https://h/in","enabled":false,"ssl":true,"triggers":0}"#);
        let req = enable_webhook(7, &current, true).unwrap();
        assert_eq!((req.path.as_str(), req.idempotent), ("/api/2.0/settings/webhook/enable", true));
        assert_eq!(body(&req), r#"{"id":7,"name":"Prod","uri":"https://h/in","enabled":true}"#);
    }

    #[test]
    fn find_webhook_reports_the_servers_404() {
        let list = json(r#"[{"configs":{"id":7,"name":"a"},"status":0},{"configs":{"id":9,"name":"b"},"status":200}]"#);
        assert_eq!(find_webhook(&list, 9).unwrap().get("name"), Plain::str("b"));
        let err = find_webhook(&list, 8).unwrap_err();
        assert_eq!((err.kind, err.status), (crate::error::ErrorKind::Http, Some(404)));
    }

    #[test]
    fn delete_and_retries() {
        let req = remove_webhook(7);
        assert_eq!(
            (req.method, req.path.as_str(), req.idempotent),
            (Method::Delete, "/api/2.0/settings/webhook/7", true)
        );
        let req = retry_webhook(1234);
        assert_eq!(
            (req.method, req.path.as_str(), req.idempotent),
            (Method::Put, "/api/2.0/settings/webhook/1234/retry", false)
        );
        let req = retry_webhooks(&json("[3, 1, 3, 2]")).unwrap();
        assert_eq!(
            (req.path.as_str(), body(&req), req.idempotent),
            ("/api/2.0/settings/webhook/retry", r#"{"ids":[3,1,2]}"#.to_string(), false)
        );
        assert_eq!(retry_webhooks(&json("[]")).unwrap_err().message, "logIds: must not be empty");
        assert!(retry_webhooks(&json("[1, 0]")).unwrap_err().message.starts_with("logIds[1]: must be an integer"));
        assert!(retry_webhooks(&json("7")).unwrap_err().message.starts_with("logIds: must be an array"));
    }

    #[test]
    fn log_filters_encode_like_the_contract() {
        let filter = parse_log_filter(&json(
            r#"{"configId":7,"groupStatus":["Status4xx","Status5xx"],"deliveryFrom":"2026-06-30T12:00:00+02:00","deliveryTo":"2026-07-01","trigger":"file.created","userId":"0ee7a0b2-6c5f-4b7e-9a43-9a2a1f1b2c3d","hookUri":"https://h/in","count":25,"startIndex":50}"#,
        ))
        .unwrap();
        let query = filter.query(filter.start_index, filter.count);
        let rendered: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert_eq!(
            rendered,
            [
                "deliveryFrom=2026-06-30T10:00:00.000",
                "deliveryTo=2026-07-01T00:00:00.000",
                "hookUri=https://h/in",
                "configId=7",
                "groupStatus=24",
                "userId=0ee7a0b2-6c5f-4b7e-9a43-9a2a1f1b2c3d",
                "trigger=128",
                "count=25",
                "startIndex=50"
            ]
        );
        let date = Plain::object([("deliveryFrom", Plain::Date(1_782_813_600_000.0))]);
        assert_eq!(
            parse_log_filter(&date).unwrap().params,
            vec![("deliveryFrom", "2026-06-30T10:00:00.000".to_string())]
        );
        assert_eq!(parse_log_filter(&Plain::Undefined).unwrap(), LogFilter::default());
        assert!(parse_log_filter(&json(r#"{"groupStatus":0,"trigger":"All"}"#)).unwrap().params.is_empty());
    }

    #[test]
    fn bad_log_filters_name_the_field() {
        let cases = [
            (r#"{"count":0}"#, "filter.count: must be an integer from 1 to 100"),
            (r#"{"count":101}"#, "filter.count: must be an integer from 1 to 100"),
            (r#"{"startIndex":-1}"#, "filter.startIndex: must be an integer from 0"),
            (r#"{"configId":"7"}"#, "filter.configId: must be an integer, got a string"),
            (r#"{"eventId":1.5}"#, "filter.eventId: must be an integer from 1"),
            (r#"{"deliveryFrom":"yesterday"}"#, "filter.deliveryFrom: must be a Date or an ISO-8601 time"),
            (r#"{"deliveryFrom":5}"#, "filter.deliveryFrom: must be a Date or an ISO-8601 string, got a number"),
            (
                r#"{"deliveryFrom":"2026-07-02","deliveryTo":"2026-07-01"}"#,
                "filter.deliveryTo: must not be before deliveryFrom",
            ),
            (r#"{"groupStatus":"5xx"}"#, "filter.groupStatus: unknown group status"),
            (r#"{"trigger":384}"#, "filter.trigger: filters by one event type"),
            (r#"{"trigger":["FileCreated"]}"#, "filter.trigger: must be one trigger name or bit, got an array"),
            (r#"{"userId":"me"}"#, "filter.userId: must be a user id"),
            (r#"{"hookUri":""}"#, "filter.hookUri: must not be empty"),
            (r#"{"config":7}"#, "filter.config: unknown option; did you mean \"configId\"?"),
            (r#"[]"#, "filter: must be an object"),
        ];
        for (input, expected) in cases {
            let err = parse_log_filter(&json(input)).unwrap_err();
            assert!(err.message.starts_with(expected), "{input}: {}", err.message);
        }
        let invalid_date = Plain::object([("deliveryTo", Plain::Date(f64::NAN))]);
        assert!(parse_log_filter(&invalid_date)
            .unwrap_err()
            .message
            .starts_with("filter.deliveryTo: must be a valid Date"));
    }

    #[test]
    fn the_pager_stops_at_total_or_a_short_page() {
        let filter = parse_log_filter(&json(r#"{"count":2,"configId":7}"#)).unwrap();
        let mut pager = LogPager::new(&filter);
        let first = pager.next_request(&filter).unwrap();
        assert_eq!(first.query, vec![("configId", "7".to_string()), ("count", "2".to_string())]);
        pager.after_page(2, Some(5.0));
        assert_eq!(pager.next_request(&filter).unwrap().query.last(), Some(&("startIndex", "2".to_string())));
        pager.after_page(2, Some(5.0));
        pager.after_page(1, Some(5.0));
        assert!(pager.next_request(&filter).is_none());
        let mut unknown_total = LogPager::new(&filter);
        unknown_total.after_page(1, None);
        assert!(unknown_total.next_request(&filter).is_none(), "a short page ends it");
        let mut empty = LogPager::new(&filter);
        empty.after_page(0, Some(10.0));
        assert!(empty.next_request(&filter).is_none(), "an empty page ends it even if total says more");
    }

    #[test]
    fn triggers_normalise_both_server_shapes() {
        let v37 = json(
            r#"[{"name":"*","id":0,"available":true},{"name":"user.created","id":1,"available":false},{"name":"agent.deleted","id":8589934592,"available":true},{"name":"future.thing","id":68719476736,"available":true}]"#,
        );
        let list = decode_triggers(&v37).unwrap();
        assert_eq!(list[0], TriggerInfo { id: 0, name: "*".into(), key: Some("All".into()), available: Some(true) });
        assert_eq!(list[2].key.as_deref(), Some("AgentDeleted"));
        assert_eq!((list[3].key.clone(), list[3].id), (None, 1 << 36));
        let v36 = json(r#"{"*":0,"user.created":1,"room.copied":134217728}"#);
        let list = decode_triggers(&v36).unwrap();
        assert_eq!(list.len(), 3);
        assert_eq!(
            list[2],
            TriggerInfo {
                id: 134_217_728,
                name: "room.copied".into(),
                key: Some("RoomCopied".into()),
                available: None
            }
        );
        assert!(decode_triggers(&json(r#"[{"name":"x"}]"#)).is_err());
        assert!(decode_triggers(&json(r#""nope""#)).is_err());
    }
}
