// Short names for what the client's wasm imports and exports. wasm-bindgen names each import
// `__wbg_<name>_<16 hex digits>` under the module "./docspace_webhooks_bg.js", and its exports
// after the Rust items (`webhooksclient_getTenantWebhooks`); each name is spelled once in the
// wasm and once more in the glue, and the hex digits do not compress. scripts/build.mjs renames
// them all (imports to `a`, `b`, …, exports to `A`, `B`, …, modules to `0`, `1`, …) in the wasm
// and in the glue that goes with it, which must then agree on every name: the rewrite checks
// that each old name is found in the glue where expected and that none is left behind.
//
// Only the import and export sections change; every other byte of the wasm is copied as it is.

const MAGIC = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const TYPE_SECTION = 1;
const IMPORT_SECTION = 2;
const FUNCTION_SECTION = 3;
const EXPORT_SECTION = 7;

/** The bytes of a wasm module, read forward (the packaging tests read the shipped wasm with it too). */
export class Reader {
  constructor(bytes, at = 0) {
    this.bytes = bytes;
    this.at = at;
  }
  byte() {
    if (this.at >= this.bytes.length) throw new Error("wasm-names: the wasm ends early");
    return this.bytes[this.at++];
  }
  u32() {
    return this.leb(false);
  }
  /** A signed LEB128 number of at most 32 bits (an `i32.const`'s operand). */
  s32() {
    return this.leb(true);
  }
  leb(signed) {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = this.byte();
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return signed && byte & 0x40 ? value - 2 ** (shift + 7) : value;
      if (shift >= 28) throw new Error("wasm-names: a 32-bit LEB128 number is longer than 5 bytes");
    }
  }
  name() {
    const length = this.u32();
    const start = this.at;
    this.at += length;
    if (this.at > this.bytes.length) throw new Error("wasm-names: a name runs past the end");
    return new TextDecoder("utf-8", { fatal: true }).decode(this.bytes.subarray(start, this.at));
  }
  /** Skips a table's or memory's limits (flags, minimum, and a maximum when flagged). */
  limits() {
    const flags = this.byte();
    this.u32();
    if (flags & 1) this.u32();
  }
}

