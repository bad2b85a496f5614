// Packaging tests: install the packed tarball into fresh consumer projects the way a user would,
// and make a real request from each against the stand-in portal: Node ESM and CJS (the package
// and its ./portal subpath), TypeScript (5.9 and 7, nodenext and bundler; 5.9 also node10), a
// Vite build in Chromium, and a plain <script type="module"> page.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { launchChromium } from "../support/chromium.mjs";
import { startStaticServer } from "../support/static-server.mjs";
import { bin, installConsumer, manifest, packTarball, pkgDir, root, run, startSeededPortal } from "./support.mjs";

let packed;
let portal;
// The consumer projects (under the scratch folder) as web pages, on the one origin the portal
// lets read its answers.
let pages;
const consumer = (name) => installConsumer(packed.work, packed.tarball, name);
// CommonJS consumers run as on Node 20.0–20.18, which cannot require() an ES module (later Node
// versions can, and would hide an ES-only entry behind a `require` condition).
const CJS_NODE = process.allowedNodeEnvironmentFlags.has("--no-experimental-require-module") ? ["--no-experimental-require-module"] : [];
const LISTED = { count: 2, first: "Production Webhook", fileUploaded: 256, instance: true, kind: "invalid_input" };

before(async () => {
  packed = await packTarball();
  pages = await startStaticServer({ root: packed.work });
  portal = await startSeededPortal({ allowedOrigins: [pages.url] });
});

after(async () => {
  await portal?.close();
  await pages?.close();
  packed?.cleanup();
});

