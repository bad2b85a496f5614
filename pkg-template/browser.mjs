// Browser (and bundler) entry: instantiates the wasm next to this file before exporting, so
// users never call an init function themselves. scripts/build.mjs bundles this module with the
// glue and the API into one minified file: a page loading the package makes two requests (this
// file, then the wasm), not three rounds of them (each costs tens of milliseconds on a cold page).
import * as wasm from "./web/docspace_webhooks.js";
import { install } from "./api.mjs";

const wasmUrl = new URL("./web/docspace_webhooks_bg.wasm", import.meta.url);
const module = await WebAssembly.compileStreaming(fetch(wasmUrl)).catch(() =>
  // A server that does not say application/wasm: compile from the bytes instead.
  fetch(wasmUrl)
    .then((response) => response.arrayBuffer())
    .then((bytes) => WebAssembly.compile(bytes)),
);
wasm.initSync({ module });
const api = install(wasm);
// The bundle is minified, which renames classes: the public ones keep their own names (what a
// console shows for a client or an error's constructor).
for (const [name, value] of [
  ["WebhooksClient", api.WebhooksClient],
  ["DocSpaceError", api.DocSpaceError],
]) {
  Object.defineProperty(value, "name", { value: name });
}

// scripts/build.mjs fills in the names install() returns.
export const { __EXPORT_NAMES__ } = api;
// As the Node entry has it, so `import docspaceWebhooks from "docspace-webhooks"` works everywhere.
export default api;