function u32Bytes(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

function nameBytes(name) {
  const utf8 = new TextEncoder().encode(name);
  return [...u32Bytes(utf8.length), ...utf8];
}

/** The n-th short name: `a`…`z`, then `ba`, `bb`, … (lower case for imports, upper for exports). */
function shortName(n, alphabet) {
  let name = "";
  do {
    name = alphabet[n % alphabet.length] + name;
    n = Math.floor(n / alphabet.length);
  } while (n > 0);
  return name;
}
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const UPPER = LOWER.toUpperCase();

/** A section's entries, each read by `entry(reader)`; the section must end with the last one. */
function readEntries(bytes, start, end, what, entry) {
  const reader = new Reader(bytes, start);
  const entries = Array.from({ length: reader.u32() }, () => entry(reader));
  if (reader.at !== end) throw new Error(`wasm-names: the ${what} section has bytes left over`);
  return entries;
}

/** An import: module, field, and the descriptor's bytes (copied unchanged). */
function readImport(reader) {
  const module = reader.name();
  const field = reader.name();
  const descStart = reader.at;
  const kind = reader.byte();
  if (kind === 0) reader.u32();
  else if (kind === 1) {
    reader.byte();
    reader.limits();
  } else if (kind === 2) reader.limits();
  else if (kind === 3) {
    reader.byte();
    reader.byte();
  } else if (kind === 4) {
    reader.byte();
    reader.u32();
  } else throw new Error(`wasm-names: import ${module}.${field} has an unknown kind ${kind}`);
  return { module, field, desc: reader.bytes.subarray(descStart, reader.at) };
}

/** An export: its name, and the descriptor's bytes (kind and index, copied unchanged). */
function readExport(reader) {
  const name = reader.name();
  const descStart = reader.at;
  reader.byte();
  reader.u32();
  return { name, desc: reader.bytes.subarray(descStart, reader.at) };
}

/** Each section of a module, in order: `{ id, sectionStart, start, end }` (`start`..`end` is its content). */
export function* sections(wasm) {
  const bytes = wasm instanceof Uint8Array ? wasm : new Uint8Array(wasm);
  if (!MAGIC.every((byte, i) => bytes[i] === byte)) throw new Error("wasm-names: not a wasm module (version 1)");
  const reader = new Reader(bytes, MAGIC.length);
  while (reader.at < bytes.length) {
    const sectionStart = reader.at;
    const id = reader.byte();
    const size = reader.u32();
    const start = reader.at;
    const end = start + size;
    if (end > bytes.length) throw new Error(`wasm-names: section ${id} runs past the end`);
    yield { id, sectionStart, start, end };
    reader.at = end;
  }
}

/** A function type's result count (`0x60`, the parameter types, the result types). */
function readResultCount(reader) {
  if (reader.byte() !== 0x60) throw new Error("wasm-names: a type that is not a function type");
  const params = reader.u32(); // each a one-byte value type
  reader.at += params;
  const results = reader.u32();
  reader.at += results;
  return results;
}

/**
 * The module's exported functions as `{ name, results }` (how many values each returns), for the
 * packaging test that keeps multi-value returns out of the exports (src/js.rs says why).
 */
export function functionExports(wasm) {
  const bytes = wasm instanceof Uint8Array ? wasm : new Uint8Array(wasm);
  let resultCounts = [];
  const functionTypes = []; // by function index: the imported functions first, then the module's own
  let exports = [];
  for (const { id, start, end } of sections(bytes)) {
    if (id === TYPE_SECTION) resultCounts = readEntries(bytes, start, end, "type", readResultCount);
    if (id === IMPORT_SECTION) {
      for (const { desc } of readEntries(bytes, start, end, "import", readImport)) {
        if (desc[0] === 0) functionTypes.push(new Reader(desc, 1).u32());
      }
    }
    if (id === FUNCTION_SECTION) functionTypes.push(...readEntries(bytes, start, end, "function", (reader) => reader.u32()));
    if (id === EXPORT_SECTION) exports = readEntries(bytes, start, end, "export", readExport);
  }
  return exports
    .filter(({ desc }) => desc[0] === 0)
    .map(({ name, desc }) => ({ name, results: resultCounts[functionTypes[new Reader(desc, 1).u32()]] }));
}

function section(id, entries) {
  const body = [...u32Bytes(entries.length), ...entries.flat()];
  return Uint8Array.from([id, ...u32Bytes(body.length), ...body]);
}

/**
 * Renames the imports wasm-bindgen declares under `glueModule` and every export. Returns the new
 * wasm and the renames: `modules` (old module name → new), `imports` and `exports` (old field or
 * export name → new). Imports of other modules (the inline snippets, whose field names are their
 * JavaScript exports) keep their field names; only their module name changes.
 */
export function shortenWasmNames(wasm, glueModule) {
  const bytes = new Uint8Array(wasm);
  const modules = new Map();
  const imports = new Map();
  const exports = new Map();
  const out = [Uint8Array.from(MAGIC)];
  for (const { id, sectionStart, start, end } of sections(bytes)) {
    if (id === IMPORT_SECTION) {
      const entries = readEntries(bytes, start, end, "import", readImport).map(({ module, field, desc }) => {
        if (!modules.has(module)) modules.set(module, String(modules.size));
        let name = field;
        if (module === glueModule) {
          if (!imports.has(field)) imports.set(field, shortName(imports.size, LOWER));
          name = imports.get(field);
        }
        return [...nameBytes(modules.get(module)), ...nameBytes(name), ...desc];
      });
      out.push(section(id, entries));
    } else if (id === EXPORT_SECTION) {
      const entries = readEntries(bytes, start, end, "export", readExport).map(({ name, desc }) => {
        exports.set(name, shortName(exports.size, UPPER));
        return [...nameBytes(exports.get(name)), ...desc];
      });
      out.push(section(id, entries));
    } else {
      out.push(bytes.subarray(sectionStart, end));
    }
  }
  if (!modules.has(glueModule)) throw new Error(`wasm-names: the wasm imports nothing from ${glueModule}`);
  return { wasm: Buffer.concat(out), modules, imports, exports };
}

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Replaces every match of `pattern` (one group: the name) by `rename(name)`; fails if a name of
 * `names` is never matched, when `required`. */
function replaceAll(code, pattern, names, rename, what, required = true) {
  const found = new Set();
  const result = code.replace(pattern, (whole, name) => {
    if (!names.has(name)) return whole;
    found.add(name);
    return whole.replace(name, rename(name));
  });
  const missing = [...names.keys()].filter((name) => !found.has(name));
  if (required && missing.length > 0) throw new Error(`wasm-names: the glue has no ${what} ${missing.join(", ")}`);
  return result;
}

/**
 * The glue with the same renames: the import object's keys (`__wbg_…: function`), its module keys
 * (`"./docspace_webhooks_bg.js": import0`) and the raw exports it calls (`wasm.webhooksclient_new`).
 */
export function shortenGlueNames(code, { modules, imports, exports }) {
  let glue = replaceAll(code, /^\s*(\w+): function\b/gm, imports, (name) => imports.get(name), "import");
  const moduleKeys = new RegExp(`^\\s*"(${[...modules.keys()].map(escape).join("|")})": import\\d+,$`, "gm");
  glue = replaceAll(glue, moduleKeys, modules, (name) => modules.get(name), "module key");
  // The glue's own functions may share an export's name (`export function __describe` calls
  // `wasm.__describe`): only `wasm.` members are the wasm's.
  // wasm-bindgen also exports hooks that its glue leaves to other hosts (`__abort_handler`):
  // renamed too, and not required.
  glue = replaceAll(glue, /\bwasm\.(\w+)\b/g, exports, (name) => exports.get(name), "export", false);
  const left = glue.match(/\b__wbg_\w+_[0-9a-f]{16}\b/);
  if (left) throw new Error(`wasm-names: the glue still names ${left[0]}`);
  return glue;
}
