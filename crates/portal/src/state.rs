//! What the stand-in portal keeps: users, webhook configs (with their secrets) and delivery log
//! rows, serialisable as the `--data` file, and how they look through the API (the DTOs of
//! `model.rs`).

use crate::model::{Employee, Webhook, WebhookLog};
use crate::time::format_iso_utc;
use crate::triggers::Role as TriggerRole;
use serde::{Deserialize, Serialize};

/// A portal member's role, as the config file names it.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum Role {
    Owner,
    Admin,
    RoomAdmin,
    User,
    Guest,
}

impl Role {
    /// Owners are DocSpace admins too (contract §5.0).
    pub fn is_admin(self) -> bool {
        matches!(self, Role::Owner | Role::Admin)
    }

    pub fn trigger_role(self) -> TriggerRole {
        match self {
            Role::Owner | Role::Admin => TriggerRole::DocSpaceAdmin,
            Role::RoomAdmin => TriggerRole::RoomAdmin,
            Role::User => TriggerRole::User,
            Role::Guest => TriggerRole::Guest,
        }
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: String,
    pub display_name: String,
    pub role: Role,
    pub token: String,
}

impl User {
    pub fn employee(&self) -> Employee {
        Employee {
            id: self.id.clone(),
            display_name: self.display_name.clone(),
            avatar: None,
            avatar_original: None,
            avatar_max: None,
            avatar_medium: None,
            avatar_small: None,
            profile_url: None,
            has_avatar: false,
            is_anonim: false,
        }
    }
}

/// The account background work acts as (the server's unauthenticated guest, contract §7.4).
pub const SYSTEM_ACCOUNT: &str = "712d9ec3-5d2b-4b13-824f-71f00191dcca";

/// A webhook config as stored: the DTO's fields plus the secret; times in ms since the epoch.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Config {
    pub id: u32,
    pub name: String,
    pub uri: String,
    pub secret_key: String,
    pub enabled: bool,
    pub ssl: bool,
    pub triggers: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_id: Option<String>,
    pub created_by: String,
    pub created_on: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_on: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_failure_on: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_failure_content: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_success_on: Option<f64>,
}

/// One delivery record.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct LogRow {
    pub id: u32,
    pub config_id: u32,
    pub trigger: u64,
    /// Who caused it (the event's actor, or the user who retried it).
    pub uid: String,
    pub creation_time: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_headers: Option<String>,
    pub request_payload: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_headers: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_payload: Option<String>,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<f64>,
}

/// Everything the `--data` file holds.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct State {
    pub users: Vec<User>,
    pub configs: Vec<Config>,
    pub logs: Vec<LogRow>,
    pub next_config_id: u32,
    pub next_log_id: u32,
}

impl State {
    pub fn new(users: Vec<User>) -> Self {
        State { users, configs: Vec::new(), logs: Vec::new(), next_config_id: 1, next_log_id: 1 }
    }

    pub fn user(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|user| user.id == id)
    }

    pub fn config(&self, id: u32) -> Option<&Config> {
        self.configs.iter().find(|config| config.id == id)
    }

    pub fn config_mut(&mut self, id: u32) -> Option<&mut Config> {
        self.configs.iter_mut().find(|config| config.id == id)
    }

    /// Deletes a config and, as MySQL's cascading foreign key does, its log rows
    /// (contract §5.5).
    pub fn remove_config(&mut self, id: u32) -> Option<Config> {
        let index = self.configs.iter().position(|config| config.id == id)?;
        self.logs.retain(|row| row.config_id != id);
        Some(self.configs.remove(index))
    }

    fn employee(&self, id: &str) -> Employee {
        match self.user(id) {
            Some(user) => user.employee(),
            None => Employee {
                id: id.to_string(),
                display_name: String::new(),
                avatar: None,
                avatar_original: None,
                avatar_max: None,
                avatar_medium: None,
                avatar_small: None,
                profile_url: None,
                has_avatar: false,
                is_anonim: id == SYSTEM_ACCOUNT,
            },
        }
    }

    /// The config as the API shows it (`WebhooksConfigDto`): never the secret.
    pub fn webhook_dto(&self, config: &Config) -> Webhook {
        Webhook {
            id: config.id,
            name: config.name.clone(),
            uri: config.uri.clone(),
            enabled: config.enabled,
            ssl: config.ssl,
            triggers: config.triggers,
            target_id: config.target_id.clone(),
            created_by: Some(self.employee(&config.created_by)),
            created_on: Some(format_iso_utc(config.created_on)),
            modified_by: config.modified_by.as_deref().map(|id| self.employee(id)),
            modified_on: config.modified_on.map(format_iso_utc),
            last_failure_on: config.last_failure_on.map(format_iso_utc),
            last_failure_content: config.last_failure_content.clone(),
            last_success_on: config.last_success_on.map(format_iso_utc),
        }
    }

    /// The status of a config's log row with the latest delivery, 0 when there is none: the
    /// list's `status` (contract §5.1; failed rows have no delivery time, so, as on MySQL, the
    /// last *successful* delivery counts).
    pub fn last_status(&self, config_id: u32) -> u16 {
        self.logs
            .iter()
            .filter(|row| row.config_id == config_id && row.delivery.is_some())
            .max_by(|a, b| a.delivery.partial_cmp(&b.delivery).unwrap_or(std::cmp::Ordering::Equal))
            .map(|row| row.status)
            .unwrap_or(0)
    }

    /// The row as the API shows it; `with_config_name` is false in retry answers (§5.7).
    pub fn log_dto(&self, row: &LogRow, with_config_name: bool) -> WebhookLog {
        WebhookLog {
            id: row.id,
            config_name: with_config_name.then(|| self.config(row.config_id).map(|c| c.name.clone())).flatten(),
            trigger: row.trigger,
            creation_time: format_iso_utc(row.creation_time),
            request_headers: row.request_headers.clone(),
            request_payload: Some(row.request_payload.clone()),
            response_headers: row.response_headers.clone(),
            response_payload: row.response_payload.clone(),
            status: row.status,
            delivery: row.delivery.map(format_iso_utc),
        }
    }
}
