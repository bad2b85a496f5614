//! docspace-webhooks: manage and receive ONLYOFFICE DocSpace webhooks from JavaScript.
//!
//! This file is the wasm-bindgen surface only. The pure modules (`triggers`, `model`,
//! `envelope`, `error`, `input`, `options`, `client`, `retry`) compile and test natively; `js`
//! and `transport` are the thin layer that touches JavaScript.

pub mod client;
pub mod envelope;
pub mod error;
pub mod input;
pub mod model;
pub mod options;
pub mod retry;
pub mod routes;
pub mod triggers;
pub mod typescript;
pub mod value;

mod js;
mod transport;

use crate::client::HttpRequest;
use crate::error::DocSpaceError;
use crate::options::ClientConfig;
use crate::value::View;
use js_sys::{Array, Function, Object};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(typescript_custom_section)]
const TS_TABLES: &str = include_str!("../pkg-template/types/tables.d.ts");

/// The class and option declarations are written by hand (wasm-bindgen cannot mark a trailing
/// argument optional or type a method precisely); tests check them against the runtime object.
#[wasm_bindgen(typescript_custom_section)]
const TS_CLIENT: &str = include_str!("../pkg-template/types/client.d.ts");

/// A DocSpace webhooks API client. Create one per portal and credentials; it is cheap to keep.
#[wasm_bindgen(skip_typescript)]
pub struct WebhooksClient {
    inner: Rc<Inner>,
}

struct Inner {
    config: ClientConfig,
    fetch: Option<Function>,
}

#[wasm_bindgen]
impl WebhooksClient {
    /// Validates `options` and creates a client; throws `DocSpaceError` (`invalid_input`) naming
    /// the bad option. No request is sent.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<WebhooksClient, JsValue> {
        let config = options::parse(&options).map_err(|e| js::to_js_error(&e))?;
        let fetch = options.get("fetch").dyn_into::<Function>().ok();
        Ok(WebhooksClient {
            inner: Rc::new(Inner { config, fetch }),
        })
    }

    /// The normalised portal root this client talks to.
    #[wasm_bindgen(getter, js_name = baseUrl)]
    pub fn base_url(&self) -> String {
        self.inner.config.base_url.clone()
    }

    /// A safe summary for logs: `{ baseUrl, auth, timeoutMs, retries }`, never a credential.
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> JsValue {
        let summary = Object::new();
        let config = &self.inner.config;
        js::set(&summary, "baseUrl", JsValue::from_str(&config.base_url));
        js::set(&summary, "auth", JsValue::from_str(config.auth.scheme()));
        js::set(&summary, "timeoutMs", JsValue::from(config.timeout_ms));
        js::set(&summary, "retries", JsValue::from(config.retries));
        summary.into()
    }

    /// Lists the webhooks the caller may see (admins: all of the portal; others: their own),
    /// each with the HTTP status of its latest delivery.
    ///
    /// ```ts
    /// for (const { configs, status } of await client.getTenantWebhooks()) {
    ///   console.log(configs.id, configs.name, Trigger.names(configs.triggers), status || "never delivered");
    /// }
    /// ```
    #[wasm_bindgen(js_name = getTenantWebhooks)]
    pub async fn get_tenant_webhooks(&self, options: JsValue) -> Result<JsValue, JsValue> {
        let inner = Rc::clone(&self.inner);
        let success = inner.send(client::get_tenant_webhooks(), &options).await?;
        client::expect_object_list(success.response, "webhooks").map_err(|e| js::to_js_error(&e))
    }
}

impl Inner {
    /// Validates the per-call options, runs the request, and turns any failure into a JS error.
    async fn send(
        &self,
        request: HttpRequest,
        options: &JsValue,
    ) -> Result<envelope::Success<JsValue>, JsValue> {
        let settings = client::parse_call_options(options).map_err(|e| js::to_js_error(&e))?;
        let signal = match settings.has_signal {
            true => match options.get("signal").dyn_into::<web_sys::AbortSignal>() {
                Ok(signal) => Some(signal),
                Err(other) => {
                    let error = input::wrong_type("options.signal", "an AbortSignal", other.kind());
                    return Err(js::to_js_error(&error));
                }
            },
            false => None,
        };
        let call = transport::Call {
            config: &self.config,
            fetch: self.fetch.as_ref(),
            signal: signal.as_ref(),
            timeout_ms: settings.timeout_ms.unwrap_or(self.config.timeout_ms),
        };
        call.run(&request).await.map_err(|e| js::to_js_error(&e))
    }
}

// ---- Internal exports for the package's entry modules (not part of the typed API). ----

/// Registers the JS `DocSpaceError` class every error is created from.
#[wasm_bindgen(js_name = __setErrorClass, skip_typescript)]
pub fn set_error_class(class: Function) {
    js::set_error_class(class);
}

/// The trigger table as `[name, dottedName, bit][]`, from which the entry builds `Trigger`.
#[wasm_bindgen(js_name = __triggerTable, skip_typescript)]
pub fn trigger_table() -> Array {
    triggers::TRIGGERS
        .iter()
        .map(|def| {
            Array::of3(
                &JsValue::from_str(def.name),
                &JsValue::from_str(def.dotted),
                &JsValue::from_f64(def.bit as f64),
            )
        })
        .collect()
}

/// `Trigger.names(mask)`.
#[wasm_bindgen(js_name = __triggerNames, skip_typescript)]
pub fn trigger_names(mask: JsValue) -> Result<Array, JsValue> {
    let mask = match mask.number() {
        Some(n) => triggers::check_mask_number("mask", n),
        None => Err(input::wrong_type("mask", "a number", mask.kind())),
    }
    .map_err(|e| js::to_js_error(&e))?;
    Ok(triggers::names(mask)
        .into_iter()
        .map(JsValue::from_str)
        .collect())
}

/// `Trigger.mask(input)`.
#[wasm_bindgen(js_name = __triggerMask, skip_typescript)]
pub fn trigger_mask(input: JsValue) -> Result<f64, JsValue> {
    input::triggers_mask(&input, "triggers")
        .map(|mask| mask as f64)
        .map_err(|e: DocSpaceError| js::to_js_error(&e))
}
