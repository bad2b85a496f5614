//! ASP.NET model binding as the real portal does it for these DTOs (contract §2, §3.4): JSON
//! bodies with case-insensitive property names, numbers also as strings, enums only as numbers,
//! `[Required]`/`[StringLength]`; and the log query. Failures are field errors, which the
//! caller wraps in a `ValidationProblemDetails`.

use crate::error::FieldErrors;
use crate::group_status::GROUP_STATUSES;
use crate::time::parse_iso;
use crate::triggers;
use serde_json::{Map, Value};

const CREATE_DTO: &str = "ASC.Web.Api.ApiModels.RequestsDto.CreateWebhooksConfigRequestsDto";
const UPDATE_DTO: &str = "ASC.Web.Api.ApiModels.RequestsDto.UpdateWebhooksConfigRequestsDto";

/// `CreateWebhooksConfigRequestsDto` / `UpdateWebhooksConfigRequestsDto`, bound.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WebhookDto {
    pub id: Option<u32>,
    pub name: String,
    pub uri: String,
    pub secret_key: Option<String>,
    pub enabled: bool,
    pub ssl: bool,
    pub triggers: u64,
    pub target_id: Option<String>,
}

fn add(errors: &mut FieldErrors, field: &str, message: String) {
    match errors.iter_mut().find(|(f, _)| f == field) {
        Some((_, messages)) => messages.push(message),
        None => errors.push((field.to_string(), vec![message])),
    }
}

fn conversion(errors: &mut FieldErrors, json_name: &str, type_name: &str) {
    add(
        errors,
        &format!("$.{json_name}"),
        format!("The JSON value could not be converted to {type_name}. Path: $.{json_name}."),
    );
}

/// The body as a JSON object, or the `$` error System.Text.Json gives.
pub fn object(body: &str, dto: &str) -> Result<Map<String, Value>, FieldErrors> {
    match serde_json::from_str::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(vec![("$".into(), vec![format!("The JSON value could not be converted to {dto}. Path: $.")])]),
        Err(_) => Err(vec![(
            "$".into(),
            vec!["The input does not contain any JSON tokens or is not valid JSON. Path: $.".into()],
        )]),
    }
}

/// A property by name, ignoring case (the web default of ASP.NET's JSON options).
pub fn property<'a>(map: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    map.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value)
}

fn string(map: &Map<String, Value>, name: &str, errors: &mut FieldErrors) -> Option<String> {
    match property(map, name) {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => Some(text.clone()),
        Some(_) => {
            conversion(errors, name, "System.String");
            None
        }
    }
}

fn boolean(map: &Map<String, Value>, name: &str, errors: &mut FieldErrors) -> bool {
    match property(map, name) {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            conversion(errors, name, "System.Boolean");
            false
        }
    }
}

/// A number, or a numeric string (`NumberHandling = AllowReadingFromString`).
fn integer(value: &Value) -> Option<i128> {
    match value {
        Value::Number(n) => n.as_i64().map(i128::from).or_else(|| n.as_u64().map(i128::from)),
        Value::String(text) => text.trim().parse::<i128>().ok(),
        _ => None,
    }
}

