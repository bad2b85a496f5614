//! The delivered payload (contract §8.3): `{event: {id, createOn, createBy, trigger, triggerId},
//! payload, webhook: {id, name, url, triggers, …}}`. Checked through [`View`] after the
//! signature, so the receiver gets the parsed object itself, with a top-level `trigger`
//! (the dotted name) added as the discriminant of the TypeScript union.

use crate::error::DocSpaceError;
use crate::view::{Kind, View};

fn malformed(reason: &str) -> DocSpaceError {
    DocSpaceError::invalid_input("rawBody", format!("is not a DocSpace webhook delivery: {reason}"))
}

/// Checks the envelope of a delivery and returns its dotted trigger name. An unknown trigger
/// (from a newer portal) is fine: it is only a name.
pub fn check<V: View>(delivery: &V) -> Result<String, DocSpaceError> {
    if delivery.kind() != Kind::Object {
        return Err(malformed(&format!("expected a JSON object, got {}", delivery.kind().describe())));
    }
    let event = delivery.get("event");
    if event.kind() != Kind::Object {
        return Err(malformed("it has no \"event\" object"));
    }
    if event.get("id").number().is_none_or(|id| id.fract() != 0.0) {
        return Err(malformed("event.id is not an integer"));
    }
    let trigger = event
        .get("trigger")
        .string()
        .filter(|t| !t.is_empty())
        .ok_or_else(|| malformed("event.trigger is not a name"))?;
    // Legacy rows (contract §8.3) carry trigger "*" and may lack a numeric triggerId.
    if trigger != "*" && event.get("triggerId").number().is_none() {
        return Err(malformed("event.triggerId is not a number"));
    }
    if delivery.get("webhook").kind() != Kind::Object {
        return Err(malformed("it has no \"webhook\" object"));
    }
    Ok(trigger)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::json;

    #[test]
    fn deliveries_are_checked_and_unknown_triggers_pass() {
        let delivery = r#"{"event":{"id":1234,"createOn":"2026-06-30T10:13:11Z","createBy":"0ee7a0b2","trigger":"file.created","triggerId":128},
            "payload":{"id":42,"title":"report.docx"},"webhook":{"id":7,"name":"P","url":"https://h","triggers":["file.created"]}}"#;
        assert_eq!(check(&json(delivery)).unwrap(), "file.created");
        let newer =
            delivery.replace("file.created\",\"triggerId\":128", "space.teleported\",\"triggerId\":68719476736");
        assert_eq!(check(&json(&newer)).unwrap(), "space.teleported");
        let legacy = r#"{"event":{"id":1,"trigger":"*"},"payload":"old body","webhook":{"id":7}}"#;
        assert_eq!(check(&json(legacy)).unwrap(), "*");
    }

    #[test]
    fn malformed_deliveries_say_why() {
        for (body, reason) in [
            ("[]", "expected a JSON object, got an array"),
            (r#"{"payload":{}}"#, "no \"event\" object"),
            (
                r#"{"event":{"id":"1","trigger":"file.created","triggerId":128},"webhook":{}}"#,
                "event.id is not an integer",
            ),
            (r#"{"event":{"id":1,"triggerId":128},"webhook":{}}"#, "event.trigger is not a name"),
            (r#"{"event":{"id":1,"trigger":"file.created"},"webhook":{}}"#, "event.triggerId is not a number"),
            (r#"{"event":{"id":1,"trigger":"file.created","triggerId":128}}"#, "no \"webhook\" object"),
        ] {
            let err = check(&json(body)).unwrap_err();
            assert!(err.message.starts_with("rawBody: is not a DocSpace webhook delivery"), "{}", err.message);
            assert!(err.message.ends_with(reason), "{body}: {}", err.message);
        }
    }
}
