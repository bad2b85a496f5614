// Browser (and bundler) entry: instantiates the wasm next to this file before exporting, so
// users never call an init function themselves. scripts/build.mjs bundles this module with the
// glue and the API into one minified file: a page loading the package makes two requests (this
// file, then the wasm), not three rounds of them (each costs tens of milliseconds on a cold page).
import * as wasm from "./web/docspace_webhooks.js";
import { install } from "./api.mjs";

const wasmUrl = new URL("./web/docspace_webhooks_bg.wasm", import.meta.url);
const answer = fetch(wasmUrl);
const module = await WebAssembly.compileStreaming(answer).catch(async (error) => {
  const loadError = (reason) => new TypeError(`docspace-webhooks: could not load ${wasmUrl}: ${reason}`, { cause: error });
  const response = await answer.catch(() => {
    throw loadError(error?.message ?? String(error));
  });
  if (!response.ok) throw loadError(`HTTP ${response.status}`);
  // compileStreaming refuses an answer not labelled application/wasm before reading its body:
  // compile that answer's bytes (one request, not two). A body already read failed while
  // compiling, and that error stands.
  if (response.bodyUsed) throw error;
  const bytes = await response.arrayBuffer();
  // An HTML page (a dev server's fallback for unknown paths) would otherwise fail as a bad "magic word".
  const magic = new Uint8Array(bytes, 0, Math.min(4, bytes.byteLength));
  if (String.fromCharCode(...magic) !== "\0asm")
    throw loadError(`it is not a wasm file (it came as ${response.headers.get("content-type") ?? "no content type"})`);
  return WebAssembly.compile(bytes);
});
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