pub fn bind_webhook(body: &str, update: bool) -> Result<WebhookDto, FieldErrors> {
    let dto_type = if update { UPDATE_DTO } else { CREATE_DTO };
    let map = object(body, dto_type)?;
    let mut errors = FieldErrors::new();
    let name = string(&map, "name", &mut errors);
    let uri = string(&map, "uri", &mut errors);
    let secret_key = string(&map, "secretKey", &mut errors);
    let target_id = string(&map, "targetId", &mut errors);
    let enabled = boolean(&map, "enabled", &mut errors);
    let ssl = boolean(&map, "ssl", &mut errors);
    let triggers = match property(&map, "triggers") {
        None | Some(Value::Null) => 0,
        // An enum binds from a number only: "FileUploaded" or "file.uploaded" is a 400 (§6.1).
        Some(value @ Value::Number(_)) => match integer(value).and_then(|n| u64::try_from(n).ok()) {
            Some(mask) if mask <= triggers::MAX_SAFE_INTEGER => mask,
            _ => {
                conversion(&mut errors, "triggers", "ASC.Webhooks.Core.WebhookTrigger");
                0
            }
        },
        Some(_) => {
            conversion(&mut errors, "triggers", "ASC.Webhooks.Core.WebhookTrigger");
            0
        }
    };
    let id = match property(&map, "id") {
        None if update => {
            add(
                &mut errors,
                "$",
                format!(
                    "JSON deserialization for type '{UPDATE_DTO}' was missing required properties including: 'id'."
                ),
            );
            None
        }
        None | Some(Value::Null) => None,
        Some(value) => match integer(value).and_then(|n| i32::try_from(n).ok()) {
            Some(id) => Some(u32::try_from(id).unwrap_or(0)),
            None => {
                conversion(&mut errors, "id", "System.Int32");
                None
            }
        },
    };
    for (field, value, max) in [("Name", &name, Some(50)), ("Uri", &uri, None)] {
        match value {
            Some(text) if !text.trim().is_empty() => {
                if let Some(max) = max.filter(|max| text.encode_utf16().count() > *max) {
                    add(
                        &mut errors,
                        field,
                        format!("The field {field} must be a string with a maximum length of {max}."),
                    );
                }
            }
            _ => add(&mut errors, field, format!("The {field} field is required.")),
        }
    }
    for (field, value, max) in [("SecretKey", &secret_key, 50), ("TargetId", &target_id, 255)] {
        if value.as_ref().is_some_and(|text| text.encode_utf16().count() > max) {
            add(&mut errors, field, format!("The field {field} must be a string with a maximum length of {max}."));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(WebhookDto {
        id,
        name: name.unwrap_or_default(),
        uri: uri.unwrap_or_default(),
        secret_key,
        enabled,
        ssl,
        triggers,
        target_id,
    })
}

/// `WebhookRetryRequestsDto`: `Ok(None)` for `ids: null` (which the server turns into a 500).
pub fn bind_retry(body: &str) -> Result<Option<Vec<i64>>, FieldErrors> {
    let map = object(body, "ASC.Web.Api.ApiModels.RequestsDto.WebhookRetryRequestsDto")?;
    let mut errors = FieldErrors::new();
    let ids = match property(&map, "ids") {
        None | Some(Value::Null) => None,
        Some(Value::Array(items)) => {
            let ids: Option<Vec<i64>> =
                items.iter().map(|v| integer(v).and_then(|n| i32::try_from(n).ok()).map(i64::from)).collect();
            if ids.is_none() {
                conversion(&mut errors, "ids", "System.Int32");
            }
            ids
        }
        Some(_) => {
            conversion(&mut errors, "ids", "System.Collections.Generic.List`1[System.Int32]");
            None
        }
    };
    match errors.is_empty() {
        true => Ok(ids),
        false => Err(errors),
    }
}

/// `WebhookLogsRequestDto`, bound from the query string.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LogQuery {
    pub delivery_from: Option<f64>,
    pub delivery_to: Option<f64>,
    pub hook_uri: Option<String>,
    pub config_id: Option<u32>,
    pub event_id: Option<u32>,
    pub group_status: u8,
    pub user_id: Option<String>,
    pub trigger: u64,
    pub count: usize,
    pub start_index: usize,
}

pub fn bind_log_query(query: &[(String, String)]) -> Result<LogQuery, FieldErrors> {
    let mut errors = FieldErrors::new();
    let get =
        |name: &str| query.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str());
    let mut invalid =
        |name: &str, value: &str| add(&mut errors, name, format!("The value '{value}' is not valid for {name}."));
    let mut bound = LogQuery { count: 100, ..LogQuery::default() };
    for (name, slot) in [("deliveryFrom", &mut bound.delivery_from), ("deliveryTo", &mut bound.delivery_to)] {
        if let Some(value) = get(name).filter(|v| !v.is_empty()) {
            match parse_iso(value) {
                Some(ms) => *slot = Some(ms),
                None => invalid(name, value),
            }
        }
    }
    bound.hook_uri = get("hookUri").filter(|v| !v.is_empty()).map(str::to_string);
    for (name, slot) in [("configId", &mut bound.config_id), ("eventId", &mut bound.event_id)] {
        if let Some(value) = get(name).filter(|v| !v.is_empty()) {
            match value.parse::<i32>() {
                Ok(n) => *slot = Some(u32::try_from(n).unwrap_or(0)),
                Err(_) => invalid(name, value),
            }
        }
    }
    if let Some(value) = get("groupStatus").filter(|v| !v.is_empty()) {
        match parse_group_status(value) {
            Some(mask) => bound.group_status = mask,
            None => invalid("groupStatus", value),
        }
    }
    if let Some(value) = get("userId").filter(|v| !v.is_empty()) {
        match crate::guid::is_guid(value) {
            true => bound.user_id = Some(value.to_ascii_lowercase()),
            false => invalid("userId", value),
        }
    }
    if let Some(value) = get("trigger").filter(|v| !v.is_empty()) {
        // A non-[Flags] enum: a defined number or a C# member name; no combinations, no dots.
        let bit = match value.parse::<u64>() {
            Ok(n) => triggers::by_bit(n).map(|def| def.bit),
            Err(_) => triggers::TRIGGERS.iter().find(|def| def.name.eq_ignore_ascii_case(value)).map(|def| def.bit),
        };
        match bit {
            Some(bit) => bound.trigger = bit,
            None => invalid("trigger", value),
        }
    }
    if let Some(value) = get("count").filter(|v| !v.is_empty()) {
        match value.parse::<i32>() {
            Ok(n) if (1..=100).contains(&n) => bound.count = n as usize,
            Ok(_) => add(&mut errors, "Count", "The field Count must be between 1 and 100.".into()),
            Err(_) => add(&mut errors, "count", format!("The value '{value}' is not valid for count.")),
        }
    }
    if let Some(value) = get("startIndex").filter(|v| !v.is_empty()) {
        match value.parse::<i32>() {
            Ok(n) => bound.start_index = usize::try_from(n).unwrap_or(0),
            Err(_) => add(&mut errors, "startIndex", format!("The value '{value}' is not valid for startIndex.")),
        }
    }
    match errors.is_empty() {
        true => Ok(bound),
        false => Err(errors),
    }
}

