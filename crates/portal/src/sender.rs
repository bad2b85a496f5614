//! The sender (contract §8): fanning an event out to its subscribers, delivering each one with
//! up to six signed attempts on the server's schedule, re-checking the receiver before every
//! attempt, and the bookkeeping of the outcome on the log row and the webhook.

use crate::api::UrlProblem;
use crate::delivery::{self, RetryState};
use crate::io::{Answer, Outgoing, SendError};
use crate::signature;
use crate::state::{Config, LogRow, SYSTEM_ACCOUNT};
use crate::triggers;
use crate::{Io, Portal};
use serde_json::Value;
use std::rc::Rc;

impl<I: Io> Portal<I> {
    /// Fans an event out to the enabled webhooks subscribed to it (and to its target), records a
    /// log row for each, and starts their deliveries. Returns the new log ids.
    pub fn emit(self: &Rc<Self>, actor: &str, bit: u64, data: Value, target: Option<String>) -> Vec<u32> {
        let Some(def) = triggers::by_bit(bit) else { return Vec::new() };
        let entity = target.clone().or_else(|| match data.get("id") {
            Some(Value::String(id)) => Some(id.clone()),
            Some(Value::Number(id)) => Some(id.to_string()),
            _ => None,
        });
        let now = self.io.now_ms();
        let mut state = self.state.borrow_mut();
        let subscribed: Vec<Config> = state
            .configs
            .iter()
            .filter(|c| c.enabled && (c.triggers == 0 || c.triggers & bit != 0))
            .filter(|c| c.target_id.as_ref().is_none_or(|wanted| entity.as_ref() == Some(wanted)))
            .cloned()
            .collect();
        let mut ids = Vec::new();
        for config in subscribed {
            let Some(id) = state.take_log_id() else {
                self.io.log(format!("event {} dropped for webhook {}: no log row ids are left", def.dotted, config.id));
                continue;
            };
            let payload = delivery::initial_payload(id, now, actor, def, &data, &config, entity.as_deref());
            state.logs.push(LogRow {
                id,
                config_id: config.id,
                trigger: bit,
                uid: actor.to_string(),
                creation_time: now,
                request_headers: None,
                request_payload: payload.to_string(),
                response_headers: None,
                response_payload: None,
                status: 0,
                delivery: None,
            });
            ids.push(id);
        }
        drop(state);
        if !ids.is_empty() {
            self.save();
        }
        for id in &ids {
            self.start_delivery(*id);
        }
        ids
    }

    pub(crate) fn start_delivery(self: &Rc<Self>, row_id: u32) {
        let portal = Rc::clone(self);
        self.io.spawn(Box::pin(async move { portal.deliver(row_id).await }));
    }

    /// The sender (contract §8): up to 6 attempts, 1–16 s apart (scaled), re-validating the URL
    /// and re-signing each time, then the bookkeeping of §8.5.
    ///
    /// The first attempt waits until the row is in the data file, so no receiver ever sees an
    /// `event.id` that a crash could hand out again. Once begun, a delivery runs its attempts to
    /// their end even if its webhook is deleted meanwhile (a 410 from another delivery, a DELETE):
    /// the server's sender keeps the row and webhook it read, and only its final bookkeeping
    /// finds nothing left to update (§8.5; MySQL deleted the rows with the webhook).
    pub(crate) async fn deliver(self: Rc<Self>, row_id: u32) {
        self.io.persisted().await;
        let mut retry =
            RetryState { attempt: 0, previous_retry_on: None, first_request: self.io.now_ms(), last_failure: None };
        let mut outcome: Option<Result<Answer, SendError>> = None;
        let mut last_headers = Vec::new();
        let mut known: Option<(LogRow, Config)> = None;
        for attempt in 1..=1 + delivery::REPEAT_COUNT {
            if attempt > 1 {
                self.io.sleep(delivery::retry_delay_ms(attempt) * self.settings.time_scale).await;
            }
            let found = {
                let state = self.state.borrow();
                state.row(row_id).and_then(|row| Some((row.clone(), state.config(row.config_id)?.clone())))
            };
            let deleted = found.is_none();
            let Some((row, config)) = found.or_else(|| known.take()) else { return };
            if deleted {
                self.io.log(format!(
                    "delivery {row_id}: webhook {} was deleted; its remaining attempts still run (as on the server)",
                    config.id
                ));
            }
            known = Some((row.clone(), config.clone()));
            let (target, address) = match self.check_url(&config.uri, config.ssl).await {
                Ok(checked) => checked,
                Err(_) if deleted => return,
                Err(problem) => return self.refuse_receiver(&config, problem),
            };
            retry.attempt = attempt;
            let now = self.io.now_ms();
            let body = delivery::attempt_body(&row.request_payload, row_id, &retry, now, config.last_success_on);
            let headers = vec![
                ("Accept".to_string(), "*/*".to_string()),
                (signature::HEADER.to_string(), signature::compute(config.secret_key.as_bytes(), body.as_bytes())),
            ];
            if let Some((row, _)) = known.as_mut() {
                row.request_payload = body.clone();
            }
            self.update_row(row_id, |row| {
                row.request_payload = body.clone();
                row.request_headers = Some(delivery::headers_json(&headers));
            });
            let mut sent_headers = headers.clone();
            sent_headers.push(("Content-Type".to_string(), "application/json; charset=utf-8".to_string()));
            let request = Outgoing {
                target,
                address,
                verify_tls: config.ssl,
                headers: sent_headers,
                body,
                timeout_ms: self.settings.delivery_timeout_ms,
            };
            let result = self.io.post(request).await;
            let trigger = triggers::by_bit(row.trigger).map_or("?", |def| def.dotted);
            let shown = match &result {
                Ok(answer) => answer.status.to_string(),
                Err(SendError::Network(_)) => "no answer".into(),
                Err(SendError::Timeout(_)) => "timeout".into(),
            };
            self.io.log(format!(
                "delivery {row_id} {trigger} → webhook {} {}: {shown} (attempt {attempt})",
                config.id, config.uri
            ));
            let success = matches!(&result, Ok(answer) if (200..300).contains(&answer.status));
            retry.previous_retry_on = Some(now);
            retry.last_failure = match &result {
                Ok(answer) => Some(delivery::status_failure(answer.status, &answer.status_text)),
                Err(SendError::Network(message) | SendError::Timeout(message)) => Some(message.clone()),
            };
            last_headers = headers;
            outcome = Some(result);
            if success {
                break;
            }
        }
        if let Some(outcome) = outcome {
            self.book(row_id, outcome, &last_headers);
        }
    }

