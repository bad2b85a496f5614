//! The delivery log: its filter (contract §5.6) rendered as a query, and the pager that walks
//! it for `webhooksLogs()`.

use super::HttpRequest;
use crate::error::{DocSpaceError, Result};
use crate::routes;
use crate::validate;
use crate::view::{Kind, View};

/// The log filter's fields (contract §5.6).
pub const LOG_FILTER_FIELDS: [&str; 10] = [
    "deliveryFrom",
    "deliveryTo",
    "hookUri",
    "configId",
    "eventId",
    "groupStatus",
    "userId",
    "trigger",
    "count",
    "startIndex",
];

/// The log endpoint's page size limit (`[Range(1, 100)]`, also its default).
pub const MAX_PAGE: u32 = 100;

/// A validated log filter; `query()` renders it for one page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LogFilter {
    pub params: Vec<(&'static str, String)>,
    pub count: Option<u32>,
    pub start_index: u32,
}

impl LogFilter {
    /// The query of the page starting at `start_index`.
    pub fn query(&self, start_index: u32, count: Option<u32>) -> Vec<(&'static str, String)> {
        let mut query = self.params.clone();
        if let Some(count) = count {
            query.push(("count", count.to_string()));
        }
        if start_index > 0 {
            query.push(("startIndex", start_index.to_string()));
        }
        query
    }

    pub fn request(&self, start_index: u32, count: Option<u32>) -> HttpRequest {
        HttpRequest { query: self.query(start_index, count), ..HttpRequest::get(routes::WEBHOOKS_LOG) }
    }
}

pub fn parse_log_filter<V: View>(filter: &V) -> Result<LogFilter> {
    if filter.kind().is_absent() {
        return Ok(LogFilter::default());
    }
    validate::expect_object(filter, "filter", "{ configId, groupStatus, deliveryFrom, count }")?;
    validate::reject_unknown_keys(filter, "filter", &LOG_FILTER_FIELDS)?;
    let mut params = Vec::new();
    for key in ["deliveryFrom", "deliveryTo"] {
        if let Some(time) = log_time(&filter.get(key), &validate::path("filter", key))? {
            params.push((key, time));
        }
    }
    if let (Some(from), Some(to)) = (param(&params, "deliveryFrom"), param(&params, "deliveryTo")) {
        if from > to {
            return Err(DocSpaceError::invalid_input("filter.deliveryTo", "must not be before deliveryFrom"));
        }
    }
    if let Some(uri) = validate::opt_string(&filter.get("hookUri"), "filter.hookUri")? {
        if uri.is_empty() {
            return Err(DocSpaceError::invalid_input("filter.hookUri", "must not be empty"));
        }
        params.push(("hookUri", uri));
    }
    for key in ["configId", "eventId"] {
        let value = filter.get(key);
        if !value.kind().is_absent() {
            params.push((key, validate::id(&value, &validate::path("filter", key))?.to_string()));
        }
    }
    let group = filter.get("groupStatus");
    if !group.kind().is_absent() {
        let mask = crate::group_status::parse(&group, "filter.groupStatus")?;
        if mask != 0 {
            params.push(("groupStatus", mask.to_string()));
        }
    }
    if let Some(user) = validate::opt_string(&filter.get("userId"), "filter.userId")? {
        if !crate::guid::is_guid(&user) {
            return Err(DocSpaceError::invalid_input(
                "filter.userId",
                "must be a user id (a GUID like 0ee7a0b2-6c5f-4b7e-9a43-9a2a1f1b2c3d)",
            ));
        }
        params.push(("userId", user));
    }
    let trigger = filter.get("trigger");
    if !trigger.kind().is_absent() {
        let bit = log_trigger(&trigger)?;
        if bit != 0 {
            params.push(("trigger", bit.to_string()));
        }
    }
    let count =
        validate::opt_integer(&filter.get("count"), "filter.count", 1.0, f64::from(MAX_PAGE))?.map(|n| n as u32);
    let start_index = validate::opt_integer(&filter.get("startIndex"), "filter.startIndex", 0.0, f64::from(i32::MAX))?
        .map(|n| n as u32)
        .unwrap_or(0);
    Ok(LogFilter { params, count, start_index })
}

