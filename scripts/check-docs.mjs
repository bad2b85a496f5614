#!/usr/bin/env node
// Checks that the documents the code cites are in the repository and say what is cited.
//
//   node scripts/check-docs.mjs          check; exit 1 with one line per problem
//   node scripts/check-docs.mjs --help   show this text
//
// (a) Every "§N.M" cited as the contract ("contract §5.2", "contract §7.7, §12.16", "§11–12",
//     or a bare "(§3.1)") must be a numbered heading of docs/contract.md. A § number counts
//     unless the nearest document named before it on the line is another one (an RFC, the
//     design card, the contract check).
// (b) A reference to a document that is not in the repository (the contract check, the design
//     card, ../shared/docs, docspace-contract.md) is a problem too: cite docs/contract.md.
//
// Scans src/, crates/, pkg-template/, tests/, www/, bench/, scripts/, docs/ and README.md,
// skipping node_modules, target, pkg, .git and binary files. No dependencies.
import { readdirSync, readFileSync } from "node:fs";
import { extname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CONTRACT = "docs/contract.md";
const SCANNED = ["src", "crates", "pkg-template", "tests", "www", "bench", "scripts", "docs", "README.md"];
const SKIPPED_DIRS = new Set(["node_modules", "target", "pkg", ".git"]);
const BINARY = new Set([".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".wasm", ".woff", ".woff2", ".gz", ".zip", ".pdf"]);
const SELF = relative(ROOT, fileURLToPath(import.meta.url));

/** A § number, optionally a range ("§11–12"): group 1 the number, group 2 the range's end. */
const SECTION = /§\s?(\d+(?:\.\d+)*)(?:\s?[–-]\s?(\d+(?:\.\d+)*))?/g;
/** Document names that may stand before a § number; only "contract" means docs/contract.md. */
const DOCUMENT_NAME = /contract-check|contract|design|RFC\s?\d+/gi;
/** Documents that live outside the repository. */
const OUTSIDE = /contract-check|design §|shared\/docs|docspace-contract\.md/gi;

function usage() {
  const header = readFileSync(fileURLToPath(import.meta.url), "utf8")
    .split("\n")
    .slice(1);
  const end = header.findIndex((line) => !line.startsWith("//"));
  return header
    .slice(0, end)
    .map((line) => line.replace(/^\/\/ ?/, ""))
    .join("\n");
}

function* files(path) {
  let entries;
  try {
    entries = readdirSync(join(ROOT, path), { withFileTypes: true });
  } catch (error) {
    if (error.code === "ENOTDIR") yield path;
    else if (error.code !== "ENOENT") throw error;
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.isDirectory() && !SKIPPED_DIRS.has(entry.name)) yield* files(join(path, entry.name));
    else if (entry.isFile() && !BINARY.has(extname(entry.name).toLowerCase())) yield join(path, entry.name);
  }
}

/** The section numbers of the contract's headings: "## 5. …" gives 5, "### 12.16 …" gives 12.16. */
function headings(text) {
  const numbers = new Set();
  for (const match of text.matchAll(/^#{1,6}\s+(\d+(?:\.\d+)*)\.?\s/gm)) numbers.add(match[1]);
  return numbers;
}

/** Whether the § at `index` cites the contract: the nearest document named before it decides. */
function citesContract(line, index) {
  let nearest = "contract";
  for (const match of line.slice(0, index).matchAll(DOCUMENT_NAME)) nearest = match[0].toLowerCase();
  return nearest === "contract";
}

function check() {
  let sections;
  try {
    sections = headings(readFileSync(join(ROOT, CONTRACT), "utf8"));
  } catch {
    return { references: 0, problems: [`${CONTRACT}: missing`] };
  }
  let references = 0; // from outside the contract; its own cross-references are checked, not counted
  const problems = [];
  for (const root of SCANNED) {
    for (const file of files(root)) {
      if (file === SELF) continue;
      const text = readFileSync(join(ROOT, file), "utf8");
      if (text.includes("\0")) continue;
      text.split("\n").forEach((line, i) => {
        const where = `${file}:${i + 1}`;
        for (const match of line.matchAll(OUTSIDE)) problems.push(`${where}: cites "${match[0]}", which is not in the repository`);
        for (const match of line.matchAll(SECTION)) {
          if (!citesContract(line, match.index)) continue;
          for (const number of [match[1], match[2]].filter(Boolean)) {
            if (file !== CONTRACT) references += 1;
            if (!sections.has(number)) problems.push(`${where}: cites contract §${number}, which ${CONTRACT} has no heading for`);
          }
        }
      });
    }
  }
  return { references, problems };
}

if (process.argv.includes("--help") || process.argv.includes("-h")) {
  console.log(usage());
} else {
  const { references, problems } = check();
  for (const problem of problems) console.log(problem);
  const summary = `docs: ${references} references to ${CONTRACT}`;
  const failed = `${problems.length} problem${problems.length === 1 ? "" : "s"}`;
  console.log(problems.length ? `${summary}, ${failed}` : `${summary}, all resolve`);
  process.exitCode = problems.length ? 1 : 0;
}
