//! What the stand-in portal keeps: users, webhook configs (with their secrets) and delivery log
//! rows, serialisable as the `--data` file, and how they look through the API (the DTOs of
//! `model.rs`).

use crate::model::{Employee, Webhook, WebhookLog};
use crate::time::format_iso_utc;
use crate::triggers::Role as TriggerRole;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

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
        Employee::named(&self.id, &self.display_name, false)
    }
}

/// One past the largest id: the API's `{id:int}` routes take positive int32 values.
const ID_END: u32 = i32::MAX as u32 + 1;

/// Hands out `*next` and advances it; `None` once the int32 range is used up (a counter never
/// wraps around onto ids in use).
fn take_id(next: &mut u32) -> Option<u32> {
    let id = *next;
    if id == 0 || id >= ID_END {
        return None;
    }
    *next = id + 1;
    Some(id)
}

/// Ids must be unique, positive int32 (the API's `{id:int}` routes) and below the counter that
/// hands out the next one.
fn check_ids(what: &str, ids: impl Iterator<Item = u32>, next: u32) -> Result<(), String> {
    if next == 0 || next > ID_END {
        return Err(format!("the next {what} id {next} is outside 1..=2147483648"));
    }
    let mut seen = HashSet::new();
    for id in ids {
        if id == 0 || id >= next {
            return Err(format!("{what} id {id} is not below the next id {next}: a new one would reuse it"));
        }
        if !seen.insert(id) {
            return Err(format!("{what} id {id} is used twice"));
        }
    }
    Ok(())
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

#[cfg(test)]
impl Config {
    /// A webhook for tests: enabled, every event, https, created at the epoch.
    pub(crate) fn sample(id: u32) -> Config {
        Config {
            id,
            name: format!("hook {id}"),
            uri: "https://hooks.example.com/in".into(),
            secret_key: "S3cret-Key!".into(),
            enabled: true,
            ssl: true,
            triggers: 0,
            target_id: None,
            created_by: "u".into(),
            created_on: 0.0,
            modified_by: None,
            modified_on: None,
            last_failure_on: None,
            last_failure_content: None,
            last_success_on: None,
        }
    }
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

    /// Reads a data file (or a seed) and refuses one the portal could not run on correctly:
    /// no users, a user id or token used twice, a webhook or log id used twice or not below
    /// its counter (the next create would reuse it), a counter at the end of the id range, a
    /// log row of a webhook that does not exist.
    pub fn from_json(text: &str) -> Result<State, String> {
        let state: State = serde_json::from_str(text).map_err(|e| format!("not a portal data file: {e}"))?;
        state.check()?;
        Ok(state)
    }

    pub fn check(&self) -> Result<(), String> {
        if self.users.is_empty() {
            return Err("it has no users (\"users\": [] would leave nobody able to sign in)".into());
        }
        let mut seen = HashSet::new();
        for user in &self.users {
            if user.id.is_empty() || user.token.is_empty() {
                return Err(format!("user {:?} has an empty id or token", user.display_name));
            }
            if !seen.insert(("id", user.id.as_str())) {
                return Err(format!("user id {} is used twice", user.id));
            }
            if !seen.insert(("token", user.token.as_str())) {
                return Err(format!("two users share a token (user {})", user.id));
            }
        }
        check_ids("webhook", self.configs.iter().map(|config| config.id), self.next_config_id)?;
        check_ids("log row", self.logs.iter().map(|row| row.id), self.next_log_id)?;
        if let Some(row) = self.logs.iter().find(|row| self.config(row.config_id).is_none()) {
            return Err(format!("log row {} belongs to webhook {}, which does not exist", row.id, row.config_id));
        }
        Ok(())
    }

    /// The id for a new webhook, `None` when they are used up.
    pub fn take_config_id(&mut self) -> Option<u32> {
        take_id(&mut self.next_config_id)
    }

    /// The id for a new log row, `None` when they are used up.
    pub fn take_log_id(&mut self) -> Option<u32> {
        take_id(&mut self.next_log_id)
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
            None => Employee::named(id, "", id == SYSTEM_ACCOUNT),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: &str, token: &str) -> User {
        User { id: id.into(), display_name: id.into(), role: Role::Owner, token: token.into() }
    }

    #[test]
    fn inconsistent_data_is_refused_with_the_reason() {
        let good = State {
            configs: vec![Config::sample(1), Config::sample(2)],
            next_config_id: 3,
            ..State::new(vec![user("a", "t1")])
        };
        assert_eq!(good.check(), Ok(()));
        let cases: [(State, &str); 6] = [
            (State::new(Vec::new()), "it has no users"),
            (State::new(vec![user("a", "t1"), user("b", "t1")]), "two users share a token"),
            (State::new(vec![user("a", "t1"), user("a", "t2")]), "user id a is used twice"),
            (State { next_config_id: 2, ..good.clone() }, "webhook id 2 is not below the next id 2"),
            (
                State { configs: vec![Config::sample(1), Config::sample(1)], ..good.clone() },
                "webhook id 1 is used twice",
            ),
            (State { next_log_id: u32::MAX, ..good.clone() }, "the next log row id 4294967295 is outside"),
        ];
        for (state, reason) in cases {
            let error = state.check().unwrap_err();
            assert!(error.starts_with(reason), "{error}");
        }
        let text = serde_json::to_string(&good).unwrap();
        assert_eq!(State::from_json(&text), Ok(good));
        assert!(State::from_json("{}").unwrap_err().starts_with("not a portal data file"));
    }

    #[test]
    fn ids_run_out_instead_of_wrapping() {
        let mut state = State { next_config_id: i32::MAX as u32, ..State::new(vec![user("a", "t")]) };
        assert_eq!(state.take_config_id(), Some(i32::MAX as u32));
        assert_eq!(state.take_config_id(), None);
        assert_eq!(state.take_config_id(), None);
        assert_eq!(state.check(), Ok(()), "a used-up counter is still a consistent file");
    }
}
