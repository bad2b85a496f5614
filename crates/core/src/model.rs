//! Every DTO of the webhook endpoints (contract §7), with the server's JSON field names.
//!
//! Response DTOs derive `Tsify` (feature `typescript`), so these definitions are also the
//! TypeScript interfaces of the package's `.d.ts` (`cargo xtask types` renders them into
//! pkg-template/types/model.d.ts): one source of truth for field names. Null fields are omitted
//! on the wire (`WhenWritingNull`), hence `skip_serializing_if` on every optional field. Times
//! are ISO-8601 strings as the server sends them.

use serde::{Deserialize, Serialize};
#[cfg(feature = "typescript")]
use tsify::Tsify;

/// A portal member as the API shows one (`EmployeeDto`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Employee {
    /// The member's id (a GUID).
    pub id: String,
    pub display_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar_original: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar_max: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar_medium: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar_small: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_url: Option<String>,
    pub has_avatar: bool,
    pub is_anonim: bool,
}

impl Employee {
    /// A member as the stand-in shows one: an id and a name, no avatars or profile.
    pub fn named(id: &str, display_name: &str, is_anonim: bool) -> Self {
        Employee {
            id: id.to_string(),
            display_name: display_name.to_string(),
            avatar: None,
            avatar_original: None,
            avatar_max: None,
            avatar_medium: None,
            avatar_small: None,
            profile_url: None,
            has_avatar: false,
            is_anonim,
        }
    }
}

/// A webhook subscription (`WebhooksConfigDto`). The secret key is write-only: the portal never
/// returns it, so keep it from the moment you create the webhook.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Webhook {
    /// The subscription id, used by update, enable, delete and the log's `configId` filter.
    pub id: u32,
    pub name: String,
    /// Where deliveries are POSTed.
    pub uri: String,
    /// Disabled subscriptions drop events rather than queue them.
    pub enabled: bool,
    /// Whether the receiver's TLS certificate is verified (and https required).
    pub ssl: bool,
    /// The subscribed events as a bitmask; `0` means every event. Decode with `Trigger.names()`.
    pub triggers: u64,
    /// The single entity (file, folder, room, user…) the subscription is narrowed to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<Employee>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_on: Option<String>,
    /// The first member who modified it (the server never updates this afterwards).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_by: Option<Employee>,
    /// Refreshed on every write, deliveries included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_failure_on: Option<String>,
    /// The delivery error message of the last failure (not the receiver's body).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_failure_content: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_success_on: Option<String>,
}

/// An item of `getTenantWebhooks()` (`WebhooksConfigWithStatusDto`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
pub struct WebhookWithStatus {
    /// The subscription (one object, despite the plural name the server uses).
    pub configs: Webhook,
    /// HTTP status of the latest delivery; `0` when nothing was delivered yet.
    pub status: u16,
}

/// One delivery record of the log (`WebhooksLogDto`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct WebhookLog {
    /// The record id, which is also `event.id` in the delivered payload.
    pub id: u32,
    /// The subscription's current name; absent in the answer of a retry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_name: Option<String>,
    /// The single trigger bit of this event.
    pub trigger: u64,
    pub creation_time: String,
    /// JSON text of the request headers, e.g. `{"x-docspace-signature-256":["sha256=…"]}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_headers: Option<String>,
    /// The exact body that was (or will be) POSTed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_payload: Option<String>,
    /// JSON text of the receiver's response headers (successful deliveries only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_headers: Option<String>,
    /// The receiver's body on success, the error message on failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_payload: Option<String>,
    /// HTTP status of the delivery; `0` while pending or when no HTTP answer came.
    pub status: u16,
    /// When it was delivered; absent unless the delivery succeeded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<String>,
}

