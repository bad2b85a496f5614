//! The wasm-level cases, run by `tests/node.rs` in Node and by `tests/web.rs` in headless
//! Chromium (cross-origin to the stand-in portal, so CORS is exercised). The portal runs with
//! the tests' seed (tests/support/portal-cli.mjs); its URL is compiled in from
//! DOCSPACE_PORTAL_URL, which scripts/test sets after starting it.

use docspace_webhooks::WebhooksClient;
use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;

/// The seed owner's token (tests/support/seed.mjs).
const OWNER_TOKEN: &str = "sk-owner-seed-token";

fn portal_url() -> &'static str {
    match option_env!("DOCSPACE_PORTAL_URL") {
        Some(url) => url,
        None => panic!("DOCSPACE_PORTAL_URL was not set when the wasm tests were compiled; run `scripts/test wasm`"),
    }
}

fn options(pairs: &[(&str, JsValue)]) -> JsValue {
    let object = js_sys::Object::new();
    for (key, value) in pairs {
        Reflect::set(&object, &JsValue::from_str(key), value).unwrap();
    }
    object.into()
}

fn prop(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).unwrap()
}

fn client(token: &str) -> WebhooksClient {
    WebhooksClient::new(options(&[("baseUrl", portal_url().into()), ("token", token.into())])).unwrap()
}

#[wasm_bindgen_test]
async fn lists_the_seeded_webhooks_with_exact_high_bits() {
    let list = client(OWNER_TOKEN).get_tenant_webhooks(JsValue::UNDEFINED).await.unwrap();
    let list: Array = list.dyn_into().unwrap();
    assert_eq!(list.length(), 2);
    let first = prop(&list.get(0), "configs");
    assert_eq!(prop(&first, "name").as_string().as_deref(), Some("Production Webhook"));
    assert_eq!(prop(&list.get(0), "status").as_f64(), Some(200.0));
    let second = prop(&list.get(1), "configs");
    assert_eq!(prop(&second, "triggers").as_f64(), Some(51_539_607_552.0));
}

#[wasm_bindgen_test]
async fn a_rejected_token_is_an_http_401_error() {
    let error = client("sk-wrong").get_tenant_webhooks(JsValue::UNDEFINED).await.unwrap_err();
    assert!(error.is_instance_of::<js_sys::Error>());
    assert_eq!(prop(&error, "kind").as_string().as_deref(), Some("http"));
    assert_eq!(prop(&error, "status").as_f64(), Some(401.0));
    let message = prop(&error, "message").as_string().unwrap();
    assert!(message.starts_with("Unauthorized"), "{message}");
    assert!(!message.contains("sk-wrong"));
}

#[wasm_bindgen_test]
async fn an_unreachable_portal_is_a_network_error() {
    // Port 9 (discard) is closed on the test machine; no retries to keep it quick.
    let options =
        options(&[("baseUrl", "http://127.0.0.1:9".into()), ("token", OWNER_TOKEN.into()), ("retries", 0.into())]);
    let error = WebhooksClient::new(options).unwrap().get_tenant_webhooks(JsValue::UNDEFINED).await.unwrap_err();
    assert_eq!(prop(&error, "kind").as_string().as_deref(), Some("network"));
}

#[wasm_bindgen_test]
fn bad_options_throw_invalid_input_naming_the_field() {
    let error = WebhooksClient::new(options(&[("baseUrl", "ftp://x".into()), ("token", "t".into())])).err().unwrap();
    assert_eq!(prop(&error, "kind").as_string().as_deref(), Some("invalid_input"));
    assert_eq!(prop(&error, "name").as_string().as_deref(), Some("DocSpaceError"));
    let message = prop(&error, "message").as_string().unwrap();
    assert!(message.starts_with("baseUrl:"), "{message}");
    let error = WebhooksClient::new(JsValue::from(5)).err().unwrap();
    assert!(prop(&error, "message").as_string().unwrap().starts_with("options:"));
}

#[wasm_bindgen_test]
async fn bad_call_options_reject_instead_of_throwing() {
    let error = client(OWNER_TOKEN).get_tenant_webhooks(JsValue::from("soon")).await.unwrap_err();
    assert_eq!(prop(&error, "kind").as_string().as_deref(), Some("invalid_input"));
}

