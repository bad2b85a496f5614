// The package's public entry points, one row per subpath of `exports`, and everything derived
// from them: the entry files in pkg/, one declaration file beside each (`.d.mts` for an ES module,
// `.d.cts` for a CommonJS one, so every resolver reads the module format the runtime gets), the
// `exports` map, `main`/`types`/`typesVersions` for resolvers that predate `exports`, and the
// entries' part of `files`. A new subpath is one more row.
//
// A row: `subpath`; `summary` (the module's line in the API reference); `types`, the template
// declarations of the subpath (pkg-template/…); `conditions`, the `exports` conditions with the
// entry file each leads to. Entry files come from the caller when it built them (the Node entry's
// bundle), else from pkg-template/; a `.cjs` entry that is not there is bundled by esbuild from
// the `.mjs` beside it (so `require()` works on Node 20.0 to 20.18, which cannot require an ES
// module).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, posix } from "node:path";
import { buildSync } from "esbuild";

export const SUBPATHS = [
  {
    subpath: ".",
    summary: "The client (`WebhooksClient`), the receiver helpers and the trigger table.",
    types: "index.d.ts",
    conditions: {
      // Cloudflare Workers (and wrangler, which bundles with this condition): the wasm is
      // imported as a compiled module, since a Worker cannot fetch it by URL.
      workerd: "workerd.mjs",
      // Node (also Deno and Bun): the CommonJS build loads its wasm synchronously; the ES module
      // re-exports it, so `import` and `require` share one instance.
      node: { import: "index.mjs", require: "index.cjs" },
      browser: "browser.mjs",
      default: "browser.mjs",
    },
  },
  {
    subpath: "./redis",
    summary: "A dedupe store on Redis for `createWebhookHandler`: exactly-once handling across hosts.",
    types: "redis.d.ts",
    conditions: { import: "redis.mjs", require: "redis.cjs" },
  },
  {
    subpath: "./portal",
    summary: "The stand-in DocSpace portal for integration tests (Node only).",
    types: "portal/index.d.ts",
    conditions: { import: "portal/index.mjs", require: "portal/index.cjs" },
  },
];

const PACKAGE_NAME = "docspace-webhooks";
// The wasm-bindgen declarations (DTOs from Rust, the custom sections of pkg-template/types/) that
// the root declarations re-export: inlined, so every declaration file stands alone.
const INLINED = { "./node/docspace_webhooks.js": "target/wasm-pack/node/docspace_webhooks.d.ts" };

/** The entry files of a row, in the order they appear in its conditions. */
function entryFiles(conditions) {
  return typeof conditions === "string" ? [conditions] : [...new Set(Object.values(conditions).flatMap(entryFiles))];
}

/** `index.mjs` → `index.d.mts`, `portal/index.cjs` → `portal/index.d.cts`. */
function declarationFile(entry) {
  return entry.replace(/\.(m|c)js$/, ".d.$1ts");
}

/**
 * Writes every row's entry files and declaration files into pkg/ and returns their paths (for
 * `files`). `names` are the root API's export names (what install() returns): the ES module
 * entries spell them out in place of `__EXPORT_NAMES__`. `built` holds entries the caller built
 * itself (by file name: their text), written as given instead of from the template.
 */
export function writeEntries(root, pkg, template, names, built = {}) {
  const written = [];
  for (const row of SUBPATHS) {
    const declarations = moduleComment(row) + inline(root, readFileSync(join(template, row.types), "utf8"));
    // The template's `x.d.ts` describes `x.mjs` (and `x.cjs`): those get the declarations; any
    // other ES module entry of the row (browser.mjs, workerd.mjs) re-exports `x.d.mts`.
    const primary = row.types.replace(/\.d\.ts$/, ".mjs");
    if (!entryFiles(row.conditions).includes(primary)) throw new Error(`scripts/layout.mjs: ${row.subpath} has no ${primary}`);
    for (const entry of entryFiles(row.conditions)) {
      const into = join(pkg, entry);
      mkdirSync(dirname(into), { recursive: true });
      const source = join(template, entry);
      let defaultExport = false;
      if (entry in built) {
        writeFileSync(into, built[entry]);
      } else if (existsSync(source)) {
        const code = readFileSync(source, "utf8");
        defaultExport = /^export default /m.test(code);
        writeFileSync(into, code.replace("__EXPORT_NAMES__", names.join(", ")));
      } else if (entry.endsWith(".cjs") && existsSync(source.replace(/\.cjs$/, ".mjs"))) {
        bundleCommonJs(source.replace(/\.cjs$/, ".mjs"), into);
      } else {
        throw new Error(`scripts/layout.mjs: no pkg-template/${entry}, nor an .mjs to build it from`);
      }
      const text =
        entry.endsWith(".mjs") && entry !== primary
          ? reexport(entry, primary, defaultExport)
          : declarations + (defaultExport ? defaultDeclaration(names) : "");
      writeFileSync(join(pkg, declarationFile(entry)), text);
      written.push(entry, declarationFile(entry));
    }
  }
  return written;
}