/// A `[Flags]` enum from a query value: a number within the defined bits, or names separated by
/// commas (`"Status4xx, Status5xx"`).
fn parse_group_status(value: &str) -> Option<u8> {
    if let Ok(n) = value.trim().parse::<u32>() {
        return u8::try_from(n).ok().filter(|n| *n <= crate::group_status::ALL_BITS);
    }
    value.split(',').try_fold(0u8, |mask, name| {
        let name = name.trim();
        GROUP_STATUSES.iter().find(|(known, _)| known.eq_ignore_ascii_case(name)).map(|(_, bit)| mask | bit)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhook_bodies_bind_like_aspnet() {
        let dto = bind_webhook(
            r#"{"NAME":"n","Uri":"https://h","secretKey":"S3cret-Key!","triggers":384,"ssl":true}"#,
            false,
        )
        .unwrap();
        assert_eq!((dto.name.as_str(), dto.triggers, dto.ssl, dto.enabled), ("n", 384, true, false));
        // An enum never binds from a string, not even a numeric one (no string enum converter).
        assert_eq!(bind_webhook(r#"{"name":"n","uri":"u","triggers":"384"}"#, false).unwrap_err()[0].0, "$.triggers");
        let errors = bind_webhook(r#"{"uri":"https://h","triggers":"FileUploaded"}"#, false).unwrap_err();
        assert_eq!(errors[0].0, "$.triggers");
        assert_eq!(errors[1], ("Name".to_string(), vec!["The Name field is required.".to_string()]));
        let errors = bind_webhook(r#"{"name":"n","uri":"https://h"}"#, true).unwrap_err();
        assert!(errors[0].1[0].contains("missing required properties including: 'id'"));
        assert_eq!(bind_webhook("{nope", false).unwrap_err()[0].0, "$");
        assert_eq!(bind_webhook("[]", false).unwrap_err()[0].0, "$");
        let long = format!(r#"{{"name":"{}","uri":"u"}}"#, "x".repeat(51));
        assert_eq!(
            bind_webhook(&long, false).unwrap_err()[0].1[0],
            "The field Name must be a string with a maximum length of 50."
        );
        assert_eq!(bind_webhook(r#"{"name":"n","uri":"u","enabled":"true"}"#, false).unwrap_err()[0].0, "$.enabled");
        assert_eq!(bind_webhook(r#"{"id":"7","name":"n","uri":"u"}"#, true).unwrap().id, Some(7));
    }

    #[test]
    fn retry_bodies() {
        assert_eq!(bind_retry(r#"{"Ids":[1,"2"]}"#).unwrap(), Some(vec![1, 2]));
        assert_eq!(bind_retry(r#"{"ids":null}"#).unwrap(), None);
        assert!(bind_retry(r#"{"ids":"1"}"#).is_err());
    }

    #[test]
    fn log_queries_bind_and_refuse_like_the_server() {
        let query =
            |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Vec<_>>();
        let bound = bind_log_query(&query(&[
            ("configid", "7"),
            ("groupStatus", "Status4xx, Status5xx"),
            ("trigger", "FileCreated"),
            ("count", "25"),
        ]))
        .unwrap();
        assert_eq!((bound.config_id, bound.group_status, bound.trigger, bound.count), (Some(7), 24, 128, 25));
        assert_eq!(bind_log_query(&query(&[("trigger", "384")])).unwrap_err()[0].0, "trigger");
        assert_eq!(bind_log_query(&query(&[("trigger", "file.created")])).unwrap_err()[0].0, "trigger");
        assert_eq!(
            bind_log_query(&query(&[("count", "101")])).unwrap_err()[0].1[0],
            "The field Count must be between 1 and 100."
        );
        assert_eq!(bind_log_query(&query(&[("groupStatus", "64")])).unwrap_err()[0].0, "groupStatus");
        assert_eq!(bind_log_query(&query(&[("userId", "me")])).unwrap_err()[0].0, "userId");
        assert_eq!(bind_log_query(&query(&[])).unwrap().count, 100);
    }
}