describe("Node consumers", () => {
  test("ESM: import works and makes a real request", async () => {
    const dir = await consumer("node-esm");
    assert.deepEqual(JSON.parse(await run("node", ["app.mjs", portal.url, portal.token], dir)), LISTED);
  });

  test("the portal: docspace-webhooks/portal starts, delivers, and the bin answers", async () => {
    const dir = await consumer("node-esm");
    assert.deepEqual(JSON.parse(await run("node", ["portal.mjs"], dir)), { delivered: true, users: 5 });
    const version = await run("npx", ["--no-install", "docspace-webhooks-portal", "--version"], dir);
    assert.equal(version.trim(), manifest().version);
    // The installed bin itself (npx would stand between us and the process we must stop).
    const child = spawn(join(dir, "node_modules", ".bin", "docspace-webhooks-portal"), [], {
      cwd: dir,
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      const [line] = await once(createInterface({ input: child.stdout }), "line");
      assert.match(line, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal((await fetch(`${line}/stand-in/health`)).status, 200);
    } finally {
      child.kill("SIGTERM");
      await once(child, "exit");
    }
  });

  test("docspace-webhooks/redis: import and require load it, and the main entry alone never does", async () => {
    const dir = await consumer("node-esm");
    const probe = `const error = (() => { try { redisDedupe({}); } catch (error) { return error; } })();
      console.log(JSON.stringify({ kind: error.kind, shared: error instanceof DocSpaceError }));`;
    const viaImport = `import { redisDedupe } from "docspace-webhooks/redis"; import { DocSpaceError } from "docspace-webhooks"; ${probe}`;
    const viaRequire = `const { redisDedupe } = require("docspace-webhooks/redis"); const { DocSpaceError } = require("docspace-webhooks"); ${probe}`;
    for (const [flag, code] of [
      ["--input-type=module", viaImport],
      ["--input-type=commonjs", viaRequire],
    ]) {
      assert.deepEqual(JSON.parse(await run("node", [flag, "-e", code], dir)), { kind: "invalid_input", shared: true });
    }
    const loaded = `require("docspace-webhooks"); console.log(JSON.stringify(Object.keys(require.cache).filter((f) => /redis/.test(f))));`;
    assert.deepEqual(JSON.parse(await run("node", ["-e", loaded], dir)), []);
  });

  test("the command line: docspace-webhooks runs from the installed package", async () => {
    const dir = await consumer("node-esm");
    const version = await run("npx", ["--no-install", "docspace-webhooks", "--version"], dir);
    assert.equal(version.trim(), manifest().version);
    const { startPortal } = await import(join(dir, "node_modules", "docspace-webhooks", "portal", "index.mjs"));
    const portal = await startPortal({ serveStatic: false });
    try {
      const owner = portal.users.find((user) => user.role === "owner");
      const args = ["--no-install", "docspace-webhooks", "triggers", "--json", "--portal", portal.url, "--token", owner.token];
      const triggers = JSON.parse(await run("npx", args, dir));
      assert.equal(triggers.length, 37);
      assert.deepEqual(
        triggers.find((t) => t.key === "FileUploaded"),
        { id: 256, name: "file.uploaded", key: "FileUploaded", available: true },
      );
    } finally {
      await portal.close();
    }
  });

  test("CJS: require works and makes a real request", async () => {
    const dir = await consumer("node-cjs");
    assert.deepEqual(JSON.parse(await run("node", [...CJS_NODE, "app.cjs", portal.url, portal.token], dir)), LISTED);
  });

  test("CJS: require('docspace-webhooks/portal') starts the portal, and the client talks to it", async () => {
    const dir = await consumer("node-cjs");
    assert.deepEqual(JSON.parse(await run("node", [...CJS_NODE, "portal.cjs"], dir)), {
      health: 200,
      webhooks: 0,
      users: 5,
      sameApi: true,
    });
  });
});

describe("TypeScript consumers (tsc --strict --noEmit)", () => {
  let dir;
  before(async () => {
    dir = await consumer("typescript");
    writeFileSync(
      join(dir, "tsconfig.base.json"),
      JSON.stringify({ compilerOptions: { typeRoots: [join(root, "node_modules", "@types")] } }),
    );
  });
  const compilers = {
    "TypeScript 5.9": join(root, "node_modules", "typescript", "bin", "tsc"),
    "TypeScript 7": join(root, "node_modules", "typescript7", "bin", "tsc"),
  };
  for (const [label, tsc] of Object.entries(compilers)) {
    // TypeScript 7 no longer has `moduleResolution: node10`; 5.9 still reads it (typesVersions).
    const projects = ["tsconfig.nodenext.json", "tsconfig.bundler.json", ...(label === "TypeScript 5.9" ? ["tsconfig.node10.json"] : [])];
    for (const project of projects) {
      test(`${label}, ${project}: the types compile and wrong uses are caught`, async () => {
        try {
          await run("node", [tsc, "-p", project], dir);
        } catch (error) {
          assert.fail(`${label} ${project}:\n${error.stdout}${error.stderr}`);
        }
      });
    }
  }
});

describe("browser consumers (headless Chromium)", () => {
  let browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  /** Opens `path` (below the scratch folder) and waits for the page's `window.result`. */
  async function pageResult(path) {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (error) => errors.push(error.message));
    const query = new URLSearchParams({ api: portal.url, token: portal.token });
    await page.goto(`${pages.url}${path}?${query}`);
    const result = await page.waitForFunction(() => window.result, null, { timeout: 20000 });
    const value = await result.jsonValue();
    await page.close();
    assert.deepEqual(errors, []);
    return value;
  }

  test("Vite build: the bundle picks the browser build and makes a real request", async () => {
    const dir = await consumer("vite");
    await run(bin("vite"), ["build", "--logLevel", "warn"], dir);
    assert.deepEqual(await pageResult("/vite/dist/index.html"), { ...LISTED, sameAsDefault: true });
  });

  test("plain <script type=module>: browser.mjs loads straight from node_modules", async () => {
    await consumer("script-module");
    const value = await pageResult("/script-module/index.html");
    // The same export names as the Node ES module entry.
    assert.deepEqual(value.exports, Object.keys(await import(join(pkgDir, "index.mjs"))).sort());
    delete value.exports;
    assert.deepEqual(value, LISTED);
  });
});
