//! The pure core of docspace-webhooks, shared by the client (the root crate), the receiver and
//! the stand-in portal (`crates/portal`): the DocSpace wire facts, written once.
//!
//! * the server's tables: [`triggers`], [`group_status`], [`routes`];
//! * its shapes: [`model`] (every DTO), [`envelope`] (the three answer shapes, both ways);
//! * reading caller input and server data through [`view::View`] with [`validate`], and the one
//!   error type, [`error::DocSpaceError`];
//! * [`time`], [`text`] (message formatting), [`suggest`] ("did you mean"), [`url`] (the one URL
//!   parser), [`guid`];
//! * the receiver's pure half: [`signature`] and [`event`].
//!
//! Nothing here touches JavaScript unless the `wasm` feature is on (then [`js_view`] adds
//! `View` over `JsValue`).

pub mod envelope;
pub mod error;
pub mod event;
pub mod group_status;
pub mod guid;
#[cfg(feature = "wasm")]
pub mod js_view;
pub mod model;
pub mod routes;
pub mod signature;
pub mod suggest;
pub mod text;
pub mod time;
pub mod triggers;
pub mod url;
pub mod validate;
pub mod view;
