//! The nine webhook endpoints and `POST /stand-in/events`, in the server's check order: model
//! binding, permissions, `CheckWebhook` (triggers, secret, URL guard, HEAD probe), then the
//! state change (contract §5).

use crate::binding::{self, WebhookDto};
use crate::group_status;
use crate::guard;
use crate::http::{bad, denied, not_found, ok, Failure, Success};
use crate::listing::Listed;
use crate::model::TriggerInfo;
use crate::state::{Config, LogRow, Role, User};
use crate::triggers::{self, TRIGGERS};
use crate::url::{Host, Url};
use crate::{Io, Portal};
use serde_json::{json, Value};
use std::net::IpAddr;
use std::rc::Rc;

/// How a receiver URL failed the checks the sender repeats before each delivery.
/// The answer once an id range is used up: an overflow on the server too.
fn ids_used_up(what: &str) -> Failure {
    Failure::Exception(500, format!("No {what} ids are left (the ids are int32)"), "System.OverflowException")
}

pub(crate) enum UrlProblem {
    Blacklisted(String),
    Other(String),
}

impl<I: Io> Portal<I> {
    pub(crate) fn admin(&self, user: &User) -> Result<bool, Failure> {
        match user.role {
            Role::Guest => Err(denied()),
            role => Ok(role.is_admin()),
        }
    }

    pub(crate) fn list(&self, user: &User) -> Result<Success, Failure> {
        let admin = self.admin(user)?;
        let state = self.state.borrow();
        let statuses = state.last_statuses();
        let items: Vec<Listed> = state
            .configs
            .iter()
            .filter(|config| admin || config.created_by == user.id)
            .map(|config| Listed { state: &state, config, status: statuses.get(&config.id).copied().unwrap_or(0) })
            .collect();
        ok(&items)
    }

    pub(crate) fn trigger_list(&self, user: &User) -> Result<Success, Failure> {
        if self.legacy_triggers.get() {
            // 3.1–3.6 (contract §5.9, §10): `{"*": 0, "user.created": 1, …}` up to room.copied.
            let map: serde_json::Map<String, Value> = TRIGGERS
                .iter()
                .filter(|def| def.bit <= triggers::LAST_BEFORE_3_7)
                .map(|def| (def.dotted.to_string(), Value::from(def.bit)))
                .collect();
            return ok(&map);
        }
        let role = user.role.trigger_role();
        let list: Vec<TriggerInfo> = TRIGGERS
            .iter()
            .map(|def| TriggerInfo {
                id: def.bit,
                name: def.dotted.into(),
                key: None,
                available: Some(def.available_for(role)),
            })
            .collect();
        let mut success = ok(&list)?;
        success.count = list.len() as u64;
        // The server's DTO is {name, id, available}: `key` is the client's addition.
        Ok(success)
    }

    /// `CheckWebhook` (contract §5.2 step 3): trigger availability, the secret, the URL and the
    /// HEAD probe, in the server's order.
    pub(crate) async fn check_webhook(&self, user: &User, dto: &WebhookDto, creation: bool) -> Result<(), Failure> {
        if dto.triggers != 0 && triggers::first_unavailable(dto.triggers, user.role.trigger_role()).is_some() {
            return Err(bad("Trigger is not available"));
        }
        match dto.secret_key.as_deref() {
            None if creation => {
                return Err(Failure::Exception(
                    400,
                    "Value cannot be null. (Parameter 'secret')".into(),
                    "System.ArgumentNullException",
                ))
            }
            Some(secret) if creation || !secret.is_empty() => guard::check_password(secret).map_err(bad)?,
            _ => {}
        }
        let (target, address) = self.check_url(&dto.uri, dto.ssl).await.map_err(|problem| match problem {
            UrlProblem::Blacklisted(message) | UrlProblem::Other(message) => bad(message),
        })?;
        match self.io.probe(&target, address, dto.ssl).await {
            Ok(status) if (200..300).contains(&status) => Ok(()),
            Ok(_) => Err(bad("Webhook URL is not available. HEAD request is not response 200 http status.")),
            Err(message) => Err(Failure::Exception(500, message, "System.Net.Http.HttpRequestException")),
        }
    }

