#!/usr/bin/env node
// Builds the publishable package into pkg/: the Node build (CommonJS, synchronous wasm load),
// the web build (ESM, initialised by browser.mjs and workerd.mjs), the JS entries and their
// declarations (scripts/layout.mjs: one row per subpath), the licence and the changelog.
// wasm-pack cannot emit several targets into one package (wasm-pack#313), hence this script.
//
//   node scripts/build.mjs          release build (client: size-tuned profile; portal: [profile.portal])
//   node scripts/build.mjs --dev    debug build: faster to compile, larger, with debug assertions
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { build, transformSync } from "esbuild";
import { packageManifest, writeEntries } from "./layout.mjs";
import { shortenGlueNames, shortenWasmNames } from "./wasm-names.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = join(root, "pkg");
const template = join(root, "pkg-template");
const dev = process.argv.includes("--dev");
const outName = "docspace_webhooks";

// wasm-pack runs the first wasm-opt on PATH: make it npm's binaryen, never Debian's 108
// (which "succeeds" and produces wasm that fails to load).
// Panic locations put source paths into the wasm: without a remap, those of dependencies carry
// the builder's CARGO_HOME (`/home/<user>/.cargo/registry/src/index.crates.io-<hash>/…`), so
// the published binary would name the machine's user and differ from one machine to the next.
const env = {
  ...process.env,
  PATH: `${join(root, "node_modules", ".bin")}:${process.env.PATH}`,
  CARGO_ENCODED_RUSTFLAGS: [...callerRustflags(), ...remapSourcePaths()].join("\x1f"),
};

/** `--remap-path-prefix` for each registry source folder (to the crate's own folder name) and the workspace. */
function remapSourcePaths() {
  const sources = join(process.env.CARGO_HOME ?? join(homedir(), ".cargo"), "registry", "src");
  const registries = existsSync(sources) ? readdirSync(sources).map((index) => join(sources, index)) : [];
  return [...registries, root].map((folder) => `--remap-path-prefix=${folder}/=`);
}

/** The caller's own flags, kept (cargo reads the encoded form first). */
function callerRustflags() {
  const encoded = process.env.CARGO_ENCODED_RUSTFLAGS;
  if (encoded !== undefined) return encoded === "" ? [] : encoded.split("\x1f");
  return (process.env.RUSTFLAGS ?? "").split(/\s+/).filter(Boolean);
}

function wasmPack(target, outDir, crate = ".", profile = "--release") {
  const args = ["build", crate, dev ? "--dev" : profile, "--target", target, "--out-dir", outDir, "--out-name", outName, "--no-pack"];
  console.log(`$ wasm-pack ${args.join(" ")}`);
  execFileSync("wasm-pack", args, { cwd: root, env, stdio: "inherit" });
}

const stage = join(root, "target", "wasm-pack");
wasmPack("nodejs", join(stage, "node"));
wasmPack("web", join(stage, "web"));
// The stand-in portal's core: its own crate and wasm (crates/portal), never in the browser build.
wasmPack("nodejs", join(stage, "portal"), "crates/portal", "--profile=portal");
// The client's imports and exports get short names, in its wasm and its two glues alike
// (scripts/wasm-names.mjs says why). The portal's wasm is the portal host's business: left alone.
for (const target of ["node", "web"]) shortenNames(join(stage, target));

rmSync(pkg, { recursive: true, force: true });
mkdirSync(pkg);

for (const [target, into] of [
  ["node", "node"],
  ["web", "web"],
  ["portal", "portal/wasm"],
]) {
  const dir = join(pkg, into);
  mkdirSync(dir, { recursive: true });
  // The Node build's glue and snippets are bundled into index.cjs (bundleNodeEntry): of it, only
  // the wasm ships.
  if (target === "node") {
    cpSync(join(stage, target, `${outName}_bg.wasm`), join(dir, `${outName}_bg.wasm`));
    continue;
  }
  for (const file of readdirSync(join(stage, target))) {
    // wasm-pack's .gitignore ("*") would make npm pack drop the whole folder.
    // Declarations are not shipped from here: scripts/layout.mjs writes one self-contained file
    // per entry, from the node build's (read from the stage).
    if (file === ".gitignore" || file.endsWith(".d.ts")) continue;
    cpSync(join(stage, target, file), join(dir, file), { recursive: true });
  }
  // wasm-bindgen writes inline_js snippets as ES modules even for the CommonJS (nodejs) target,
  // whose glue require()s them: Node 20 cannot require ESM, so they become CommonJS here.
  if (target !== "web") convertSnippetsToCommonJs(join(dir, "snippets"));
  const type = target === "web" ? "module" : "commonjs";
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type }) + "\n");
}
for (const file of ["cli.mjs", "host.mjs", "testing.mjs"]) {
  cpSync(join(template, "portal", file), join(pkg, "portal", file));
}
cpSync(join(root, "www"), join(pkg, "www"), { recursive: true });
// The docspace-webhooks command line (bin), on the package's own entry.
cpSync(join(template, "cli"), join(pkg, "cli"), { recursive: true });

