// The demo page's modules form a tree, not a circle: with a cycle, a module can run before the
// one it imports has finished (a TDZ ReferenceError as soon as a top-level line uses an import).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const www = fileURLToPath(new URL("../../www/", import.meta.url));

/** module → the local modules it imports (`import … from "./x.mjs"`, `export … from "./x.mjs"`, `import "./x.mjs"`). */
export function localImports(dir) {
  const graph = new Map();
  for (const file of readdirSync(dir).filter((name) => name.endsWith(".mjs"))) {
    const source = readFileSync(`${dir}/${file}`, "utf8");
    const targets = [...source.matchAll(/^\s*(?:import|export)\s+(?:[^"';]*?\s+from\s+)?["']\.\/([^"']+)["']/gm)].map((match) => match[1]);
    graph.set(file, targets);
  }
  return graph;
}

/** The first import cycle found, as a path of module names, or null. */
export function findCycle(graph) {
  const state = new Map(); // undefined: not seen; "open": on the current path; "done": no cycle below
  const walk = (file, path) => {
    if (state.get(file) === "open") return [...path.slice(path.indexOf(file)), file];
    if (state.get(file) === "done") return null;
    state.set(file, "open");
    for (const target of graph.get(file) ?? []) {
      const cycle = walk(target, [...path, file]);
      if (cycle) return cycle;
    }
    state.set(file, "done");
    return null;
  };
  for (const file of graph.keys()) {
    const cycle = walk(file, []);
    if (cycle) return cycle;
  }
  return null;
}

test("the walk finds a cycle when there is one", () => {
  const graph = new Map([
    ["main.mjs", ["list.mjs"]],
    ["list.mjs", ["editor.mjs", "ui.mjs"]],
    ["editor.mjs", ["list.mjs"]],
    ["ui.mjs", []],
  ]);
  assert.deepEqual(findCycle(graph), ["list.mjs", "editor.mjs", "list.mjs"]);
  graph.set("editor.mjs", ["ui.mjs"]);
  assert.equal(findCycle(graph), null);
});

test("www/ has no import cycle, and every local import exists", () => {
  const graph = localImports(www);
  assert.ok(graph.size >= 5, `read ${graph.size} modules`);
  for (const [file, targets] of graph) for (const target of targets) assert.ok(graph.has(target), `${file} imports a missing ./${target}`);
  assert.equal(findCycle(graph), null);
});

test("nothing imports the entry, and the shared state imports no view or router", () => {
  const graph = localImports(www);
  for (const [file, targets] of graph) assert.ok(!targets.includes("main.mjs"), `${file} imports the entry`);
  assert.ok(
    graph.get("state.mjs").every((target) => ["ui.mjs", "layers.mjs"].includes(target)),
    graph.get("state.mjs").join(", "),
  );
  const html = readFileSync(`${www}/index.html`, "utf8");
  assert.match(html, /<script type="module" src="\.\/main\.mjs"><\/script>/);
});
