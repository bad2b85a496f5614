//! The webhook routes of the DocSpace API (contract §1): written once, used by the client and
//! the stand-in portal. Note the plural `webhooks/log` beside the singular `webhook/…`.

/// `GET` list, `POST` create, `PUT` update.
pub const WEBHOOK: &str = "/api/2.0/settings/webhook";
/// `PUT` enable or disable.
pub const WEBHOOK_ENABLE: &str = "/api/2.0/settings/webhook/enable";
/// `GET` the trigger list.
pub const WEBHOOK_TRIGGERS: &str = "/api/2.0/settings/webhook/triggers";
/// `PUT` batch retry.
pub const WEBHOOK_RETRY: &str = "/api/2.0/settings/webhook/retry";
/// `GET` the delivery log.
pub const WEBHOOKS_LOG: &str = "/api/2.0/settings/webhooks/log";

/// `DELETE` one webhook.
pub fn webhook(id: u32) -> String {
    format!("{WEBHOOK}/{id}")
}

/// `PUT` retry of one log record.
pub fn webhook_retry(log_id: u32) -> String {
    format!("{WEBHOOK}/{log_id}/retry")
}
