//! docspace-webhooks: manage and receive ONLYOFFICE DocSpace webhooks from JavaScript. This
//! crate is the wasm that the npm package's Node and browser builds load:
//!
//! * [`client`]: `WebhooksClient`, over the pure [`operations`] and [`options`], run by the
//!   [`transport`] (`fetch` through web-sys, the answer awaited through [`settle`]) with the
//!   [`retry`] policy;
//! * [`receiver`]: the receiver's HMAC for browsers and workers, and a delivery's shape check;
//! * [`tables`]: the trigger table for the `Trigger` object;
//! * [`js`]: `DocSpaceError` as an instance of the package's JS class.
//!
//! The DocSpace facts they share with the stand-in portal (`crates/portal`) are in the core
//! crate (`crates/core`), re-exported here under their own names.

pub mod client;
mod js;
pub mod operations;
pub mod options;
pub mod receiver;
pub mod retry;
mod settle;
pub mod tables;
mod transport;

pub use client::{LogCursor, WebhooksClient};
pub use docspace_webhooks_core::{
    envelope, error, event, group_status, guid, model, routes, signature, suggest, text, time, triggers, url, validate,
    view,
};
pub use tables::{trigger_mask, trigger_names};

use wasm_bindgen::prelude::*;

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());

// The declarations rendered from the core by `cargo xtask types` (a custom section must live in
// this crate: the linker drops one in a dependency that nothing references).
#[wasm_bindgen(typescript_custom_section)]
const TS_TABLES: &str = include_str!("../pkg-template/types/tables.d.ts");

#[wasm_bindgen(typescript_custom_section)]
const TS_MODEL: &str = include_str!("../pkg-template/types/model.d.ts");

/// The class and option declarations are written by hand (wasm-bindgen cannot mark a trailing
/// argument optional or type a method precisely); tests check their keys against the Rust ones.
#[wasm_bindgen(typescript_custom_section)]
const TS_CLIENT: &str = include_str!("../pkg-template/types/client.d.ts");

#[wasm_bindgen(typescript_custom_section)]
const TS_RECEIVER: &str = include_str!("../pkg-template/types/receiver.d.ts");

/// The hand-written declarations against what the Rust code accepts.
#[cfg(test)]
mod declarations {
    /// Member names of `export interface <name> { … }` in a declaration file.
    fn interface_members(ts: &str, name: &str) -> Vec<String> {
        let start = ts.find(&format!("export interface {name} ")).unwrap_or_else(|| panic!("no interface {name}"));
        let body = &ts[start..];
        let body = &body[body.find('{').unwrap() + 1..body.find("\n}").unwrap()];
        body.lines()
            .filter_map(|line| {
                let line = line.trim();
                let end = line.find(['?', ':'])?;
                let key = &line[..end];
                (!key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric())).then(|| key.to_string())
            })
            .collect()
    }

    #[test]
    fn hand_written_input_types_list_exactly_the_keys_rust_accepts() {
        let ts = include_str!("../pkg-template/types/client.d.ts");
        let sorted = |mut keys: Vec<String>| {
            keys.sort();
            keys
        };
        let rust = |keys: &[&str]| sorted(keys.iter().map(|k| k.to_string()).collect());
        assert_eq!(sorted(interface_members(ts, "WebhooksClientOptions")), rust(&crate::options::OPTION_NAMES));
        assert_eq!(sorted(interface_members(ts, "RequestOptions")), rust(&crate::operations::CALL_OPTION_NAMES));
        assert_eq!(sorted(interface_members(ts, "WebhookInput")), rust(&crate::operations::WEBHOOK_FIELDS));
        assert_eq!(sorted(interface_members(ts, "WebhookChanges")), rust(&crate::operations::WEBHOOK_FIELDS));
        assert_eq!(sorted(interface_members(ts, "WebhookUpdate")), rust(&crate::operations::UPDATE_FIELDS));
        assert_eq!(sorted(interface_members(ts, "WebhookLogFilter")), rust(&crate::operations::LOG_FILTER_FIELDS));
    }
}
