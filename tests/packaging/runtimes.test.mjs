// The installed tarball in every runtime the README names besides Node and browsers: Deno, Bun
// and Cloudflare's workerd (through miniflare, bundled as wrangler bundles a Worker). All three
// come from npm, pinned in package.json. Each runs consumers/runtimes/exercise.mjs: a real client
// call against the stand-in portal and a signed delivery through createWebhookHandler.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { bin, installConsumer, packTarball, root, run, startSeededPortal } from "./support.mjs";

let packed;
let portal;
let dir;

before(async () => {
  portal = await startSeededPortal();
  packed = await packTarball();
  dir = await installConsumer(packed.work, packed.tarball, "runtimes");
});

after(async () => {
  await portal?.close();
  packed?.cleanup();
});

/** What exercise() reports when everything works, in the runtime `agent` names itself. */
const expected = (agent) => ({
  runtime: agent,
  listed: true,
  triggers: ["FileUploaded", "RoomCreated"],
  kind: "invalid_input",
  signed: 200,
  forged: 401,
  events: ["file.uploaded report.docx"],
});

describe("runtimes", () => {
  test("Deno runs the package from node_modules", async (t) => {
    const version = (await run(bin("deno"), ["--version"])).split("\n")[0];
    // Its own cache in the scratch folder; no lock file; network to the portal only.
    const env = { DENO_DIR: join(packed.work, "deno-dir"), DENO_NO_UPDATE_CHECK: "1" };
    const args = ["run", "--no-lock", "--no-prompt", "--allow-net=127.0.0.1", "--allow-read=.", "main.mjs", portal.url, portal.token];
    const result = JSON.parse(await run(bin("deno"), args, dir, env));
    assert.deepEqual(result, expected(`Deno/${version.split(" ")[1]}`));
    t.diagnostic(version);
  });

  test("Bun runs the package from node_modules", async (t) => {
    const version = (await run(bin("bun"), ["--version"])).trim();
    // No auto-install: the tarball in node_modules is what runs.
    const result = JSON.parse(await run(bin("bun"), ["--no-install", "main.mjs", portal.url, portal.token], dir));
    assert.deepEqual(result, expected(`Bun/${version}`));
    t.diagnostic(`bun ${version}`);
  });

  test("workerd (miniflare) runs a Worker bundled with the package's workerd entry", async (t) => {
    // As wrangler does: esbuild with the workerd condition, each imported .wasm left as a module
    // of its own that the runtime compiles (a Worker cannot compile wasm from bytes it fetched).
    const wasmModules = new Map();
    const bundled = await build({
      entryPoints: [join(dir, "worker.mjs")],
      bundle: true,
      format: "esm",
      platform: "neutral",
      conditions: ["workerd", "worker", "browser"],
      write: false,
      logLevel: "warning",
      plugins: [
        {
          name: "wasm-modules",
          setup(esbuild) {
            esbuild.onResolve({ filter: /\.wasm$/ }, (args) => {
              const file = resolve(args.resolveDir, args.path);
              wasmModules.set(basename(file), file);
              return { path: `./${basename(file)}`, external: true };
            });
          },
        },
      ],
    });
    assert.deepEqual([...wasmModules.keys()], ["docspace_webhooks_bg.wasm"]);
    const mf = new Miniflare({
      compatibilityDate: "2026-04-01",
      modules: [
        { type: "ESModule", path: "worker.mjs", contents: bundled.outputFiles[0].text },
        ...[...wasmModules].map(([path, file]) => ({ type: "CompiledWasm", path, contents: readFileSync(file) })),
      ],
    });
    try {
      const response = await mf.dispatchFetch(`http://consumer.test/?${new URLSearchParams({ api: portal.url, token: portal.token })}`);
      const text = await response.text();
      assert.equal(response.status, 200, text);
      assert.deepEqual(JSON.parse(text), expected("Cloudflare-Workers"));
    } finally {
      await mf.dispose();
    }
    const miniflare = JSON.parse(readFileSync(join(root, "node_modules", "miniflare", "package.json"), "utf8")).version;
    t.diagnostic(`miniflare ${miniflare}, ${(await run(bin("workerd"), ["--version"])).trim()}`);
  });
});
