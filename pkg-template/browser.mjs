// Browser (and bundler) entry: instantiates the wasm next to this file before exporting, so
// users never call an init function themselves. The wasm's download and compilation start as
// soon as this module runs, beside the imports of the glue and the API, not after them; the
// modules those import are requested in the same round too, not one round trip later when
// their importers arrive (each round costs tens of milliseconds on a cold page).
const wasmUrl = new URL("./web/docspace_webhooks_bg.wasm", import.meta.url);
const compiled = WebAssembly.compileStreaming(fetch(wasmUrl)).catch(() =>
  // A server that does not say application/wasm: compile from the bytes instead.
  fetch(wasmUrl)
    .then((response) => response.arrayBuffer())
    .then((bytes) => WebAssembly.compile(bytes)),
);
const [wasm, { install }, module] = await Promise.all([
  import("./web/docspace_webhooks.js"),
  import("./api.mjs"),
  compiled,
  import("./receiver.mjs"),
  import("./signature.mjs"),
  /* the glue's snippets: scripts/build.mjs lists them here */
]);
wasm.initSync({ module });
const api = install(wasm);

// scripts/build.mjs fills in the names install() returns.
export const { __EXPORT_NAMES__ } = api;
// As the Node entry has it, so `import docspaceWebhooks from "docspace-webhooks"` works everywhere.
export default api;
