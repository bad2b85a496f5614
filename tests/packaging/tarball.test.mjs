// The tarball as a maintainer checks it before `npm publish`: exactly the files meant to ship
// (as `npm publish --dry-run` lists them), its size, and the ecosystem's two package checkers on
// it, at pinned versions and offline: Are the Types Wrong (every entry, every resolver) and publint.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { bin, manifest, packTarball, pkgDir, root, run } from "./support.mjs";
import { Reader, functionExports, sections } from "../../scripts/wasm-names.mjs";

let packed;
before(async () => {
  packed = await packTarball();
});
after(() => packed?.cleanup());

/** Every file an `exports` map leads to. */
function exportTargets(conditions) {
  return typeof conditions === "string" ? [conditions] : Object.values(conditions).flatMap(exportTargets);
}

/** The wasm builds, as scripts/build.mjs lays them out (snippets are named by a hash). The Node
 * build's glue and snippets are bundled into index.cjs: of it, only the wasm ships. */
function wasmBuildFiles(dir) {
  if (dir === "node") return ["node/docspace_webhooks_bg.wasm"];
  const snippets = readdirSync(join(pkgDir, dir), { recursive: true }).filter((file) => /^snippets\/.+\.js$/.test(file));
  return ["docspace_webhooks.js", "docspace_webhooks_bg.wasm", "package.json", ...snippets].map((file) => `${dir}/${file}`);
}

/** A module's sections by id: id -> [start, end) of each section's content. */
function sectionsById(bytes) {
  return new Map([...sections(bytes)].map(({ id, start, end }) => [id, [start, end]]));
}

/** The `i32.const` a constant expression at the reader starts with; the reader ends after its `end`. */
function i32Const(reader) {
  assert.equal(reader.byte(), 0x41, "an i32.const expression");
  const value = reader.s32();
  assert.equal(reader.byte(), 0x0b, "an expression of one i32.const");
  return value;
}

