// Packaging tests: `npm pack pkg/`, install the tarball into fresh consumer projects the way a
// user would, and make a real request from each: Node ESM, Node CJS, TypeScript (5.9 and 7,
// nodenext and bundler), a Vite build in Chromium, and a plain <script type="module"> page.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startTestPortal } from "../support/test-portal.mjs";
import { startStaticServer } from "../support/static-server.mjs";
import { launchChromium } from "../support/chromium.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const consumers = fileURLToPath(new URL("./consumers/", import.meta.url));
const bin = (name) => join(root, "node_modules", ".bin", name);
// Asynchronous on purpose: the portal lives in this process and must keep answering.
const exec = promisify(execFile);
const run = async (command, args, cwd) => (await exec(command, args, { cwd, encoding: "utf8", maxBuffer: 16 << 20 })).stdout;

const work = mkdtempSync(join(tmpdir(), "docspace-webhooks-packaging-"));
let tarball;
let portal;
// The consumer projects (under `work`) as web pages, on the one origin the portal lets read.
let pages;

before(async () => {
  pages = await startStaticServer({ root: work });
  portal = await startTestPortal({ allowedOrigins: [pages.url] });
  const packed = JSON.parse(await run("npm", ["pack", join(root, "pkg"), "--pack-destination", work, "--json"], root));
  tarball = join(work, packed[0].filename);
});

after(async () => {
  await portal?.close();
  await pages?.close();
  rmSync(work, { recursive: true, force: true });
});

/** A consumer project from tests/packaging/consumers/<name> with the tarball installed. */
async function consumer(name) {
  const dir = join(work, name);
  cpSync(join(consumers, name), dir, { recursive: true });
  await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball], dir);
  return dir;
}

describe("tarball", () => {
  test("contains both builds, the entries and the types, and nothing else", async () => {
    const [info] = JSON.parse(await run("npm", ["pack", join(root, "pkg"), "--dry-run", "--json"], root));
    const files = info.files.map((f) => f.path).sort();
    for (const expected of [
      "package.json",
      "README.md",
      "index.cjs",
      "index.mjs",
      "index.d.ts",
      "browser.mjs",
      "api.cjs",
      "api.mjs",
      "receiver.mjs",
      "redis.mjs",
      "redis.cjs",
      "redis.d.ts",
      "portal/index.mjs",
      "portal/index.d.ts",
      "portal/cli.mjs",
      "portal/host.mjs",
      "portal/wasm/docspace_webhooks.js",
      "portal/wasm/docspace_webhooks_bg.wasm",
      "cli/main.mjs",
      "www/index.html",
      "node/docspace_webhooks.js",
      "node/docspace_webhooks.d.ts",
      "node/docspace_webhooks_bg.wasm",
      "node/package.json",
      "web/docspace_webhooks.js",
      "web/docspace_webhooks_bg.wasm",
      "web/package.json",
    ]) {
      assert.ok(files.includes(expected), `${expected} missing from ${files.join(", ")}`);
    }
    assert.ok(!files.some((f) => f.includes(".gitignore") || f.endsWith("_bg.wasm.d.ts")), files.join(", "));
  });

  test("the manifest's exports put types first and cover node, browser and default", () => {
    const manifest = JSON.parse(readFileSync(join(root, "pkg", "package.json"), "utf8"));
    assert.deepEqual(Object.keys(manifest.exports["."]), ["types", "node", "browser", "default"]);
    assert.deepEqual(manifest.exports["."].node, { import: "./index.mjs", require: "./index.cjs" });
    assert.equal(manifest.exports["./package.json"], "./package.json");
    const crate = readFileSync(join(root, "Cargo.toml"), "utf8").match(/^version = "([^"]+)"/m)[1];
    assert.equal(manifest.version, crate);
  });
});

describe("Node consumers", () => {
  test("ESM: import works and makes a real request", async () => {
    const dir = await consumer("node-esm");
    const out = await run("node", ["app.mjs", portal.url, portal.tokens.owner], dir);
    assert.deepEqual(JSON.parse(out), { count: 2, first: "Production Webhook", fileUploaded: 256, instance: true, kind: "invalid_input" });
  });

  test("the portal: docspace-webhooks/portal starts, delivers, and the bin answers", async () => {
    const dir = await consumer("node-esm");
    assert.deepEqual(JSON.parse(await run("node", ["portal.mjs"], dir)), { delivered: true, users: 5 });
    const version = await run("npx", ["--no-install", "docspace-webhooks-portal", "--version"], dir);
    assert.equal(version.trim(), JSON.parse(readFileSync(join(root, "pkg", "package.json"), "utf8")).version);
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
    assert.equal(version.trim(), JSON.parse(readFileSync(join(root, "pkg", "package.json"), "utf8")).version);
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
    const out = await run("node", ["app.cjs", portal.url, portal.tokens.owner], dir);
    assert.deepEqual(JSON.parse(out), { count: 2, first: "Production Webhook", fileUploaded: 256, instance: true, kind: "invalid_input" });
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
    for (const project of ["tsconfig.nodenext.json", "tsconfig.bundler.json"]) {
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

  /** Opens `path` (below the work folder) and waits for the page's `window.result`. */
  async function pageResult(path) {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (error) => errors.push(error.message));
    const query = new URLSearchParams({ api: portal.url, token: portal.tokens.owner });
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
    const value = await pageResult("/vite/dist/index.html");
    assert.deepEqual(value, { count: 2, first: "Production Webhook", fileUploaded: 256, instance: true, kind: "invalid_input" });
  });

  test("plain <script type=module>: browser.mjs loads straight from node_modules", async () => {
    await consumer("script-module");
    const value = await pageResult("/script-module/index.html");
    assert.deepEqual(
      value.exports,
      Object.keys(await import(join(root, "pkg", "index.mjs")))
        .filter((k) => k !== "default")
        .sort(),
    );
    delete value.exports;
    assert.deepEqual(value, { count: 2, first: "Production Webhook", fileUploaded: 256, instance: true, kind: "invalid_input" });
  });
});