/** The published manifest: the template's fields, the version, and what the rows imply. */
export function packageManifest(template, version, entries) {
  const { name, description, license, keywords, type, engines, bin, files, ...rest } = template;
  const root = SUBPATHS.find((row) => row.subpath === ".");
  const cjs = (conditions) => entryFiles(conditions).find((entry) => entry.endsWith(".cjs"));
  const exports = Object.fromEntries(SUBPATHS.map((row) => [row.subpath, exportConditions(row.conditions)]));
  exports["./package.json"] = "./package.json";
  // `moduleResolution: node10` reads neither `exports` nor subpaths: `types` and `typesVersions`
  // give it the CommonJS declarations, as `require` gets the CommonJS entries.
  const typesVersions = Object.fromEntries(
    SUBPATHS.filter((row) => row !== root).map((row) => [row.subpath.slice(2), [`./${declarationFile(cjs(row.conditions))}`]]),
  );
  const covered = (entry) => files.some((listed) => listed.endsWith("/") && entry.startsWith(listed));
  return {
    name,
    version,
    description,
    license,
    keywords,
    type,
    engines,
    main: `./${cjs(root.conditions)}`,
    types: `./${declarationFile(cjs(root.conditions))}`,
    typesVersions: { "*": typesVersions },
    exports,
    // npm publish rewrites "./x" bin paths to "x" (and warns): write them as it keeps them.
    bin: Object.fromEntries(Object.entries(bin).map(([command, file]) => [command, file.replace(/^\.\//, "")])),
    ...rest,
    files: [...entries.filter((entry) => !covered(entry)), ...files],
  };
}

/** A row's conditions with each entry file as `{ types, default }`: types first, as resolvers require. */
function exportConditions(conditions) {
  if (typeof conditions === "string") return { types: `./${declarationFile(conditions)}`, default: `./${conditions}` };
  return Object.fromEntries(Object.entries(conditions).map(([condition, target]) => [condition, exportConditions(target)]));
}

/** The first comment of a declaration file: names the module for the API reference. */
function moduleComment(row) {
  const name = posix.join(PACKAGE_NAME, row.subpath);
  return `/**\n * ${row.summary}\n *\n * @module ${name}\n */\n`;
}

/** Replaces the re-exports of wasm-bindgen declarations by their text (and drops imports from them). */
function inline(root, declarations) {
  let text = declarations;
  for (const [specifier, file] of Object.entries(INLINED)) {
    const quoted = JSON.stringify(specifier).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const generated = readFileSync(join(root, file), "utf8").replace(/^\/\* (tslint|eslint)-disable \*\/\n/gm, "");
    text = text.replace(new RegExp(`^import type \\{[^}]*\\} from ${quoted};\\n`, "m"), "");
    text = text.replace(new RegExp(`^export \\* from ${quoted};\\n`, "m"), () => generated);
  }
  return text;
}

/** The declarations of an ES module entry with the same API as `primary`: its re-export. */
function reexport(entry, primary, defaultExport) {
  const from = JSON.stringify(`./${posix.relative(posix.dirname(entry), primary)}`);
  return `// The same API as ${from}.\nexport * from ${from};\n${defaultExport ? `export { default } from ${from};\n` : ""}`;
}

/** The default export of an ES module entry that has one: every named export, as one object. */
function defaultDeclaration(names) {
  const members = names.map((name) => `  ${name}: typeof ${name};`).join("\n");
  return `\n/** Every export of the package as one object (the default export of its ES module entries). */\ndeclare const ${camel(PACKAGE_NAME)}: {\n${members}\n};\nexport default ${camel(PACKAGE_NAME)};\n`;
}

function camel(name) {
  return name.replace(/-(\w)/g, (_, letter) => letter.toUpperCase());
}

/**
 * A CommonJS twin of an ES module entry. Local modules are bundled in; Node built-ins, the
 * wasm-bindgen glue (loaded through createRequire) and the package's own name (an entry that
 * imports "docspace-webhooks" must get the one shared instance) stay `require()`s. `import.meta.url` becomes
 * this file's URL, which is the same directory as the ES module's.
 */
function bundleCommonJs(from, into) {
  buildSync({
    entryPoints: [from],
    outfile: into,
    format: "cjs",
    bundle: true,
    platform: "node",
    target: "node20",
    external: [PACKAGE_NAME],
    define: { "import.meta.url": "__importMetaUrl" },
    banner: { js: 'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
    logLevel: "warning",
  });
}
