// Size: gzip -9 bytes of what a user ships, measured the way the anchors were (esbuild
// --bundle --minify, then gzip -9), JS and .wasm apart. bench/size-budget.json holds the budget
// that tests/bench/size-budget.test.mjs enforces (2% slack); `--write-budget` rewrites it from
// this build, which is how growth becomes a conscious, reviewed change.
//
//   node bench/size.mjs [--quick] [--write-budget]
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { spawnSync } from "node:child_process";
import { build } from "esbuild";
import { PKG, ROOT, printTable, runIfMain } from "./lib.mjs";

export const BUDGET_FILE = join(ROOT, "bench", "size-budget.json");
/** How far past the budget a build may grow before the budget test fails. */
export const SLACK = 0.02;
/** Issue 13's target for the browser build, JS and wasm gzipped as a bundler ships them. */
const BROWSER_TARGET = 45_000;
/** The goal beyond it (the smallest anchor, Svix's client, is 17,144 B). */
export const BROWSER_GOAL = 17_000;

// The anchors, measured by the same method (esbuild --bundle --minify + gzip -9).
const ANCHORS = [
  ["official DocSpace SDK (WebhooksApi + Configuration)", 130_921],
  ["stripe", 34_988],
  ["@octokit/rest", 21_621],
  ["svix", 17_144],
];

const gzipSize = (bytes) => gzipSync(bytes, { level: 9 }).length;

/** Bundles and minifies an entry (the .wasm stays a separate file, as it ships). */
async function bundledJs(entry, platform) {
  const result = await build({
    entryPoints: [join(PKG, entry)],
    bundle: true,
    minify: true,
    write: false,
    platform,
    format: platform === "browser" ? "esm" : "cjs",
    target: "es2022",
    logLevel: "silent",
  });
  return result.outputFiles[0].contents;
}

/** `{ browser: { js, wasm, total }, node: { … } }` in gzip -9 bytes, from pkg/. */
export async function measure() {
  const builds = {
    browser: { js: await bundledJs("browser.mjs", "browser"), wasm: readFileSync(join(PKG, "web", "docspace_webhooks_bg.wasm")) },
    node: { js: await bundledJs("index.cjs", "node"), wasm: readFileSync(join(PKG, "node", "docspace_webhooks_bg.wasm")) },
  };
  const sizes = {};
  for (const [name, { js, wasm }] of Object.entries(builds)) {
    const gz = { js: gzipSize(js), wasm: gzipSize(wasm) };
    sizes[name] = { ...gz, total: gz.js + gz.wasm, rawWasm: wasm.length };
  }
  return sizes;
}

export function readBudget() {
  return JSON.parse(readFileSync(BUDGET_FILE, "utf8"));
}

/**
 * The biggest items of the shipped wasm, by name: the same pipeline as scripts/build.mjs
 * (cargo release → wasm-bindgen → wasm-opt -Oz) but keeping the name section for twiggy.
 */
function twiggyTop(count = 20) {
  const target = join(ROOT, "target", "size");
  const step = (command, args) => spawnSync(command, args, { cwd: ROOT, encoding: "utf8" });
  const cargo = step("cargo", ["build", "--quiet", "--release", "--lib", "--target", "wasm32-unknown-unknown", "--target-dir", target]);
  if (cargo.status !== 0) return `cargo build failed: ${cargo.stderr}`;
  const raw = join(target, "wasm32-unknown-unknown", "release", "docspace_webhooks.wasm");
  const out = join(target, "named");
  const bindgen = step("wasm-bindgen", ["--target", "web", "--keep-debug", "--out-dir", out, raw]);
  if (bindgen.status !== 0) return `wasm-bindgen failed: ${bindgen.stderr}`;
  const named = join(out, "docspace_webhooks_bg.wasm");
  const wasmOpt = join(ROOT, "node_modules", ".bin", "wasm-opt");
  const features = ["bulk-memory", "nontrapping-float-to-int", "sign-ext", "mutable-globals", "reference-types", "multivalue"];
  const opt = step(wasmOpt, ["-Oz", "--debuginfo", ...features.map((f) => `--enable-${f}`), named, "-o", named]);
  if (opt.status !== 0) return `wasm-opt failed: ${opt.stderr}`;
  const twiggy = step("twiggy", ["top", "-n", String(count), named]);
  if (twiggy.error) return "twiggy is not installed (cargo install twiggy)";
  return twiggy.stdout;
}

export async function run({ quick = false } = {}) {
  const sizes = await measure();
  const budget = readBudget();
  const rows = [];
  for (const [name, size] of Object.entries(sizes)) {
    for (const part of ["js", "wasm", "total"]) {
      const limit = budget[name][part];
      rows.push({
        name: `${name} ${part}`,
        value: size[part],
        unit: "B gzip",
        ratio: size[part] / limit,
        goal: `budget ${limit.toLocaleString("en-US")} (+${SLACK * 100}%)`,
        met: size[part] <= limit * (1 + SLACK),
      });
    }
  }
  const browser = sizes.browser.total;
  rows.push({
    name: "browser total vs goal",
    value: browser,
    unit: "B gzip",
    ratio: browser / BROWSER_TARGET,
    goal: `≤ ${BROWSER_TARGET.toLocaleString("en-US")} B, then ≤ 17,000 B`,
    met: browser <= BROWSER_TARGET,
  });
  for (const [anchor, bytes] of ANCHORS) {
    rows.push({ name: `browser total vs ${anchor}`, value: bytes, unit: "B gzip", ratio: browser / bytes });
  }
  printTable("Size (esbuild --bundle --minify, gzip -9; ratio = ours / budget, goal or anchor)", rows);
  console.log(
    `raw .wasm: browser ${sizes.browser.rawWasm.toLocaleString("en-US")} B, node ${sizes.node.rawWasm.toLocaleString("en-US")} B`,
  );

  if (process.argv.includes("--write-budget")) {
    const next = Object.fromEntries(Object.entries(sizes).map(([name, { js, wasm, total }]) => [name, { js, wasm, total }]));
    writeFileSync(BUDGET_FILE, `${JSON.stringify(next, null, 2)}\n`);
    console.log(`wrote ${BUDGET_FILE}`);
  }
  if (!quick) console.log(`\ntwiggy top (the shipped wasm, with names kept):\n${twiggyTop()}`);
  return rows;
}

runIfMain(import.meta, run);
