//! The webhook list written straight from the stored configs, without building a DTO per item
//! first (the list is the route a page polls): the same JSON as serialising the
//! `WebhookWithStatus` values `State::webhook_dto` makes, which the test below holds it to.

use crate::state::{Config, State, SYSTEM_ACCOUNT};
use crate::time::format_iso_utc;
use serde::ser::{Serialize, SerializeStruct, Serializer};

/// One item of the list: `{configs, status}`.
pub(crate) struct Listed<'a> {
    pub(crate) state: &'a State,
    pub(crate) config: &'a Config,
    pub(crate) status: u16,
}

struct Configs<'a>(&'a State, &'a Config);
struct Member<'a>(&'a State, &'a str);
struct Time(f64);

impl Serialize for Listed<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut item = serializer.serialize_struct("WebhookWithStatus", 2)?;
        item.serialize_field("configs", &Configs(self.state, self.config))?;
        item.serialize_field("status", &self.status)?;
        item.end()
    }
}

impl Serialize for Configs<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Configs(state, config) = *self;
        let mut dto = serializer.serialize_struct("Webhook", 14)?;
        dto.serialize_field("id", &config.id)?;
        dto.serialize_field("name", &config.name)?;
        dto.serialize_field("uri", &config.uri)?;
        dto.serialize_field("enabled", &config.enabled)?;
        dto.serialize_field("ssl", &config.ssl)?;
        dto.serialize_field("triggers", &config.triggers)?;
        if let Some(target) = &config.target_id {
            dto.serialize_field("targetId", target)?;
        }
        dto.serialize_field("createdBy", &Member(state, &config.created_by))?;
        dto.serialize_field("createdOn", &Time(config.created_on))?;
        if let Some(id) = &config.modified_by {
            dto.serialize_field("modifiedBy", &Member(state, id))?;
        }
        if let Some(at) = config.modified_on {
            dto.serialize_field("modifiedOn", &Time(at))?;
        }
        if let Some(at) = config.last_failure_on {
            dto.serialize_field("lastFailureOn", &Time(at))?;
        }
        if let Some(content) = &config.last_failure_content {
            dto.serialize_field("lastFailureContent", content)?;
        }
        if let Some(at) = config.last_success_on {
            dto.serialize_field("lastSuccessOn", &Time(at))?;
        }
        dto.end()
    }
}

/// `EmployeeDto` of a user, or of an id that names no user (the system account, a user gone).
impl Serialize for Member<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Member(state, id) = *self;
        let user = state.user(id);
        let mut dto = serializer.serialize_struct("Employee", 4)?;
        dto.serialize_field("id", user.map_or(id, |user| user.id.as_str()))?;
        dto.serialize_field("displayName", user.map_or("", |user| user.display_name.as_str()))?;
        dto.serialize_field("hasAvatar", &false)?;
        dto.serialize_field("isAnonim", &(user.is_none() && id == SYSTEM_ACCOUNT))?;
        dto.end()
    }
}

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format_iso_utc(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::WebhookWithStatus;
    use crate::state::{Role, User};

    #[test]
    fn the_list_is_the_json_of_its_dtos() {
        let user = |id: &str| User {
            id: id.into(),
            display_name: format!("{id} «name»"),
            role: Role::Owner,
            token: id.into(),
        };
        let mut state = State::new(vec![user("a"), user("b")]);
        let plain = Config {
            name: "plain <&>".into(),
            enabled: false,
            created_by: "a".into(),
            created_on: 1_782_813_600_123.0,
            ..Config::sample(1)
        };
        let full = Config {
            id: 2,
            triggers: 384,
            target_id: Some("42".into()),
            created_by: "gone".into(),
            modified_by: Some(SYSTEM_ACCOUNT.into()),
            modified_on: Some(1.0),
            last_failure_on: Some(2.0),
            last_failure_content: Some("Response status code does not indicate success: 503 (\"x\").".into()),
            last_success_on: Some(3.0),
            ..plain.clone()
        };
        let touched = Config { id: 3, modified_by: Some("b".into()), ..plain.clone() };
        state.configs = vec![plain, full, touched];
        let listed: Vec<Listed> = state
            .configs
            .iter()
            .enumerate()
            .map(|(i, config)| Listed { state: &state, config, status: i as u16 * 200 })
            .collect();
        let dtos: Vec<WebhookWithStatus> = state
            .configs
            .iter()
            .enumerate()
            .map(|(i, config)| WebhookWithStatus { configs: state.webhook_dto(config), status: i as u16 * 200 })
            .collect();
        assert_eq!(serde_json::to_string(&listed).unwrap(), serde_json::to_string(&dtos).unwrap());
    }
}