    /// `UrlValidator`: the URL rules, then every address the host stands for (the literal itself,
    /// or all that DNS gives) against the blacklist. Returns the parsed URL and the one address a
    /// connection may use.
    pub(crate) async fn check_url(&self, uri: &str, require_https: bool) -> Result<(Url, IpAddr), UrlProblem> {
        let url = guard::parse_url(uri, require_https).map_err(UrlProblem::Other)?;
        let refused = |address: &IpAddr| !self.settings.allow_loopback && guard::blacklisted(*address);
        let address = match &url.host {
            Host::V4(ip) => IpAddr::V4(*ip),
            Host::V6(ip) => IpAddr::V6(*ip),
            Host::Name(name) => {
                let addresses = self.io.resolve(name).await.unwrap_or_default();
                if addresses.iter().any(refused) {
                    return Err(UrlProblem::Blacklisted("URL resolves to a blacklisted IP address".into()));
                }
                return match addresses.first() {
                    Some(address) => Ok((url, *address)),
                    None => Err(UrlProblem::Other(format!("DNS resolution failed for {name}"))),
                };
            }
        };
        if refused(&address) {
            return Err(UrlProblem::Blacklisted("URL host is in the blacklist".into()));
        }
        Ok((url, address))
    }

    pub(crate) async fn create(&self, user: &User, body: &str) -> Result<Success, Failure> {
        let dto = binding::bind_webhook(body, false).map_err(Failure::Validation)?;
        self.admin(user)?;
        self.check_webhook(user, &dto, true).await?;
        let mut state = self.state.borrow_mut();
        if state.configs.iter().any(|c| c.name == dto.name && c.uri == dto.uri) {
            return Err(bad("Webhook with the same name and payload URL already exists"));
        }
        let id = state.take_config_id().ok_or_else(|| ids_used_up("webhook"))?;
        let config = Config {
            id,
            name: dto.name,
            uri: dto.uri,
            secret_key: dto.secret_key.unwrap_or_default(),
            enabled: dto.enabled,
            ssl: dto.ssl,
            triggers: dto.triggers,
            target_id: dto.target_id,
            created_by: user.id.clone(),
            created_on: self.io.now_ms(),
            modified_by: None,
            modified_on: None,
            last_failure_on: None,
            last_failure_content: None,
            last_success_on: None,
        };
        let dto = state.webhook_dto(&config);
        state.configs.push(config);
        drop(state);
        self.save();
        ok(&dto)
    }

    /// The config a non-admin may touch: 404 when it does not exist, 403 when it is not theirs.
    pub(crate) fn owned(&self, user: &User, id: u32) -> Result<Config, Failure> {
        let config = self.state.borrow().config(id).cloned().ok_or_else(not_found)?;
        if !self.admin(user)? && config.created_by != user.id {
            return Err(denied());
        }
        Ok(config)
    }

    pub(crate) async fn update(&self, user: &User, body: &str) -> Result<Success, Failure> {
        let dto = binding::bind_webhook(body, true).map_err(Failure::Validation)?;
        // The server validates (and probes) before it looks the config up (contract §5.3).
        self.check_webhook(user, &dto, false).await?;
        let id = dto.id.unwrap_or(0);
        self.owned(user, id)?;
        self.modify(user, id, |config| {
            config.name = dto.name;
            config.uri = dto.uri;
            config.enabled = dto.enabled;
            config.ssl = dto.ssl;
            config.triggers = dto.triggers;
            config.target_id = dto.target_id;
            if let Some(secret) = dto.secret_key.filter(|s| !s.is_empty()) {
                config.secret_key = secret;
            }
        })
    }