    pub(crate) fn update_row(&self, row_id: u32, change: impl FnOnce(&mut LogRow)) {
        if let Some(row) = self.state.borrow_mut().row_mut(row_id) {
            change(row);
        }
    }

    /// Before sending, a receiver that now fails the URL checks is dropped: deleted when
    /// blacklisted, disabled otherwise (contract §8.2). Nothing is sent.
    pub(crate) fn refuse_receiver(&self, config: &Config, problem: UrlProblem) {
        let mut state = self.state.borrow_mut();
        match problem {
            UrlProblem::Blacklisted(message) => {
                state.remove_config(config.id);
                self.io.log(format!("webhook {} deleted: {message}", config.id));
            }
            UrlProblem::Other(message) => {
                if let Some(stored) = state.config_mut(config.id) {
                    stored.enabled = false;
                }
                self.io.log(format!("webhook {} disabled: {message}", config.id));
            }
        }
        drop(state);
        self.save();
    }

    /// The outcome of the last attempt, written to the row and the config (contract §8.5).
    pub(crate) fn book(&self, row_id: u32, outcome: Result<Answer, SendError>, headers: &[(String, String)]) {
        let now = self.io.now_ms();
        let mut state = self.state.borrow_mut();
        let Some(config_id) = state.row(row_id).map(|row| row.config_id) else {
            self.io.log(format!("delivery {row_id}: its webhook was deleted meanwhile; nothing left to book"));
            return;
        };
        let (status, content, http_failure) = match &outcome {
            Ok(answer) if (200..300).contains(&answer.status) => (answer.status, None, false),
            Ok(answer) => (answer.status, Some(delivery::status_failure(answer.status, &answer.status_text)), true),
            Err(SendError::Network(message)) => (0, Some(message.clone()), true),
            Err(SendError::Timeout(message)) => (500, Some(message.clone()), false),
        };
        if let Some(row) = state.row_mut(row_id) {
            row.status = status;
            row.request_headers = Some(delivery::headers_json(headers));
            match (&outcome, &content) {
                (Ok(answer), None) => {
                    row.delivery = Some(now);
                    row.response_headers = Some(delivery::response_headers_json(&answer.headers));
                    row.response_payload = Some(answer.body.clone());
                }
                (_, Some(message)) => row.response_payload = Some(message.clone()),
                _ => {}
            }
        }
        if status == 410 {
            state.remove_config(config_id);
            self.io.log(format!("webhook {config_id} deleted: its receiver answered 410 Gone"));
        } else if let Some(config) = state.config_mut(config_id) {
            match content {
                None => config.last_success_on = Some(now),
                Some(message) => {
                    config.last_failure_on = Some(now);
                    config.last_failure_content = Some(message);
                    let since = config.last_success_on.unwrap_or(config.created_on);
                    if http_failure && now - since > delivery::TRUSTED_MS {
                        config.enabled = false;
                        self.io.log(format!(
                            "webhook {config_id} disabled: more than 3 days without a successful delivery"
                        ));
                    }
                }
            }
            config.modified_on = Some(now);
            config.modified_by.get_or_insert_with(|| SYSTEM_ACCOUNT.to_string());
        }
        drop(state);
        self.save();
    }
}