#[wasm_bindgen_test]
fn trigger_helpers_keep_bits_above_2_pow_31() {
    let mask = docspace_webhooks::trigger_mask(Array::of2(&"FolderDownloaded".into(), &"agent.created".into()).into())
        .unwrap();
    assert_eq!(mask, 34_359_738_368.0 + 2_147_483_648.0);
    let names = docspace_webhooks::trigger_names(JsValue::from(mask)).unwrap();
    assert_eq!(names.join(",").as_string().as_deref(), Some("FolderDownloaded,AgentCreated"));
    assert!(docspace_webhooks::trigger_mask("Nope".into()).is_err());
}

/// Creates a webhook on FileUploaded (2^8) and FolderDownloaded (2^35): its name (unique, as one
/// portal process serves both hosts' runs) and the created webhook.
async fn create_on_two_bits(client: &WebhooksClient, prefix: &str) -> (String, JsValue) {
    let name = format!("{prefix}-{}", js_sys::Date::now());
    let input = options(&[
        ("name", name.as_str().into()),
        ("uri", format!("https://hooks.example.com/{prefix}").into()),
        ("secretKey", "S3cret-Key!".into()),
        ("triggers", Array::of2(&"FileUploaded".into(), &"FolderDownloaded".into()).into()),
    ]);
    (name, client.create_webhook(input, JsValue::UNDEFINED).await.unwrap())
}

#[wasm_bindgen_test]
async fn creates_a_webhook_with_a_numeric_mask_and_reads_it_back() {
    let client = client(OWNER_TOKEN);
    let (name, created) = create_on_two_bits(&client, "wasm").await;
    assert_eq!(prop(&created, "triggers").as_f64(), Some(256.0 + 34_359_738_368.0));
    let id = prop(&created, "id");
    let patched =
        client.patch_webhook(id.clone(), options(&[("enabled", false.into())]), JsValue::UNDEFINED).await.unwrap();
    assert_eq!(prop(&patched, "enabled").as_bool(), Some(false));
    assert_eq!(prop(&patched, "name").as_string(), Some(name));
    let removed = client.remove_webhook(id, JsValue::UNDEFINED).await.unwrap();
    assert_eq!(prop(&removed, "triggers").as_f64(), Some(256.0 + 34_359_738_368.0));
}

#[wasm_bindgen_test]
async fn the_trigger_list_is_normalised_with_keys() {
    let list: Array = client(OWNER_TOKEN).get_webhook_triggers(JsValue::UNDEFINED).await.unwrap().dyn_into().unwrap();
    assert_eq!(list.length(), 37);
    let last = list.get(36);
    assert_eq!(prop(&last, "key").as_string().as_deref(), Some("AgentDeleted"));
    assert_eq!(prop(&last, "id").as_f64(), Some(8_589_934_592.0));
}

/// The wire itself, read with gloo-net instead of the client's transport: the portal answers the
/// 2^35 bit as an exact JSON integer, the same mask the client decoded, and the list's envelope
/// has the shape the client relies on.
#[wasm_bindgen_test]
async fn the_raw_answer_carries_the_mask_the_client_decoded() {
    let client = client(OWNER_TOKEN);
    let (_, created) = create_on_two_bits(&client, "wire").await;
    let id = prop(&created, "id").as_f64().unwrap() as u64;

    let url = format!("{}{}", portal_url(), docspace_webhooks::routes::WEBHOOK);
    let response = gloo_net::http::Request::get(&url)
        .header("Authorization", &format!("Bearer {OWNER_TOKEN}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    let listed = body["response"].as_array().unwrap();
    let row = listed.iter().find(|item| item["configs"]["id"].as_u64() == Some(id)).unwrap();
    assert_eq!(row["configs"]["triggers"].as_u64(), Some((1 << 8) | (1 << 35)));
    assert_eq!(prop(&created, "triggers").as_f64(), Some(((1u64 << 8) | (1 << 35)) as f64));

    client.remove_webhook(prop(&created, "id"), JsValue::UNDEFINED).await.unwrap();
}