/// One entry of `getWebhookTriggers()`, normalised from the server's 3.7 array or ≤3.6 map.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct TriggerInfo {
    /// The bit (`0` for every event).
    pub id: u64,
    /// The server's name for it: dotted (`"file.uploaded"`) or `"*"`.
    #[cfg_attr(feature = "typescript", tsify(type = "TriggerDottedName | (string & {})"))]
    pub name: String,
    /// The matching `Trigger` key (`"FileUploaded"`), when this package knows the trigger.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(type = "TriggerName"))]
    pub key: Option<String>,
    /// Whether the caller's role may subscribe to it; absent from servers before 3.7.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available: Option<bool>,
}

/// A page of the delivery log, from `getWebhooksLogs()`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct WebhookLogPage {
    /// Newest first (the server orders by id, descending).
    pub items: Vec<WebhookLog>,
    /// How many records match the filter, over all pages.
    pub total: u64,
    /// The offset this page starts at.
    pub start_index: u64,
    /// How many items this page holds (`items.length`).
    pub count: u64,
}

/// The body of create (`CreateWebhooksConfigRequestsDto`) and, with `id`, of update
/// (`UpdateWebhooksConfigRequestsDto`). Field casing as the server's camelCase JSON.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct WebhookBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<u32>,
    pub name: String,
    pub uri: String,
    /// Omitted (or empty) on update keeps the stored secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_key: Option<String>,
    pub enabled: bool,
    pub ssl: bool,
    pub triggers: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_id: Option<String>,
}

/// The body of `PUT settings/webhook/enable`: typed as the update DTO by the server, so its model
/// validation needs `id`, a non-empty `name` and `uri` next to `enabled` (contract §5.4).
/// The server ignores `name` and `uri` here.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct EnableBody {
    pub id: u32,
    pub name: String,
    pub uri: String,
    pub enabled: bool,
}

/// The body of `PUT settings/webhook/retry` (`WebhookRetryRequestsDto`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct RetryBody {
    pub ids: Vec<u32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhook_round_trips_the_contract_example_and_omits_nulls() {
        let wire = r#"{"id":7,"name":"Production Webhook","uri":"https://hooks.example.com/docspace",
            "enabled":true,"ssl":true,"triggers":34359738624,
            "createdBy":{"id":"0ee7a0b2","displayName":"Mike","hasAvatar":false,"isAnonim":false},
            "createdOn":"2026-06-30T13:13:11+00:00","lastSuccessOn":"2026-06-30T13:14:02+00:00"}"#;
        let hook: Webhook = serde_json::from_str(wire).unwrap();
        assert_eq!(hook.triggers, (1 << 35) | 256);
        assert_eq!(hook.created_by.as_ref().map(|e| e.display_name.as_str()), Some("Mike"));
        let back = serde_json::to_value(&hook).unwrap();
        assert_eq!(back, serde_json::from_str::<serde_json::Value>(wire).unwrap());
        assert!(back.get("targetId").is_none() && back.get("secretKey").is_none());
    }

    #[test]
    fn bodies_use_the_server_field_names() {
        let body = WebhookBody {
            id: None,
            name: "n".into(),
            uri: "https://h".into(),
            secret_key: Some("S3cret-Key!".into()),
            enabled: true,
            ssl: false,
            triggers: 384,
            target_id: None,
        };
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            r#"{"name":"n","uri":"https://h","secretKey":"S3cret-Key!","enabled":true,"ssl":false,"triggers":384}"#
        );
        let enable = EnableBody { id: 7, name: "n".into(), uri: "u".into(), enabled: false };
        assert_eq!(serde_json::to_string(&enable).unwrap(), r#"{"id":7,"name":"n","uri":"u","enabled":false}"#);
        assert_eq!(serde_json::to_string(&RetryBody { ids: vec![1, 2] }).unwrap(), r#"{"ids":[1,2]}"#);
    }

    #[test]
    fn log_rows_parse_with_and_without_optional_fields() {
        let retry = r#"{"id":1240,"trigger":128,"creationTime":"2026-06-30T10:20:00.1234567Z","requestPayload":"{}","status":0}"#;
        let row: WebhookLog = serde_json::from_str(retry).unwrap();
        assert_eq!((row.id, row.config_name.clone(), row.delivery.clone()), (1240, None, None));
    }
}