    /// Applies `change` to config `id`, stamps who changed it and when, saves, and answers with
    /// the config as it now stands.
    fn modify(&self, user: &User, id: u32, change: impl FnOnce(&mut Config)) -> Result<Success, Failure> {
        let now = self.io.now_ms();
        let mut state = self.state.borrow_mut();
        let config = state.config_mut(id).ok_or_else(not_found)?;
        change(config);
        config.modified_by.get_or_insert_with(|| user.id.clone());
        config.modified_on = Some(now);
        let config = config.clone();
        let dto = state.webhook_dto(&config);
        drop(state);
        self.save();
        ok(&dto)
    }

    pub(crate) async fn enable(&self, user: &User, body: &str) -> Result<Success, Failure> {
        let dto = binding::bind_webhook(body, true).map_err(Failure::Validation)?;
        let id = dto.id.unwrap_or(0);
        let config = self.owned(user, id)?;
        if dto.enabled {
            // Enabling re-runs the checks on the *stored* values; disabling never does.
            let stored = WebhookDto {
                id: Some(id),
                name: config.name.clone(),
                uri: config.uri.clone(),
                secret_key: Some(config.secret_key.clone()),
                enabled: true,
                ssl: config.ssl,
                triggers: config.triggers,
                target_id: config.target_id.clone(),
            };
            self.check_webhook(user, &stored, false).await?;
        }
        self.modify(user, id, |config| config.enabled = dto.enabled)
    }

    pub(crate) fn remove(&self, user: &User, id: u32) -> Result<Success, Failure> {
        self.owned(user, id)?;
        let mut state = self.state.borrow_mut();
        let config = state.remove_config(id).ok_or_else(not_found)?;
        let dto = state.webhook_dto(&config);
        drop(state);
        self.save();
        ok(&dto)
    }

    pub(crate) fn logs(&self, user: &User, query: &[(String, String)]) -> Result<Success, Failure> {
        let query = binding::bind_log_query(query).map_err(Failure::Validation)?;
        let admin = self.admin(user)?;
        let user_filter = if admin { query.user_id.clone() } else { Some(user.id.to_ascii_lowercase()) };
        let state = self.state.borrow();
        let mut rows: Vec<&LogRow> = state
            .logs
            .iter()
            .filter(|row| {
                let Some(config) = state.config(row.config_id) else { return false };
                user_filter.as_ref().is_none_or(|id| config.created_by.eq_ignore_ascii_case(id))
                    && query.config_id.is_none_or(|id| row.config_id == id)
                    && query.event_id.is_none_or(|id| row.id == id)
                    && query.hook_uri.as_ref().is_none_or(|uri| &config.uri == uri)
                    && (query.trigger == 0 || row.trigger == query.trigger)
                    && group_status::matches(query.group_status, row.status)
                    && query.delivery_from.is_none_or(|from| row.delivery.is_some_and(|d| d >= from))
                    && query.delivery_to.is_none_or(|to| row.delivery.is_some_and(|d| d <= to))
            })
            .collect();
        rows.sort_by_key(|row| std::cmp::Reverse(row.id));
        let total = rows.len() as u64;
        let page: Vec<_> =
            rows.into_iter().skip(query.start_index).take(query.count).map(|row| state.log_dto(row, true)).collect();
        let mut success = ok(&page)?;
        success.total = Some(total);
        Ok(success)
    }

    /// A new row copying an old one's config, trigger and payload (contract §5.7).
    pub(crate) fn copy_row(&self, user: &User, row: &LogRow) -> Result<LogRow, Failure> {
        let mut state = self.state.borrow_mut();
        let id = state.take_log_id().ok_or_else(|| ids_used_up("log row"))?;
        let copy = LogRow {
            id,
            config_id: row.config_id,
            trigger: row.trigger,
            uid: user.id.clone(),
            creation_time: self.io.now_ms(),
            request_headers: None,
            request_payload: row.request_payload.clone(),
            response_headers: None,
            response_payload: None,
            status: 0,
            delivery: None,
        };
        state.logs.push(copy.clone());
        Ok(copy)
    }

