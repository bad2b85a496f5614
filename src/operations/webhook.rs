//! The webhook writes: create, update (a full replace), patch (read–merge–write), enable,
//! remove, and the two retry endpoints, with the field rules the server applies.

use super::{with_body, HttpRequest, Method, RequestBody};
use crate::error::{DocSpaceError, Result};
use crate::model::{EnableBody, RetryBody, WebhookBody};
use crate::routes;
use crate::validate;
use crate::view::{Kind, View};

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
    validate::expect_object(input, "input", WEBHOOK_EXAMPLE)?;
    validate::reject_unknown_keys(input, "input", &WEBHOOK_FIELDS)?;
    let name = validate::req_string(&input.get("name"), "name", NAME_MAX)?;
    let ssl = validate::opt_bool(&input.get("ssl"), "ssl")?.unwrap_or(true);
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
        enabled: validate::opt_bool(&input.get("enabled"), "enabled")?.unwrap_or(true),
        ssl,
        triggers,
        target_id: target_id(&input.get("targetId"))?,
    };
    Ok(with_body(Method::Post, routes::WEBHOOK, RequestBody::Webhook(body), false))
}

/// `PUT settings/webhook`: a full replace, as the server does it. Everything but `secretKey`
/// (omitted keeps the stored one) and `targetId` (omitted clears it) is required.
pub fn update_webhook<V: View>(input: &V) -> Result<HttpRequest> {
    validate::expect_object(input, "input", "{ id, name, uri, enabled, ssl, triggers }")?;
    validate::reject_unknown_keys(input, "input", &UPDATE_FIELDS)?;
    let id = validate::id(&input.get("id"), "id")?;
    let ssl = validate::req_bool(&input.get("ssl"), "ssl")?;
    let body = WebhookBody {
        id: Some(id),
        name: validate::req_string(&input.get("name"), "name", NAME_MAX)?,
        uri: receiver_url(&input.get("uri"), ssl)?,
        secret_key: secret(&input.get("secretKey"))?,
        enabled: validate::req_bool(&input.get("enabled"), "enabled")?,
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
    validate::expect_object(changes, "changes", "{ name?, uri?, enabled?, ssl?, triggers?, targetId?, secretKey? }")?;
    validate::reject_unknown_keys(changes, "changes", &WEBHOOK_FIELDS)?;
    let given = |key: &str| {
        let value = changes.get(key);
        (value.kind() != Kind::Undefined).then_some(value)
    };
    let parsed = WebhookChanges {
        name: given("name").map(|v| validate::req_string(&v, "name", NAME_MAX)).transpose()?,
        // Whether https is needed depends on the merged `ssl`: checked again in `merge_patch`.
        uri: given("uri").map(|v| receiver_url(&v, false)).transpose()?,
        enabled: given("enabled").map(|v| validate::req_bool(&v, "enabled")).transpose()?,
        ssl: given("ssl").map(|v| validate::req_bool(&v, "ssl")).transpose()?,
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
        Some(uri) => check_receiver_url(uri, ssl)?,
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
        None => validate::opt_string(&stored("targetId"), "targetId").map_err(|_| corrupt("targetId"))?,
    };
    let body =
        WebhookBody { id: Some(id), name, uri, secret_key: changes.secret_key, enabled, ssl, triggers, target_id };
    Ok(with_body(Method::Put, routes::WEBHOOK, RequestBody::Webhook(body), true))
}

/// What `patchWebhook` and `enableWebhook` make of a webhook's current state (as the list shows
/// it to these credentials).
#[derive(Clone, Debug, PartialEq)]
pub enum Rewrite {
    Patch(WebhookChanges),
    Enable(bool),
}

impl Rewrite {
    /// The write for webhook `id`, given its `current` state.
    pub fn request<V: View>(self, id: u32, current: &V) -> Result<HttpRequest> {
        match self {
            Rewrite::Patch(changes) => merge_patch(id, current, changes),
            Rewrite::Enable(enabled) => enable_webhook(id, current, enabled),
        }
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
        return Err(validate::wrong_type("logIds", "an array of log record ids", ids.kind()));
    }
    if ids.is_empty() {
        return Err(DocSpaceError::invalid_input("logIds", "must not be empty"));
    }
    if ids.len() > validate::MAX_LIST {
        return Err(validate::too_long("logIds", ids.len()));
    }
    let mut unique = Vec::with_capacity(ids.len());
    for index in 0..ids.len() {
        let id = validate::id(&ids.at(index), &format!("logIds[{index}]"))?;
        if !unique.contains(&id) {
            unique.push(id);
        }
    }
    Ok(with_body(Method::Put, routes::WEBHOOK_RETRY, RequestBody::Retry(RetryBody { ids: unique }), false))
}

fn required_triggers<V: View>(value: &V) -> Result<u64> {
    if value.kind().is_absent() {
        return Err(DocSpaceError::invalid_input(
            "triggers",
            "is required: a Trigger, a list of them, or \"All\" for every event",
        ));
    }
    validate::triggers_mask(value, "triggers")
}

fn target_id<V: View>(value: &V) -> Result<Option<String>> {
    let target = validate::opt_string(value, "targetId")?;
    if let Some(target) = &target {
        if target.trim().is_empty() {
            return Err(DocSpaceError::invalid_input(
                "targetId",
                "must not be empty; omit it (or pass null) for no target",
            ));
        }
        validate::check_length(target, "targetId", TARGET_ID_MAX)?;
    }
    Ok(target)
}

/// A signing secret as the default password policy allows it. The value is never echoed.
fn secret<V: View>(value: &V) -> Result<Option<String>> {
    let Some(secret) = validate::opt_string(value, "secretKey")? else {
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
    check_receiver_url(validate::req_string(value, "uri", URI_MAX)?, ssl)
}

fn check_receiver_url(uri: String, ssl: bool) -> Result<String> {
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
        crate::url::Host::V4(ip) if url.host_text != crate::url::ipv4_text(*ip) => {
            return Err(DocSpaceError::invalid_input(
                "uri",
                format!(
                    "must write an IPv4 host in its usual dotted form ({}), got {}",
                    crate::url::ipv4_text(*ip),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operations::json;
    use crate::view::Plain;

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
}