describe("tarball", () => {
  test("npm publish --dry-run lists exactly the files meant to ship", async (t) => {
    const [report] = Object.values(JSON.parse(await run("npm", ["publish", pkgDir, "--dry-run", "--json"], root)));
    const files = report.files.map((file) => file.path).sort();
    const { exports, bin: bins } = manifest();
    const expected = new Set([
      ...["package.json", "README.md", "LICENSE", "CHANGELOG.md"],
      ...exportTargets(exports).map((target) => target.slice(2)),
      ...Object.values(bins),
      // What the entries load: the API assembly, the receiver, the portal's host and test hooks,
      // the command line's modules, the wasm builds.
      ...["api.mjs", "receiver.mjs", "signature.mjs", "portal/host.mjs", "portal/testing.mjs"],
      ...readdirSync(join(root, "pkg-template", "cli")).map((file) => `cli/${file}`),
      ...["node", "web", "portal/wasm"].flatMap(wasmBuildFiles),
      // The demo page, which the portal serves.
      ...readdirSync(join(root, "www"), { recursive: true })
        .filter((file) => statSync(join(root, "www", file)).isFile())
        .map((file) => `www/${file}`),
    ]);
    assert.deepEqual(files, [...expected].sort());
    t.diagnostic(
      `${report.filename}: ${report.size} bytes packed (${(report.size / 1048576).toFixed(2)} MiB), ` +
        `${report.unpackedSize} bytes unpacked, ${report.entryCount} files`,
    );
  });

  test("no shipped file names the machine it was built on (home, CARGO_HOME, checkout)", () => {
    const cargoHome = process.env.CARGO_HOME ?? join(homedir(), ".cargo");
    const machinePaths = [homedir(), cargoHome, root].filter((path) => path !== "/").map((path) => Buffer.from(path));
    const shipped = readdirSync(pkgDir, { recursive: true }).filter((file) => statSync(join(pkgDir, file)).isFile());
    assert.ok(
      shipped.some((file) => file.endsWith(".wasm")),
      "the wasm builds are among the files read",
    );
    for (const file of shipped) {
      const bytes = readFileSync(join(pkgDir, file));
      for (const path of machinePaths) assert.equal(bytes.indexOf(path), -1, `${file} contains ${path}`);
    }
  });

  // wasm-opt runs with --low-memory-unused (Cargo.toml), which folds a constant offset into a load
  // or store on the promise that nothing lives in the lowest KiB. It holds for rustc's layout:
  // the stack comes first and grows down from its initial pointer, the data above it.
  test("the client's wasm keeps its lowest KiB free, as wasm-opt's --low-memory-unused assumes", () => {
    const bytes = readFileSync(join(pkgDir, "web", "docspace_webhooks_bg.wasm"));
    assert.ok(bytes.equals(readFileSync(join(pkgDir, "node", "docspace_webhooks_bg.wasm"))), "one wasm for both builds");
    const found = sectionsById(bytes);
    // Data (section 11): every active segment of memory 0 starts at 1 KiB or above.
    const data = new Reader(bytes, found.get(11)[0]);
    const count = data.u32();
    assert.ok(count > 0, "the wasm has data segments");
    for (let segment = 0; segment < count; segment++) {
      const flags = data.u32();
      assert.ok(flags === 0 || flags === 1, `data segment ${segment}: flags ${flags} (active in memory 0, or passive)`);
      if (flags === 0) {
        const offset = i32Const(data);
        assert.ok(offset >= 1024, `data segment ${segment} starts at ${offset}, inside the lowest KiB`);
      }
      const size = data.u32();
      data.at += size;
    }
    // Globals (section 6): the first is the stack pointer; it starts at 1 MiB or above, so the
    // stack reaches the lowest KiB only when 1,023 KiB deep.
    const globals = new Reader(bytes, found.get(6)[0]);
    globals.u32();
    assert.deepEqual([globals.byte(), globals.byte()], [0x7f, 1], "the first global is a mutable i32");
    const stackPointer = i32Const(globals);
    assert.ok(stackPointer >= 1024 * 1024, `the stack starts at ${stackPointer}`);
  });

  // scripts/build.mjs (matchImportArity): an import whose function declares fewer parameters than
  // its wasm signature costs Node 20 an adapter wrapper compiled at instantiation.
  test("index.cjs: the glue's imports that may throw declare the parameters they pass on", () => {
    const source = readFileSync(join(pkgDir, "index.cjs"), "utf8");
    const wrappers = [...source.matchAll(/function\s*\(([^)]*)\)\s*\{\s*return handleError\(function\s*\(([^)]*)\)/g)];
    assert.ok(wrappers.length > 0, "index.cjs has imports wrapped in handleError");
    assert.equal(wrappers.length, source.split("return handleError(").length - 1, "every handleError call is an import wrapper");
    const count = (params) => params.split(",").filter((name) => name.trim()).length;
    for (const [text, outer, inner] of wrappers) assert.equal(count(outer), count(inner), text);
  });

  // src/js.rs (value_or_error): Node 20's V8 compiles a wrapper for each multi-value signature
  // among the exports while it compiles the module (~90 µs each on a cold start). Only two keep
  // one: the constructor (which must throw) and wasm-bindgen-futures' callback.
  test("the client's wasm: no export returns several values but the constructor and one futures callback", () => {
    const bytes = readFileSync(join(pkgDir, "web", "docspace_webhooks_bg.wasm"));
    const exports = functionExports(bytes);
    assert.ok(exports.length > 20, `${exports.length} function exports`);
    const multi = exports.filter(({ results }) => results > 1).map(({ name }) => name);
    const glue = readFileSync(join(pkgDir, "web", "docspace_webhooks.js"), "utf8");
    const constructor = glue.match(/constructor\(options\) \{\s*const ret = wasm\.(\w+)\(/)?.[1];
    assert.ok(constructor, "the glue's WebhooksClient constructor calls one export");
    assert.ok(multi.includes(constructor), `the constructor's export ${constructor} returns its Result`);
    assert.ok(multi.length <= 2, `exports returning several values: ${multi.join(", ")}`);
  });

  // scripts/wasm-names.mjs: wasm-bindgen's names (`__wbg_fetch_<16 hex digits>`) cost 3.5 KB gzip
  // across the wasm and the glue; the build renames them in both, and the glue's imports must
  // still cover every import of the wasm.
  test("the client's wasm imports and exports short names, and each glue provides every import", async () => {
    const module = new WebAssembly.Module(readFileSync(join(pkgDir, "web", "docspace_webhooks_bg.wasm")));
    const imports = WebAssembly.Module.imports(module);
    const exports = WebAssembly.Module.exports(module);
    assert.ok(imports.length > 20 && exports.length > 20, `${imports.length} imports, ${exports.length} exports`);
    for (const { module: from, name } of imports) {
      assert.match(from, /^\d$/, `import module ${from}`);
      if (from === "0") assert.match(name, /^[a-z]{1,2}$/, `import ${name}`);
    }
    for (const { name } of exports) assert.match(name, /^[A-Z]{1,2}$/, `export ${name}`);
    const browser = readFileSync(join(pkgDir, "browser.mjs"), "utf8");
    const glues = [
      readFileSync(join(pkgDir, "index.cjs"), "utf8"),
      readFileSync(join(pkgDir, "web", "docspace_webhooks.js"), "utf8"),
      browser,
    ];
    for (const glue of glues) assert.doesNotMatch(glue, /__wbg_\w+_[0-9a-f]{16}|"\.\/docspace_webhooks_bg\.js"/);
    // Instantiating links every import by name: a missing one is a LinkError.
    const web = await import(pathToFileURL(join(pkgDir, "web", "docspace_webhooks.js")).href);
    web.initSync({ module });
    assert.equal(typeof web.WebhooksClient, "function");
  });

  test("the manifest: ES module package, every entry typed per condition, the crate's version", () => {
    const { type, version, main, types, exports } = manifest();
    assert.equal(type, "module");
    assert.equal(version, readFileSync(join(root, "Cargo.toml"), "utf8").match(/^version = "([^"]+)"/m)[1]);
    assert.deepEqual([main, types], ["./index.cjs", "./index.d.cts"]);
    assert.deepEqual(Object.keys(exports["."]), ["workerd", "node", "browser", "default"]);
    const leaves = (conditions) =>
      "default" in conditions && typeof conditions.default === "string" ? [conditions] : Object.values(conditions).flatMap(leaves);
    for (const [subpath, conditions] of Object.entries(exports)) {
      if (subpath === "./package.json") continue;
      for (const leaf of leaves(conditions)) {
        // Types first, and a declaration file of the same module format as the file it describes.
        assert.deepEqual(Object.keys(leaf), ["types", "default"], subpath);
        assert.equal(leaf.types, leaf.default.replace(/\.(m|c)js$/, ".d.$1ts"), subpath);
      }
    }
  });

  test("Are the Types Wrong finds no problem for any entry under node10, node16 (CJS and ESM) and bundler", async (t) => {
    // --no-definitely-typed: nothing is looked up on the registry; the tarball is all it reads.
    const args = [packed.tarball, "--profile", "strict", "--no-definitely-typed", "--format", "ascii", "--no-emoji", "--no-color"];
    let output;
    try {
      output = await run(bin("attw"), args, packed.work);
    } catch (error) {
      assert.fail(`attw found problems:\n${error.stdout}${error.stderr}`);
    }
    assert.match(output, /No problems found/);
    for (const subpath of Object.keys(manifest().exports)) {
      assert.ok(output.includes(`"${join("docspace-webhooks", subpath)}"`), `attw did not check ${subpath}:\n${output}`);
    }
    for (const line of output.split("\n")) if (line.trim() && !line.startsWith("***")) t.diagnostic(line);
  });

  test("publint reports nothing: no error, no warning, no suggestion", async () => {
    const tarball = readFileSync(packed.tarball);
    const { messages, pkg } = await publint({
      pack: { tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.length) },
      level: "suggestion",
      strict: true,
    });
    assert.deepEqual(
      messages.map((message) => `${message.type}: ${formatMessage(message, pkg, { color: false })}`),
      [],
    );
  });
});