    pub(crate) fn retry_one(self: &Rc<Self>, user: &User, log_id: u32) -> Result<Success, Failure> {
        if log_id == 0 {
            return Err(bad("Id"));
        }
        let row = self.state.borrow().row(log_id).cloned().ok_or_else(not_found)?;
        let admin = self.admin(user)?;
        let owner = self.state.borrow().config(row.config_id).map(|c| c.created_by.clone());
        if !admin && owner.as_deref() != Some(user.id.as_str()) {
            return Err(denied());
        }
        let copy = self.copy_row(user, &row)?;
        self.save();
        self.start_delivery(copy.id);
        let dto = self.state.borrow().log_dto(&copy, false);
        ok(&dto)
    }

    pub(crate) fn retry_many(self: &Rc<Self>, user: &User, body: &str) -> Result<Success, Failure> {
        let ids = binding::bind_retry(body).map_err(Failure::Validation)?;
        let admin = self.admin(user)?;
        let ids = ids.ok_or_else(|| {
            Failure::Exception(
                500,
                "Object reference not set to an instance of an object.".into(),
                "System.NullReferenceException",
            )
        })?;
        let mut copies = Vec::new();
        let mut used_up = None;
        for id in ids {
            let row = u32::try_from(id).ok().and_then(|id| self.state.borrow().row(id).cloned());
            let Some(row) = row else { continue };
            let owner = self.state.borrow().config(row.config_id).map(|c| c.created_by.clone());
            if !admin && owner.as_deref() != Some(user.id.as_str()) {
                continue;
            }
            match self.copy_row(user, &row) {
                Ok(copy) => copies.push(copy),
                Err(failure) => {
                    used_up = Some(failure);
                    break;
                }
            }
        }
        if !copies.is_empty() {
            self.save();
        }
        // Rows made before the ids ran out are queued, as the server's loop had published them.
        for copy in &copies {
            self.start_delivery(copy.id);
        }
        if let Some(failure) = used_up {
            return Err(failure);
        }
        let state = self.state.borrow();
        let dtos: Vec<_> = copies.iter().map(|copy| state.log_dto(copy, false)).collect();
        ok(&dtos)
    }

    /// `POST /stand-in/events`: `{trigger, data?, targetId?}` → the created log ids.
    pub(crate) fn event(self: &Rc<Self>, user: &User, body: &str) -> Result<Success, Failure> {
        // Stand-in only: events stand for what owners and admins do to files and rooms; other
        // roles could otherwise fan deliveries out to everybody's webhooks.
        if !user.role.is_admin() {
            return Err(denied());
        }
        let map = binding::object(body, "StandInEvent").map_err(Failure::Validation)?;
        let def = match binding::property(&map, "trigger") {
            Some(Value::String(name)) => triggers::by_name(name),
            Some(Value::Number(n)) => n.as_u64().and_then(triggers::by_bit),
            _ => None,
        }
        .filter(|def| def.bit != 0)
        .ok_or_else(|| {
            bad("trigger must be one event: a C# name (\"FileUploaded\"), a dotted name (\"file.uploaded\") or its bit")
        })?;
        let data = match binding::property(&map, "data") {
            None | Some(Value::Null) => json!({}),
            Some(value @ Value::Object(_)) => value.clone(),
            Some(_) => return Err(bad("data must be an object: the entity the event is about")),
        };
        let target = match binding::property(&map, "targetId") {
            None | Some(Value::Null) => None,
            Some(Value::String(text)) => Some(text.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(_) => return Err(bad("targetId must be a string")),
        };
        let ids = self.emit(&user.id, def.bit, data, target);
        ok(&ids)
    }
}