for (const file of ["api.mjs", "receiver.mjs", "signature.mjs"]) {
  cpSync(join(template, file), join(pkg, file));
}
// ESM needs its export names spelled out: take them from what install() returns (via the
// CommonJS entry, written ahead of the other entries for this), so the ESM entries can never list
// different names.
const nodeEntry = await bundleNodeEntry();
writeFileSync(join(pkg, "index.cjs"), nodeEntry);
const names = Object.keys(createRequire(import.meta.url)(join(pkg, "index.cjs")));

const files = writeEntries(root, pkg, template, names, { "index.cjs": nodeEntry });
await bundleBrowserEntry(join(pkg, "browser.mjs"));
for (const file of ["README.md", "LICENSE", "CHANGELOG.md"]) cpSync(join(root, file), join(pkg, file));

// The package version is the crate's: one place to bump.
const version = readFileSync(join(root, "Cargo.toml"), "utf8").match(/^version = "([^"]+)"/m)?.[1];
const manifest = JSON.parse(readFileSync(join(template, "package.json"), "utf8"));
writeFileSync(join(pkg, "package.json"), JSON.stringify(packageManifest(manifest, version, files), null, 2) + "\n");

console.log(`built pkg/ (docspace-webhooks ${version}, ${dev ? "dev" : "release"})`);

/** browser.mjs becomes one module with the web glue, its snippets and the API (the wasm stays a
 * file beside it): a page that imports it waits for one request before the wasm's, not for a
 * second round of six. Minified: a cold page gets to its first call ~7 ms sooner than with the
 * readable bundle (paired loads in Chromium; minifying only whitespace and syntax gains nothing,
 * renaming identifiers does); the readable sources ship beside it (api.mjs, receiver.mjs,
 * signature.mjs, web/). */
async function bundleBrowserEntry(entry) {
  // browser.mjs compiles the wasm itself and calls initSync(): the glue's own async init (its
  // default export, which fetches the wasm from a URL beside the glue) is dead code here. It is
  // exported, so esbuild keeps it unless the export goes: without it the bundle is 405 B gzip
  // smaller. The shipped web/ glue keeps it.
  const initExport = "export { initSync, __wbg_init as default };";
  const dropGlueInit = {
    name: "drop-glue-init",
    setup(build) {
      build.onLoad({ filter: /[\\/]web[\\/]docspace_webhooks\.js$/ }, (args) => {
        const code = readFileSync(args.path, "utf8");
        if (!code.includes(initExport)) throw new Error(`scripts/build.mjs: the web glue no longer has ${initExport}`);
        return { contents: code.replace(initExport, "export { initSync };"), loader: "js" };
      });
    },
  };
  const result = await build({
    entryPoints: [entry],
    outfile: entry,
    allowOverwrite: true,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    legalComments: "none",
    // Not keepNames: it costs 1.1 KB gzip in a user's bundle; browser.mjs names its public
    // classes itself.
    minify: true,
    logLevel: "warning",
    // wasm-bindgen lists a snippet module once per import in its import object: same key, same value.
    logOverride: { "duplicate-object-key": "silent" },
    banner: {
      js: "// docspace-webhooks for browsers and bundlers: pkg-template/browser.mjs with the web glue and the API,\n// bundled and minified by scripts/build.mjs (readable: api.mjs, receiver.mjs, signature.mjs and web/ beside it).\n",
    },
    plugins: [dropGlueInit],
    write: false,
  });
  writeFileSync(entry, result.outputFiles[0].text);
}

/** index.cjs becomes one readable CommonJS file with the Node glue, its snippets and api.mjs
 * (the wasm stays in node/): loading five files cost ~1 ms of the package's start-up (resolving,
 * reading and compiling each; paired runs of `require` + the first client, 40–80 a side). Not
 * minified: minified, it started no faster than the five files. */
