//! Checking what the portal answered: the shapes each operation expects, and the triggers
//! list normalised from both server versions.

use crate::error::{DocSpaceError, Result};
use crate::model::TriggerInfo;
use crate::view::{Kind, View};

/// Checks that a single-object answer is an object.
pub fn expect_object_response<V: View>(response: V, what: &str) -> Result<V> {
    match response.kind() {
        Kind::Object => Ok(response),
        other => Err(DocSpaceError::new(
            crate::error::ErrorKind::InvalidResponse,
            format!("expected {what} as an object, got {}", other.describe()),
        )),
    }
}

/// Normalises the triggers list: v3.7+ answers `[{name, id, available}]`, v3.1–3.6 a map
/// `{"*": 0, "user.created": 1, …}` (contract §5.9).
pub fn decode_triggers<V: View>(response: &V) -> Result<Vec<TriggerInfo>> {
    let bad = |detail: String| {
        DocSpaceError::new(crate::error::ErrorKind::InvalidResponse, format!("unexpected triggers list: {detail}"))
    };
    let entry = |name: String, id: f64, available: Option<bool>| -> Result<TriggerInfo> {
        let id = crate::triggers::check_mask_number("id", id)
            .map_err(|_| bad(format!("{name} has id {}", crate::text::number(id))))?;
        let key =
            crate::triggers::by_name(&name).or_else(|| crate::triggers::by_bit(id)).map(|def| def.name.to_string());
        Ok(TriggerInfo { id, name, key, available })
    };
    match response.kind() {
        Kind::Array => (0..response.len())
            .map(|index| {
                let item = response.at(index);
                let name = item.get("name").string().ok_or_else(|| bad(format!("item {index} has no name")))?;
                let id = item.get("id").number().ok_or_else(|| bad(format!("item {index} has no numeric id")))?;
                entry(name, id, item.get("available").boolean())
            })
            .collect(),
        Kind::Object => response
            .keys()
            .into_iter()
            .map(|name| {
                let id = response.get(&name).number().ok_or_else(|| bad(format!("{name} is not a number")))?;
                entry(name, id, None)
            })
            .collect(),
        other => Err(bad(format!("got {}", other.describe()))),
    }
}

/// Checks that a list answer is an array of objects and hands it on unchanged: the caller gets
/// the server's own objects (no copy), which is what keeps the client as fast as a raw `fetch`.
pub fn expect_object_list<V: View>(response: V, what: &str) -> Result<V> {
    if response.kind() != Kind::Array {
        return Err(DocSpaceError::new(
            crate::error::ErrorKind::InvalidResponse,
            format!("expected {what} as an array, got {}", response.kind().describe()),
        ));
    }
    match response.first_non_object() {
        None => Ok(response),
        Some(index) => Err(DocSpaceError::new(
            crate::error::ErrorKind::InvalidResponse,
            format!("expected {what}[{index}] to be an object, got {}", response.at(index).kind().describe()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operations::json;

    #[test]
    fn lists_must_be_arrays_of_objects() {
        assert!(expect_object_list(json(r#"[{"configs":{}}]"#), "webhooks").is_ok());
        assert_eq!(
            expect_object_list(json(r#"{}"#), "webhooks").unwrap_err().message,
            "expected webhooks as an array, got an object"
        );
        assert_eq!(
            expect_object_list(json(r#"[{}, 3]"#), "webhooks").unwrap_err().message,
            "expected webhooks[1] to be an object, got a number"
        );
    }
    #[test]
    fn triggers_normalise_both_server_shapes() {
        let v37 = json(
            r#"[{"name":"*","id":0,"available":true},{"name":"user.created","id":1,"available":false},{"name":"agent.deleted","id":8589934592,"available":true},{"name":"future.thing","id":68719476736,"available":true}]"#,
        );
        let list = decode_triggers(&v37).unwrap();
        assert_eq!(list[0], TriggerInfo { id: 0, name: "*".into(), key: Some("All".into()), available: Some(true) });
        assert_eq!(list[2].key.as_deref(), Some("AgentDeleted"));
        assert_eq!((list[3].key.clone(), list[3].id), (None, 1 << 36));
        let v36 = json(r#"{"*":0,"user.created":1,"room.copied":134217728}"#);
        let list = decode_triggers(&v36).unwrap();
        assert_eq!(list.len(), 3);
        assert_eq!(
            list[2],
            TriggerInfo {
                id: 134_217_728,
                name: "room.copied".into(),
                key: Some("RoomCopied".into()),
                available: None
            }
        );
        assert!(decode_triggers(&json(r#"[{"name":"x"}]"#)).is_err());
        assert!(decode_triggers(&json(r#""nope""#)).is_err());
    }
}
