//! wasm tests in Node: `wasm-pack test --node -- --test node` (via scripts/test).
#![cfg(target_arch = "wasm32")]

#[path = "wasm/cases.rs"]
mod cases;
