// The shared client and receiver cases in Node, once through `import` and once through
// `require` of the built pkg/ (the same wasm instance and DocSpaceError class behind both),
// against the stand-in portal with its test hooks.
import { after, describe, test } from "node:test";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { startTestPortal } from "../support/test-portal.mjs";
import { signatureVectors } from "../support/signature-vectors.mjs";
import { portalBridge } from "./cases/bridge.mjs";
import { cases } from "./cases/client.cases.mjs";
import { cases as receiverCases } from "./cases/receiver.cases.mjs";

const pkg = new URL("../../pkg/", import.meta.url);
const portal = await startTestPortal();
after(() => portal.close());

const bridge = portalBridge(portal.url, portal.tokens, async (name, args) => portal.control(name, args));
const vectors = signatureVectors();

const viaImport = await import(new URL("index.mjs", pkg).href);
const viaRequire = createRequire(import.meta.url)(fileURLToPath(new URL("index.cjs", pkg)));

test("import and require expose the same API objects", () => {
  const names = Object.keys(viaRequire).sort();
  const imported = Object.keys(viaImport)
    .filter((name) => name !== "default")
    .sort();
  if (names.join() !== imported.join()) throw new Error(`import has ${imported}, require has ${names}`);
  for (const name of names) {
    if (viaImport[name] !== viaRequire[name]) throw new Error(`${name} differs between import and require`);
  }
});

for (const [host, api] of [
  ["import", viaImport],
  ["require", viaRequire],
]) {
  describe(`client via ${host}`, () => {
    for (const [name, run] of Object.entries(cases)) {
      test(name, async () => {
        portal.reset();
        await run({ api, portal: bridge });
        // Every request the client sent, and every answer it read, matched the OpenAPI spec.
        const violations = portal.violations();
        if (violations.length) throw new Error(violations.join("\n"));
      });
    }
  });
  describe(`receiver via ${host}`, () => {
    for (const [name, run] of Object.entries(receiverCases)) test(name, () => run({ api, vectors }));
  });
}

// Node only: whether a call leaves a timer behind is visible here, not in a browser.
test("a fetch that throws instead of answering leaves no attempt timer running", async () => {
  const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
  const before = timers();
  const throwing = () => {
    throw new TypeError("no network here");
  };
  const client = new viaImport.WebhooksClient({ baseUrl: portal.url, token: "t", fetch: throwing, retries: 0, timeoutMs: 60_000 });
  const controller = new AbortController();
  const error = await client.getTenantWebhooks({ signal: controller.signal }).then(
    () => null,
    (error) => error,
  );
  if (error?.kind !== "network") throw new Error(`expected a network error, got ${error?.kind}: ${error?.message}`);
  if (timers() !== before) throw new Error(`${timers() - before} timer(s) left running after the call`);
});
