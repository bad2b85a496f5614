#!/usr/bin/env node
// Builds the API reference into target/api-docs/ (git-ignored) with TypeDoc, from the declaration
// files the package ships (pkg/, so `node scripts/build.mjs` first): one module per subpath of
// its `exports`. Any TypeDoc warning fails the build, and so does an export without a comment.
//
//   node scripts/api-docs.mjs      → target/api-docs/index.html
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { Application, LogLevel } from "typedoc";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = join(root, "pkg");
const out = join(root, "target", "api-docs");

if (!existsSync(join(pkg, "package.json"))) {
  console.error("scripts/api-docs.mjs: pkg/ is not built; run `node scripts/build.mjs` (or `--dev`) first");
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8"));

/** The declarations `import` gets in Node (conditions node, import, types), as TypeScript resolves them. */
function nodeImportTypes(target) {
  if (typeof target === "string") return target;
  const key = Object.keys(target).find((condition) => ["node", "import", "types", "default"].includes(condition));
  return key === undefined ? undefined : key === "types" ? target.types : nodeImportTypes(target[key]);
}
const entryPoints = Object.entries(manifest.exports)
  .filter(([subpath]) => subpath !== "./package.json")
  .map(([subpath, conditions]) => {
    const types = nodeImportTypes(conditions);
    if (!types?.endsWith(".d.mts")) throw new Error(`pkg/package.json: ${subpath} has no .d.mts for import`);
    return join(pkg, types);
  });

// The compiler settings of a strict consumer (the declarations must check under them too).
const tsconfig = join(root, "target", "api-docs.tsconfig.json");
mkdirSync(dirname(tsconfig), { recursive: true });
writeFileSync(
  tsconfig,
  JSON.stringify({
    compilerOptions: {
      strict: true,
      module: "nodenext",
      moduleResolution: "nodenext",
      target: "es2022",
      lib: ["es2022", "dom"],
      types: [],
    },
    files: entryPoints.map((file) => relative(dirname(tsconfig), file)),
  }),
);

rmSync(out, { recursive: true, force: true });
const app = await Application.bootstrapWithPlugins({
  name: `${manifest.name} ${manifest.version}`,
  entryPoints,
  tsconfig,
  out,
  readme: "none",
  // The declarations are generated into pkg/ (not in git): there is no source to link to.
  disableSources: true,
  excludePrivate: true,
  excludeInternal: true,
  treatWarningsAsErrors: true,
  treatValidationWarningsAsErrors: true,
  validation: { notExported: true, invalidLink: true, rewrittenLink: true, notDocumented: true, unusedMergeModuleWith: true },
  // Every export, method and accessor has a comment. (Not yet every property: many DTO fields
  // come undocumented from the Rust types the declarations are generated from.)
  requiredToBeDocumented: ["Enum", "EnumMember", "Variable", "Function", "Class", "Interface", "Method", "Accessor", "TypeAlias"],
  logLevel: LogLevel.Info,
});

const project = await app.convert();
if (project) {
  app.validate(project);
  if (!app.logger.hasErrors() && !app.logger.hasWarnings()) await app.generateDocs(project, out);
}
const { errorCount, warningCount } = app.logger;
if (!project || app.logger.hasErrors() || app.logger.hasWarnings()) {
  console.error(`scripts/api-docs.mjs: ${errorCount} errors, ${warningCount} warnings; no reference written`);
  process.exit(1);
}
console.log(`API reference: ${relative(root, join(out, "index.html"))} (${entryPoints.length} modules, 0 warnings)`);
