// Cloudflare Workers entry (the `workerd` export condition). A Worker cannot fetch its wasm by
// URL, but wrangler (and the Cloudflare Vite plugin) bundle an imported `.wasm` file as a compiled
// WebAssembly.Module, which initialises synchronously.
import { initSync } from "./web/docspace_webhooks.js";
import * as wasm from "./web/docspace_webhooks.js";
import wasmModule from "./web/docspace_webhooks_bg.wasm";
import { install } from "./api.mjs";

initSync({ module: wasmModule });
const api = install(wasm);

// scripts/build.mjs fills in the names install() returns.
export const { __EXPORT_NAMES__ } = api;
export default api;
