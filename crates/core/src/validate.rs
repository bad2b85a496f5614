//! Reading caller input through [`View`] with errors that name the field and say what was
//! expected and what arrived. Every check happens before any request is sent.

use crate::error::DocSpaceError;
pub use crate::error::Result;
use crate::suggest;
use crate::text::number;
use crate::triggers;
use crate::view::{Kind, View};

/// `parent.key`, or just `key` at the top level.
pub fn path(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

pub fn wrong_type(field: &str, expected: &str, got: Kind) -> DocSpaceError {
    if got == Kind::LongString {
        // Its type may be right; its length is what no field allows.
        return DocSpaceError::invalid_input(field, "is over a million characters long, far more than any field takes");
    }
    DocSpaceError::invalid_input(field, format!("must be {expected}, got {}", got.describe()))
}

/// Requires a plain object; `example` shows the caller what one looks like.
pub fn expect_object<V: View>(value: &V, field: &str, example: &str) -> Result<()> {
    match value.kind() {
        Kind::Object => Ok(()),
        other => Err(DocSpaceError::invalid_input(
            field,
            format!("must be an object like {example}, got {}", other.describe()),
        )),
    }
}

/// Refuses keys outside `allowed`, suggesting the closest allowed one (typos like `tokne`).
pub fn reject_unknown_keys<V: View>(value: &V, field: &str, allowed: &[&str]) -> Result<()> {
    for key in value.keys() {
        if allowed.contains(&key.as_str()) {
            continue;
        }
        let hint = suggest::closest(&key, allowed.iter().copied())
            .map(|near| format!("; did you mean \"{near}\"?"))
            .unwrap_or_else(|| format!("; known options: {}", allowed.join(", ")));
        let shown: String = key.chars().take(40).collect();
        return Err(DocSpaceError::invalid_input(&path(field, &shown), format!("unknown option{hint}")));
    }
    Ok(())
}

/// A string field, `None` when undefined or null.
pub fn opt_string<V: View>(value: &V, field: &str) -> Result<Option<String>> {
    match value.kind() {
        kind if kind.is_absent() => Ok(None),
        Kind::String => Ok(value.string()),
        other => Err(wrong_type(field, "a string", other)),
    }
}

/// A required non-blank string, at most `max_chars` characters (UTF-16 units, like the server's
/// `[StringLength]`).
pub fn req_string<V: View>(value: &V, field: &str, max_chars: usize) -> Result<String> {
    let text = opt_string(value, field)?.ok_or_else(|| DocSpaceError::invalid_input(field, "is required"))?;
    if text.trim().is_empty() {
        return Err(DocSpaceError::invalid_input(field, "must not be empty"));
    }
    check_length(&text, field, max_chars)?;
    Ok(text)
}

pub fn check_length(text: &str, field: &str, max_chars: usize) -> Result<()> {
    let length = text.encode_utf16().count();
    if length > max_chars {
        return Err(DocSpaceError::invalid_input(
            field,
            format!("must be at most {max_chars} characters, got {length}"),
        ));
    }
    Ok(())
}

pub fn opt_bool<V: View>(value: &V, field: &str) -> Result<Option<bool>> {
    match value.kind() {
        kind if kind.is_absent() => Ok(None),
        Kind::Bool => Ok(value.boolean()),
        other => Err(wrong_type(field, "a boolean", other)),
    }
}

pub fn req_bool<V: View>(value: &V, field: &str) -> Result<bool> {
    opt_bool(value, field)?.ok_or_else(|| DocSpaceError::invalid_input(field, "is required (true or false)"))
}

/// An integer within `min..=max`, `None` when undefined or null.
pub fn opt_integer<V: View>(value: &V, field: &str, min: f64, max: f64) -> Result<Option<f64>> {
    match value.kind() {
        kind if kind.is_absent() => Ok(None),
        Kind::Number => {
            let n = value.number().unwrap_or(f64::NAN);
            if n.is_finite() && n.fract() == 0.0 && n >= min && n <= max {
                Ok(Some(n))
            } else {
                Err(DocSpaceError::invalid_input(
                    field,
                    format!("must be an integer from {} to {}, got {}", number(min), number(max), number(n)),
                ))
            }
        }
        other => Err(wrong_type(field, "an integer", other)),
    }
}

/// The id of a webhook or a log row: a positive int32, as the server's `{id:int}` routes take.
pub fn id<V: View>(value: &V, field: &str) -> Result<u32> {
    match opt_integer(value, field, 1.0, i32::MAX as f64)? {
        Some(n) => Ok(n as u32),
        None => Err(DocSpaceError::invalid_input(field, "is required (a positive integer id)")),
    }
}

/// The most entries a list input may have (37 triggers, 5 group statuses; a longer list is a bug
/// in the caller, and a huge sparse array must not keep us busy).
pub const MAX_LIST: usize = 1000;

pub fn too_long(field: &str, length: usize) -> DocSpaceError {
    DocSpaceError::invalid_input(field, format!("must have at most {MAX_LIST} entries, got {length}"))
}

/// Trigger input: a `Trigger` constant or other number (a mask), a C# or dotted name,
/// `"All"`/`"*"`, or an array of those. Returns the numeric mask the wire needs.
pub fn triggers_mask<V: View>(value: &V, field: &str) -> Result<u64> {
    match value.kind() {
        Kind::Number => triggers::check_mask_number(field, value.number().unwrap_or(f64::NAN)),
        Kind::String => triggers::parse_name(field, &value.string().unwrap_or_default()),
        Kind::Array if value.len() > MAX_LIST => Err(too_long(field, value.len())),
        Kind::Array => {
            let mut bits = Vec::with_capacity(value.len());
            for index in 0..value.len() {
                let item = value.at(index);
                let item_field = format!("{field}[{index}]");
                let bit = match item.kind() {
                    Kind::Number | Kind::String => triggers_mask(&item, &item_field)?,
                    other => return Err(wrong_type(&item_field, "a trigger name or number", other)),
                };
                let label = match item.string() {
                    Some(name) => format!("\"{name}\""),
                    None => bit.to_string(),
                };
                bits.push((label, bit));
            }
            triggers::combine(field, &bits)
        }
        other => Err(wrong_type(field, "a trigger name, a Trigger constant, or an array of them", other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::{json, Plain};

    #[test]
    fn unknown_keys_are_refused_with_a_suggestion() {
        let options = json(r#"{"baseUrl":"https://x","tokne":"a"}"#);
        let err = reject_unknown_keys(&options, "", &["baseUrl", "token"]).unwrap_err();
        assert_eq!(err.message, "tokne: unknown option; did you mean \"token\"?");
        let err = reject_unknown_keys(&options, "opts", &["baseUrl"]).unwrap_err();
        assert!(err.message.starts_with("opts.tokne: unknown option; known options: baseUrl"));
    }

    #[test]
    fn type_errors_say_what_arrived() {
        let err = req_string(&Plain::Number(5.0), "name", 50).unwrap_err();
        assert_eq!(err.message, "name: must be a string, got a number");
        let err = req_string(&Plain::Undefined, "name", 50).unwrap_err();
        assert_eq!(err.message, "name: is required");
        let err = req_string(&Plain::str("   "), "name", 50).unwrap_err();
        assert_eq!(err.message, "name: must not be empty");
        let err = req_string(&Plain::str(&"x".repeat(51)), "name", 50).unwrap_err();
        assert_eq!(err.message, "name: must be at most 50 characters, got 51");
        let err = wrong_type("name", "a string", Kind::LongString);
        assert_eq!(err.message, "name: is over a million characters long, far more than any field takes");
        assert_eq!(opt_bool(&Plain::Null, "enabled").unwrap(), None);
        assert!(opt_bool(&Plain::str("true"), "enabled").is_err());
    }

    #[test]
    fn ids_are_positive_int32() {
        assert_eq!(id(&Plain::Number(7.0), "id").unwrap(), 7);
        for bad in [0.0, -1.0, 1.5, f64::NAN, 2f64.powi(31), 2f64.powi(53)] {
            let err = id(&Plain::Number(bad), "id").unwrap_err();
            assert!(err.message.starts_with("id: must be an integer from 1 to 2147483647"), "{}", err.message);
        }
        assert_eq!(id(&Plain::str("7"), "id").unwrap_err().message, "id: must be an integer, got a string");
        assert_eq!(id(&Plain::Undefined, "id").unwrap_err().message, "id: is required (a positive integer id)");
    }

    #[test]
    fn trigger_inputs_become_the_numeric_mask() {
        assert_eq!(triggers_mask(&Plain::str("FileUploaded"), "t").unwrap(), 256);
        assert_eq!(triggers_mask(&Plain::str("file.uploaded"), "t").unwrap(), 256);
        assert_eq!(triggers_mask(&Plain::str("All"), "t").unwrap(), 0);
        assert_eq!(triggers_mask(&Plain::str("*"), "t").unwrap(), 0);
        assert_eq!(triggers_mask(&Plain::Number(384.0), "t").unwrap(), 384);
        let list = json(r#"["FileCreated", "file.uploaded", 34359738368]"#);
        assert_eq!(triggers_mask(&list, "t").unwrap(), 128 | 256 | (1 << 35));
        let err = triggers_mask(&json(r#"["FileCreated", true]"#), "t").unwrap_err();
        assert_eq!(err.message, "t[1]: must be a trigger name or number, got a boolean");
        let err = triggers_mask(&json(r#"["FileCreated", "Nope"]"#), "t").unwrap_err();
        assert!(err.message.starts_with("t[1]: unknown trigger \"Nope\""), "{}", err.message);
        assert!(triggers_mask(&json("[]"), "t").is_err());
        assert!(triggers_mask(&json(r#"["All", 256]"#), "t").is_err());
        assert!(triggers_mask(&Plain::Null, "t").is_err());
    }
}
