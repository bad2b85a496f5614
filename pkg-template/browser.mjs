// Browser (and bundler) entry: instantiates the wasm next to this file before exporting, so
// users never call an init function themselves.
import init, * as wasm from "./web/docspace_webhooks.js";
import { install } from "./api.mjs";

await init({ module_or_path: new URL("./web/docspace_webhooks_bg.wasm", import.meta.url) });
const api = install(wasm);

// scripts/build.mjs fills in the names install() returns.
export const { __EXPORT_NAMES__ } = api;
// As the Node entry has it, so `import docspaceWebhooks from "docspace-webhooks"` works everywhere.
export default api;