fn param<'a>(params: &'a [(&'static str, String)], key: &str) -> Option<&'a str> {
    params.iter().find(|(k, _)| *k == key).map(|(_, v)| v.as_str())
}

/// A filter time: a `Date`, or an ISO-8601 string (UTC when it has no offset).
fn log_time<V: View>(value: &V, field: &str) -> Result<Option<String>> {
    let ms = match value.kind() {
        kind if kind.is_absent() => return Ok(None),
        Kind::Date => value
            .date_ms()
            .filter(|ms| crate::time::in_range(*ms))
            .ok_or_else(|| DocSpaceError::invalid_input(field, "must be a valid Date between 1970 and 9999"))?,
        Kind::String => {
            let text = value.string().unwrap_or_default();
            crate::time::parse_iso(&text).ok_or_else(|| {
                DocSpaceError::invalid_input(
                    field,
                    format!(
                        "must be a Date or an ISO-8601 time like \"2026-06-30T10:00:00Z\", got {}",
                        crate::text::quote(&text, 40)
                    ),
                )
            })?
        }
        other => return Err(validate::wrong_type(field, "a Date or an ISO-8601 string", other)),
    };
    Ok(Some(crate::time::format_utc_wall_clock(ms)))
}

/// The log's `trigger` filter takes one event type: the server binds it to its (non-flags) enum,
/// so a combination of bits would be a 400.
fn log_trigger<V: View>(value: &V) -> Result<u64> {
    let field = "filter.trigger";
    let bit = match value.kind() {
        Kind::String | Kind::Number => validate::triggers_mask(value, field)?,
        other => return Err(validate::wrong_type(field, "one trigger name or bit", other)),
    };
    if bit != 0 && crate::triggers::by_bit(bit).is_none() {
        return Err(DocSpaceError::invalid_input(
            field,
            "filters by one event type; pass a single trigger, not a combination",
        ));
    }
    Ok(bit)
}

/// Walks the log page by page for `webhooksLogs()`: the next offset, and when to stop.
#[derive(Clone, Debug, PartialEq)]
pub struct LogPager {
    next_start: u32,
    page_size: u32,
    done: bool,
}

impl LogPager {
    pub fn new(filter: &LogFilter) -> Self {
        LogPager { next_start: filter.start_index, page_size: filter.count.unwrap_or(MAX_PAGE), done: false }
    }

    /// The next page's request, or `None` when every page was read.
    pub fn next_request(&self, filter: &LogFilter) -> Option<HttpRequest> {
        (!self.done).then(|| filter.request(self.next_start, Some(self.page_size)))
    }

    /// Records a page of `items` rows out of `total` matching ones.
    pub fn after_page(&mut self, items: usize, total: Option<f64>) {
        let items = u32::try_from(items).unwrap_or(u32::MAX);
        self.next_start = self.next_start.saturating_add(items);
        self.done = items == 0
            || match total {
                Some(total) => f64::from(self.next_start) >= total,
                None => items < self.page_size,
            };
    }

    pub fn finish(&mut self) {
        self.done = true;
    }

    pub fn is_done(&self) -> bool {
        self.done
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operations::json;
    use crate::view::Plain;

    #[test]
    fn log_filters_encode_like_the_contract() {
        let filter = parse_log_filter(&json(
            r#"{"configId":7,"groupStatus":["Status4xx","Status5xx"],"deliveryFrom":"2026-06-30T12:00:00+02:00","deliveryTo":"2026-07-01","trigger":"file.created","userId":"0ee7a0b2-6c5f-4b7e-9a43-9a2a1f1b2c3d","hookUri":"https://h/in","count":25,"startIndex":50}"#,
        ))
        .unwrap();
        let query = filter.query(filter.start_index, filter.count);
        let rendered: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert_eq!(
            rendered,
            [
                "deliveryFrom=2026-06-30T10:00:00.000",
                "deliveryTo=2026-07-01T00:00:00.000",
                "hookUri=https://h/in",
                "configId=7",
                "groupStatus=24",
                "userId=0ee7a0b2-6c5f-4b7e-9a43-9a2a1f1b2c3d",
                "trigger=128",
                "count=25",
                "startIndex=50"
            ]
        );
        let date = Plain::object([("deliveryFrom", Plain::Date(1_782_813_600_000.0))]);
        assert_eq!(
            parse_log_filter(&date).unwrap().params,
            vec![("deliveryFrom", "2026-06-30T10:00:00.000".to_string())]
        );
        assert_eq!(parse_log_filter(&Plain::Undefined).unwrap(), LogFilter::default());
        assert!(parse_log_filter(&json(r#"{"groupStatus":0,"trigger":"All"}"#)).unwrap().params.is_empty());
    }

    #[test]
    fn bad_log_filters_name_the_field() {
        let cases = [
            (r#"{"count":0}"#, "filter.count: must be an integer from 1 to 100"),
            (r#"{"count":101}"#, "filter.count: must be an integer from 1 to 100"),
            (r#"{"startIndex":-1}"#, "filter.startIndex: must be an integer from 0"),
            (r#"{"configId":"7"}"#, "filter.configId: must be an integer, got a string"),
            (r#"{"eventId":1.5}"#, "filter.eventId: must be an integer from 1"),
            (r#"{"deliveryFrom":"yesterday"}"#, "filter.deliveryFrom: must be a Date or an ISO-8601 time"),
            (r#"{"deliveryFrom":5}"#, "filter.deliveryFrom: must be a Date or an ISO-8601 string, got a number"),
            (
                r#"{"deliveryFrom":"2026-07-02","deliveryTo":"2026-07-01"}"#,
                "filter.deliveryTo: must not be before deliveryFrom",
            ),
            (r#"{"groupStatus":"5xx"}"#, "filter.groupStatus: unknown group status"),
            (r#"{"trigger":384}"#, "filter.trigger: filters by one event type"),
            (r#"{"trigger":["FileCreated"]}"#, "filter.trigger: must be one trigger name or bit, got an array"),
            (r#"{"userId":"me"}"#, "filter.userId: must be a user id"),
            (r#"{"hookUri":""}"#, "filter.hookUri: must not be empty"),
            (r#"{"config":7}"#, "filter.config: unknown option; did you mean \"configId\"?"),
            (r#"[]"#, "filter: must be an object"),
        ];
        for (input, expected) in cases {
            let err = parse_log_filter(&json(input)).unwrap_err();
            assert!(err.message.starts_with(expected), "{input}: {}", err.message);
        }
        let invalid_date = Plain::object([("deliveryTo", Plain::Date(f64::NAN))]);
        assert!(parse_log_filter(&invalid_date)
            .unwrap_err()
            .message
            .starts_with("filter.deliveryTo: must be a valid Date"));
    }

    #[test]
    fn the_pager_stops_at_total_or_a_short_page() {
        let filter = parse_log_filter(&json(r#"{"count":2,"configId":7}"#)).unwrap();
        let mut pager = LogPager::new(&filter);
        let first = pager.next_request(&filter).unwrap();
        assert_eq!(first.query, vec![("configId", "7".to_string()), ("count", "2".to_string())]);
        pager.after_page(2, Some(5.0));
        assert_eq!(pager.next_request(&filter).unwrap().query.last(), Some(&("startIndex", "2".to_string())));
        pager.after_page(2, Some(5.0));
        pager.after_page(1, Some(5.0));
        assert!(pager.next_request(&filter).is_none());
        let mut unknown_total = LogPager::new(&filter);
        unknown_total.after_page(1, None);
        assert!(unknown_total.next_request(&filter).is_none(), "a short page ends it");
        let mut empty = LogPager::new(&filter);
        empty.after_page(0, Some(10.0));
        assert!(empty.next_request(&filter).is_none(), "an empty page ends it even if total says more");
    }
}