async function bundleNodeEntry() {
  const glue = join(stage, "node", `${outName}.js`);
  // In the bundle, __dirname is pkg/ and the wasm is in node/. The glue names two of its snippets
  // with String.raw templates, which esbuild does not follow: they become plain strings.
  const wasmPath = "`${__dirname}/docspace_webhooks_bg.wasm`";
  const relocateGlue = {
    name: "relocate-node-glue",
    setup(build) {
      build.onResolve({ filter: /^\.\/node\/docspace_webhooks\.js$/ }, () => ({ path: glue }));
      build.onLoad({ filter: /[\\/]node[\\/]docspace_webhooks\.js$/ }, (args) => {
        const code = readFileSync(args.path, "utf8");
        if (!code.includes(wasmPath)) throw new Error(`scripts/build.mjs: the Node glue no longer has ${wasmPath}`);
        const contents = matchImportArity(code)
          .replace(wasmPath, "`${__dirname}/node/docspace_webhooks_bg.wasm`")
          .replace(/require\(String\.raw`([^`$\\]*)`\)/g, (_, path) => `require(${JSON.stringify(path)})`);
        return { contents, loader: "js" };
      });
    },
  };
  const result = await build({
    entryPoints: [join(template, "index.cjs")],
    outfile: join(pkg, "index.cjs"),
    // The bundle names each module it holds by its path from here: the checkout, whatever the
    // caller's working directory (which would otherwise put the checkout's own path in it).
    absWorkingDir: root,
    write: false,
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node20",
    legalComments: "none",
    logLevel: "warning",
    // wasm-bindgen lists a snippet module once per import in its import object: same key, same value.
    logOverride: { "duplicate-object-key": "silent" },
    banner: {
      js: "// docspace-webhooks for Node (require, and import through index.mjs): pkg-template/index.cjs with the\n// Node glue, its snippets and api.mjs, bundled by scripts/build.mjs; the wasm is node/docspace_webhooks_bg.wasm.\n",
    },
    plugins: [relocateGlue],
  });
  const text = result.outputFiles[0].text;
  // A require esbuild could not follow would fail only when the package is loaded.
  if (/require\((String\.raw)?[`"']\.\/snippets\//.test(text))
    throw new Error("scripts/build.mjs: index.cjs still requires a snippet file");
  return text;
}

/** wasm-bindgen wraps each import that may throw as `function() { return handleError(function
 * (arg0, …) { … }, arguments); }`: the function the wasm imports declares no parameters. Node
 * 20's V8 calls an import whose declared parameters differ from its wasm signature through an
 * arity-adapting wrapper, which it compiles at instantiation, one per such signature (8 here:
 * instantiating took 0.80 → 0.43 ms, and whole processes that require the package and make a
 * client ~0.4 ms less, paired medians of 60; the bundle is 25 B gzip larger). Declaring the
 * inner function's parameters on the outer one too makes the arities match; `arguments` still
 * passes them on. Only the Node bundle: the V8 of current browsers calls imports through one
 * generic wrapper. The build fails if the glue's pattern changes. */
function matchImportArity(code) {
  const wrapped = code.split("return handleError(function").length - 1;
  let matched = 0;
  const patched = code.replace(/function\(\) \{ return handleError\(function \(([^)]*)\) \{/g, (_, params) => {
    matched++;
    return `function(${params}) { return handleError(function (${params}) {`;
  });
  if (wrapped === 0 || matched !== wrapped)
    throw new Error(`scripts/build.mjs: matched ${matched} of ${wrapped} handleError imports in the glue`);
  return patched;
}

/** Rewrites a wasm-pack output folder's wasm and glue in place with short import and export names. */
function shortenNames(dir) {
  const wasmFile = join(dir, `${outName}_bg.wasm`);
  const glueFile = join(dir, `${outName}.js`);
  const renamed = shortenWasmNames(readFileSync(wasmFile), `./${outName}_bg.js`);
  writeFileSync(glueFile, shortenGlueNames(readFileSync(glueFile, "utf8"), renamed));
  writeFileSync(wasmFile, renamed.wasm);
}

function convertSnippetsToCommonJs(dir) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { recursive: true })) {
    const file = join(dir, entry);
    if (!file.endsWith(".js")) continue;
    const { code } = transformSync(readFileSync(file, "utf8"), { format: "cjs", target: "node20" });
    writeFileSync(file, code);
  }
}
