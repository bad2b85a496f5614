//! `WebhookGroupStatus` (contract §6.2): the `[Flags]` filter of the delivery log by outcome.
//! 0 (or nothing) means no filter; each bit *keeps* its class of rows.

use crate::error::DocSpaceError;
use crate::validate;
use crate::view::{Kind, View};

/// Name (the server's C# member) and bit of every class.
pub const GROUP_STATUSES: [(&str, u8); 5] =
    [("NotSent", 1), ("Status2xx", 2), ("Status3xx", 4), ("Status4xx", 8), ("Status5xx", 16)];

pub const ALL_BITS: u8 = 31;

/// Whether a log row with HTTP `status` belongs to the classes in `mask` (the server's
/// `GetQueryForJournal`: an unset bit removes its class; 1–199 are never removed).
pub fn matches(mask: u8, status: u16) -> bool {
    if mask == 0 {
        return true;
    }
    let class = match status {
        0 => 1,
        200..=299 => 2,
        300..=399 => 4,
        400..=499 => 8,
        500.. => 16,
        _ => return true,
    };
    mask & class != 0
}

/// Group-status input: a name, a bit mask number, or an array of those.
pub fn parse<V: View>(value: &V, field: &str) -> Result<u8, DocSpaceError> {
    match value.kind() {
        Kind::String => {
            let name = value.string().unwrap_or_default();
            GROUP_STATUSES.iter().find(|(known, _)| *known == name).map(|(_, bit)| *bit).ok_or_else(|| {
                let names: Vec<String> = GROUP_STATUSES.iter().map(|(n, _)| format!("\"{n}\"")).collect();
                DocSpaceError::invalid_input(
                    field,
                    format!("unknown group status {}; use {}", crate::text::quote(&name, 40), names.join(", ")),
                )
            })
        }
        Kind::Number => match validate::opt_integer(value, field, 0.0, f64::from(ALL_BITS))? {
            Some(n) => Ok(n as u8),
            None => Ok(0),
        },
        Kind::Array if value.is_empty() => {
            Err(DocSpaceError::invalid_input(field, "must not be an empty list; omit it for no filter"))
        }
        Kind::Array if value.len() > validate::MAX_LIST => Err(validate::too_long(field, value.len())),
        Kind::Array => {
            let mut mask = 0;
            for index in 0..value.len() {
                let item = value.at(index);
                let item_field = format!("{field}[{index}]");
                match item.kind() {
                    Kind::String | Kind::Number => mask |= parse(&item, &item_field)?,
                    other => return Err(validate::wrong_type(&item_field, "a group status name or bit", other)),
                }
            }
            Ok(mask)
        }
        other => Err(validate::wrong_type(field, "a group status name, bit, or an array of them", other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::Plain;

    #[test]
    fn classes_filter_like_the_server() {
        assert!(matches(0, 503));
        assert!(matches(1, 0) && !matches(1, 200));
        assert!(matches(2 | 16, 204) && matches(2 | 16, 503) && !matches(2 | 16, 404));
        assert!(matches(8, 150), "1–199 are never removed");
    }

    #[test]
    fn inputs_become_bits() {
        let list: Plain = serde_json::from_str(r#"["Status4xx", "Status5xx", 1]"#).unwrap();
        assert_eq!(parse(&list, "g").unwrap(), 25);
        assert_eq!(parse(&Plain::str("NotSent"), "g").unwrap(), 1);
        assert_eq!(parse(&Plain::Number(24.0), "g").unwrap(), 24);
        assert!(parse(&Plain::str("5xx"), "g").unwrap_err().message.contains("\"Status5xx\""));
        assert!(parse(&Plain::Number(32.0), "g").is_err());
        assert!(parse(&Plain::Array(vec![]), "g").is_err());
        assert!(parse(&Plain::Bool(true), "g").is_err());
    }
}
