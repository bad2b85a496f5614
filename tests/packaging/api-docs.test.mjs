// The API reference: `node scripts/api-docs.mjs` builds it from the shipped declarations with no
// TypeDoc warning (the script fails on any), a page for every public export, and the examples.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { manifest, pkgDir, root, run } from "./support.mjs";

const out = join(root, "target", "api-docs");

test("node scripts/api-docs.mjs builds the reference with no warning, a page per export, with examples", async () => {
  let output;
  try {
    output = await run("node", [join(root, "scripts", "api-docs.mjs")], root);
  } catch (error) {
    assert.fail(`scripts/api-docs.mjs failed:\n${error.stdout}${error.stderr}`);
  }
  const modules = Object.keys(manifest().exports).filter((subpath) => subpath !== "./package.json").length;
  assert.match(output, new RegExp(`\\(${modules} modules, 0 warnings\\)`));
  assert.doesNotMatch(output, /\[(warning|error)\]/);
  assert.ok(existsSync(join(out, "index.html")));

  const page = (kind, module, name) => join(out, kind, `${module}.${name}.html`);
  const runtimeExports = Object.keys(await import(join(pkgDir, "index.mjs")));
  const pages = {
    classes: ["WebhooksClient", "DocSpaceError"],
    functions: ["verifyWebhookSignature", "computeWebhookSignature", "parseWebhookEvent", "createWebhookHandler"],
    variables: ["Trigger", "default"],
  };
  // Every value the package exports has its page (a new export must be added here and documented).
  assert.deepEqual(runtimeExports.sort(), Object.values(pages).flat().sort());
  for (const [kind, names] of Object.entries(pages)) {
    for (const name of names) assert.ok(existsSync(page(kind, "docspace-webhooks", name)), `${kind}/${name}`);
  }
  for (const name of ["startPortal", "seedUsers"]) assert.ok(existsSync(page("functions", "docspace-webhooks_portal", name)), name);

  // The exports the README shows in use carry an example.
  for (const [kind, module, name] of [
    ["classes", "docspace-webhooks", "WebhooksClient"],
    ["classes", "docspace-webhooks", "DocSpaceError"],
    ["variables", "docspace-webhooks", "Trigger"],
    ["functions", "docspace-webhooks", "verifyWebhookSignature"],
    ["functions", "docspace-webhooks", "computeWebhookSignature"],
    ["functions", "docspace-webhooks", "parseWebhookEvent"],
    ["functions", "docspace-webhooks", "createWebhookHandler"],
    ["functions", "docspace-webhooks_portal", "startPortal"],
  ]) {
    assert.match(readFileSync(page(kind, module, name), "utf8"), />Example/, `${name} has no example`);
  }
});
