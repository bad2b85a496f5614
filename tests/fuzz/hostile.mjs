// Hostile JavaScript values for the fuzz run, each with a short `shape` that says how it was
// built (what a report shows: the values themselves can be 10 MiB or throw when printed).
//
//   const { value, shape } = hostile(r);             // any hostile value
//   const { value, shape } = around(r, template);    // a valid object with some fields made hostile
//
// Everything is built from the random stream `r` (./random.mjs), so a seed and a call index
// rebuild the same value. Big strings are built once and shared: building them is not the
// code under test.

const MiB = 1 << 20;
const made = new Map();
/** `unit` repeated to `length` characters, built once. */
function big(unit, length) {
  const key = `${unit}:${length}`;
  if (!made.has(key)) {
    const text = unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
    text.charCodeAt(text.length - 1); // flatten the rope now, not inside a timed call
    made.set(key, text);
  }
  return made.get(key);
}

/**
 * A costly value built once and shared by every call that draws it (nothing the package does
 * may change its input, and the harness never changes these).
 */
function shared(key, make) {
  if (!made.has(key)) made.set(key, make());
  return made.get(key);
}

const thrower = (what) => () => {
  throw new Error(`fuzz: ${what} throws`);
};

/** A proxy of `target` whose listed traps throw. */
function trapping(target, traps) {
  const handler = {};
  for (const trap of traps) handler[trap] = thrower(`${trap} trap`);
  return new Proxy(target, handler);
}

const ALL_TRAPS = [
  "get",
  "set",
  "has",
  "ownKeys",
  "getOwnPropertyDescriptor",
  "getPrototypeOf",
  "defineProperty",
  "deleteProperty",
  "apply",
];

function revoked(target) {
  const { proxy, revoke } = Proxy.revocable(target, {});
  revoke();
  return proxy;
}

function nested(depth, makeInner) {
  let value = makeInner();
  for (let i = 0; i < depth; i++) value = makeInner(value);
  return value;
}

function sparse(length) {
  return shared(`sparse ${length}`, () => new Array(length)); // holes only
}

/** An object whose `key` reads differently every time (a check-then-use bug finder). */
function shifting(key, values) {
  let reads = 0;
  return Object.defineProperty({}, key, { enumerable: true, get: () => values[reads++ % values.length] });
}

// [shape, factory(r)]: the leaves every hostile value is drawn from.
const LEAVES = [
  // Primitives at the edges.
  ["undefined", () => undefined],
  ["null", () => null],
  ["true", () => true],
  ["false", () => false],
  ["0", () => 0],
  ["-0", () => -0],
  ["NaN", () => NaN],
  ["Infinity", () => Infinity],
  ["-Infinity", () => -Infinity],
  ["1.5", () => 1.5],
  ["-1", () => -1],
  ["7", () => 7],
  ["2^31", () => 2 ** 31],
  ["2^32", () => 2 ** 32],
  ["2^53", () => 2 ** 53],
  ["2^53+2", () => 2 ** 53 + 2],
  ["MAX_VALUE", () => Number.MAX_VALUE],
  ["MIN_VALUE", () => Number.MIN_VALUE],
  ["0n", () => 0n],
  ["7n", () => 7n],
  ["10n**30n", () => 10n ** 30n],
  ["-1n", () => -1n],
  ["Symbol()", () => Symbol("fuzz")],
  ["Symbol.iterator", () => Symbol.iterator],
  // Strings: near-valid, odd Unicode, and big.
  ['""', () => ""],
  ['" "', () => " "],
  ['"All"', () => "All"],
  ['"*"', () => "*"],
  ['"FileUploaded"', () => "FileUploaded"],
  ['"file.uploaded"', () => "file.uploaded"],
  ['"fileuploaded"', () => "fileuploaded"],
  ['"FileUpload"', () => "FileUpload"],
  ['"Status4xx"', () => "Status4xx"],
  ['"7"', () => "7"],
  ['"1e400"', () => "1e400"],
  ['"__proto__"', () => "__proto__"],
  ['"constructor"', () => "constructor"],
  ['"https://hooks.example.com/x"', () => "https://hooks.example.com/x"],
  ['"http://127.0.0.1:1/x"', () => "http://127.0.0.1:1/x"],
  ['"http://127.0.0.1:1\\\\@93.184.216.34/"', () => "http://127.0.0.1:1\\@93.184.216.34/"],
  ['"javascript:alert(1)"', () => "javascript:alert(1)"],
  ['"2026-06-30T10:00:00Z"', () => "2026-06-30T10:00:00Z"],
  ['"9999-99-99T99:99:99Z"', () => "9999-99-99T99:99:99Z"],
  ['"\\0\\uFFFF\\uD800"', () => "\0\uFFFF\uD800"],
  ['"\\uDC00x\\uD800"', () => "\uDC00x\uD800"],
  ['"\\uFEFFname\\u202E"', () => "\uFEFFname\u202E"],
  ['"😀".repeat(60)', () => "😀".repeat(60)],
  ['"a\\r\\nb"', () => "a\r\nb"],
  ['"sha256=" + 64×"0"', () => "sha256=" + "0".repeat(64)],
  // Objects with traps, throwing conversions and odd prototypes.
  ["{}", () => ({})],
  ["Object.create(null)", () => Object.create(null)],
  ["frozen {name}", () => Object.freeze({ name: "x" })],
  ["{toJSON throws}", () => ({ toJSON: thrower("toJSON") })],
  ["{toString throws}", () => ({ toString: thrower("toString") })],
  ["{valueOf throws}", () => ({ valueOf: thrower("valueOf") })],
  ["{[Symbol.toPrimitive] throws}", () => ({ [Symbol.toPrimitive]: thrower("toPrimitive") })],
  [
    "{getter throws}",
    (r) =>
      Object.defineProperty({}, r.pick(["name", "uri", "triggers", "signal", "baseUrl", "message"]), {
        enumerable: true,
        get: thrower("getter"),
      }),
  ],
  ["{name changes per read}", () => shifting("name", ["ok", 7, undefined])],
  ['JSON "{\\"__proto__\\":…}"', () => JSON.parse('{"__proto__":{"name":"x"},"constructor":1}')],
  ["{length: 2^32}", () => ({ length: 2 ** 32 })],
  ["10,000-key object", () => shared("keys", () => Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i])))],
  ["class instance", () => new (class Options {})()],
  [
    "self-referencing object",
    () => {
      const self = { name: "x" };
      self.self = self;
      return self;
    },
  ],
  ["Proxy(get throws)", () => trapping({ name: "x" }, ["get"])],
  ["Proxy(ownKeys throws)", () => trapping({}, ["ownKeys"])],
  ["Proxy(getPrototypeOf throws)", () => trapping({}, ["getPrototypeOf"])],
  ["Proxy(getOwnPropertyDescriptor throws)", () => trapping({ name: "x" }, ["getOwnPropertyDescriptor"])],
  ["Proxy(has throws)", () => trapping({}, ["has"])],
  ["Proxy(every trap throws)", () => trapping({}, ALL_TRAPS)],
  ["Proxy([] , get throws)", () => trapping([], ["get"])],
  ["Proxy(function, every trap throws)", () => trapping(function target() {}, ALL_TRAPS)],
  ["Proxy lying about keys", () => new Proxy({}, { ownKeys: () => ["name", "uri"], getOwnPropertyDescriptor: () => undefined })],
  ["plain Proxy({name})", () => new Proxy({ name: "x" }, {})],
  ["revoked Proxy", () => revoked({})],
  ["revoked Proxy([])", () => revoked([])],
  // Built-ins that are objects but not plain ones.
  ["Map", () => new Map([["name", "x"]])],
  ["Set", () => new Set([1])],
  ["WeakMap", () => new WeakMap()],
  ["Error", () => new Error("boom")],
  ["TypeError with cause", () => new TypeError("boom", { cause: { code: "E" } })],
  ["Promise", () => Promise.resolve(1)],
  [
    "rejected Promise",
    () => {
      const p = Promise.reject(new Error("fuzz: rejected"));
      p.catch(() => {});
      return p;
    },
  ],
  ["Date", () => new Date("2026-06-30T10:00:00Z")],
  ["Invalid Date", () => new Date(NaN)],
  ["Date(8.64e15)", () => new Date(8.64e15)],
  ["RegExp", () => /x/g],
  ['new String("All")', () => new String("All")],
  ["new Number(7)", () => new Number(7)],
  ["new Boolean(false)", () => new Boolean(false)],
  ["Object(Symbol())", () => Object(Symbol("boxed"))],
  ["Object(1n)", () => Object(1n)],
  ["Uint8Array(4)", () => new Uint8Array(4)],
  ["Uint8Array(0)", () => new Uint8Array(0)],
  ["Float64Array[NaN]", () => new Float64Array([NaN])],
  ["Uint16Array lone surrogate", () => new Uint16Array([0xd800])],
  ["ArrayBuffer(8)", () => new ArrayBuffer(8)],
  ["DataView", () => new DataView(new ArrayBuffer(8))],
  ["SharedArrayBuffer(8)", () => new SharedArrayBuffer(8)],
  ["Buffer", () => Buffer.from("{}")],
  [
    "detached ArrayBuffer",
    () => {
      const buffer = new ArrayBuffer(8);
      structuredClone(buffer, { transfer: [buffer] });
      return buffer;
    },
  ],
  [
    "Uint8Array on detached buffer",
    () => {
      const bytes = new Uint8Array(8);
      structuredClone(bytes.buffer, { transfer: [bytes.buffer] });
      return bytes;
    },
  ],
  ["AbortSignal", () => new AbortController().signal],
  ["aborted AbortSignal", () => AbortSignal.abort()],
  ["AbortSignal aborted with a throwing reason", () => AbortSignal.abort(trapping({}, ALL_TRAPS))],
  ["AbortSignal aborted with a 10 MiB reason", () => AbortSignal.abort(big("r", 10 * MiB))],
  ["{aborted: true} (not a signal)", () => ({ aborted: true, reason: "x", addEventListener() {} })],
  ["EventTarget", () => new EventTarget()],
  // Functions.
  ["() => {}", () => () => {}],
  ["function throws", () => thrower("function")],
  ["async function", () => async () => {}],
  ["class", () => class Fuzz {}],
  ["bound function", () => function () {}.bind(null)],
  ["generator function", () => function* () {}],
  ["function with props", () => Object.assign(() => {}, { name2: "x", baseUrl: "https://h" })],
  // Arrays: empty, sparse, huge, deep, trapped.
  ["[]", () => []],
  ["[ , 1] (hole)", () => [, 1]], // eslint-disable-line no-sparse-arrays
  ["sparse array, length 2^32−1", () => sparse(2 ** 32 - 1)],
  ["sparse array, length 10^6", () => sparse(1e6)],
  ["10,000 numbers", () => shared("numbers", () => Array.from({ length: 10_000 }, (_, i) => i + 1))],
  ["array with throwing index getter", () => Object.defineProperty([1, 2], 0, { get: thrower("index getter") })],
  ["array with extra props", () => Object.assign(["FileUploaded"], { name: "x" })],
  ["Array subclass", () => new (class List extends Array {})()],
  [
    "self-referencing array",
    () => {
      const self = [];
      self.push(self);
      return self;
    },
  ],
  // Deep nesting (stack depth in every recursive reader).
  ["object nested 100 deep", () => nested(100, (inner) => (inner === undefined ? {} : { name: inner, triggers: inner }))],
  ["object nested 10,000 deep", () => shared("object 1e4", () => nested(10_000, (inner) => (inner === undefined ? {} : { a: inner })))],
  ["array nested 10,000 deep", () => shared("array 1e4", () => nested(10_000, (inner) => (inner === undefined ? [] : [inner])))],
  ["array nested 100,000 deep", () => shared("array 1e5", () => nested(100_000, (inner) => (inner === undefined ? [] : [inner])))],
];

/**
 * Megabytes of text: drawn for one leaf in BIG_CHANCE, so that a long run meets each of them
 * thousands of times while most calls stay cheap (copying 10 MiB into wasm alone takes ~20 ms).
 */
const BIG = [
  ["1 MiB string", () => big("a", MiB)],
  ["10 MiB string", () => big("a", 10 * MiB)],
  ['10 MiB "FileUploaded…"', () => big("FileUploaded", 10 * MiB)],
  ["10 MiB lone surrogates", () => big("\uD800", 10 * MiB)],
  ["10 MiB spaces then x", () => big(" ", 10 * MiB) + "x"],
  ["1 MiB NULs", () => big("\0", MiB)],
  ["10 MiB key", () => ({ [big("k", 10 * MiB)]: 1 })],
];
const BIG_CHANCE = 0.01;

/** Field names the client and receiver read, plus near misses and poison. */
export const KEYS = [
  "name",
  "uri",
  "secretKey",
  "triggers",
  "enabled",
  "ssl",
  "targetId",
  "id",
  "count",
  "startIndex",
  "groupStatus",
  "trigger",
  "deliveryFrom",
  "deliveryTo",
  "hookUri",
  "configId",
  "eventId",
  "userId",
  "signal",
  "timeoutMs",
  "baseUrl",
  "token",
  "basic",
  "credentials",
  "retries",
  "fetch",
  "onRequest",
  "onResponse",
  "user",
  "password",
  "secret",
  "secrets",
  "onEvent",
  "dedupe",
  "dedupeWindowMs",
  "maxBodyBytes",
  "onError",
  "onStoreError",
  "tokne",
  "timeoutms",
  "__proto__",
  "constructor",
  "toJSON",
];

/** One hostile leaf. */
export function leaf(r) {
  const [shape, make] = r.pick(r.chance(BIG_CHANCE) ? BIG : LEAVES);
  return { value: make(r), shape };
}

/** Any hostile value: mostly a leaf, sometimes a small array or object of them. */
export function hostile(r, depth = 0) {
  const roll = r.next();
  if (depth > 2 || roll < 0.7) return leaf(r);
  if (roll < 0.82) {
    const items = Array.from({ length: r.int(4) }, () => hostile(r, depth + 1));
    return { value: items.map((item) => item.value), shape: `[${items.map((item) => item.shape).join(", ")}]` };
  }
  const entries = Array.from({ length: 1 + r.int(4) }, () => [keyFor(r), hostile(r, depth + 1)]);
  return {
    value: Object.fromEntries(entries.map(([key, item]) => [key.value, item.value])),
    shape: `{${entries.map(([key, item]) => `${key.shape}: ${item.shape}`).join(", ")}}`,
  };
}

/** A property key: a known field, a near miss, or something long or odd. */
function keyFor(r) {
  const roll = r.next();
  if (roll < 0.8) {
    const key = r.pick(KEYS);
    return { value: key, shape: key };
  }
  if (r.chance(BIG_CHANCE)) {
    const [shape, make] = r.pick([
      ["10 MiB key", () => big("k", 10 * MiB)],
      ['10 MiB "tokne…" key', () => big("tokne", 10 * MiB)],
    ]);
    return { value: make(), shape };
  }
  const odd = [
    ["1 KiB key", () => big("k", 1024)],
    ["lone-surrogate key", () => "\uD800name"],
    ["empty key", () => ""],
    ["numeric key", () => "0"],
    ['key "name "', () => "name "],
  ];
  const [shape, make] = r.pick(odd);
  return { value: make(), shape };
}

/**
 * `template` (a function giving a fresh valid object) with one or two of its fields made
 * hostile, or an unknown key added, or the whole object wrapped in something hostile.
 */
export function around(r, template) {
  const base = template();
  const keys = Object.keys(base);
  const roll = r.next();
  if (roll < 0.12) return hostile(r);
  if (roll < 0.2) return { value: base, shape: "valid" };
  if (roll < 0.75) {
    const changed = [];
    for (let i = 0, n = 1 + r.int(2); i < n; i++) {
      const key = keys.length && r.chance(0.85) ? r.pick(keys) : keyFor(r).value;
      const item = hostile(r);
      // An own property, whatever the key: assigning "__proto__" would swap the prototype,
      // after which other assignments could run a hostile setter.
      Object.defineProperty(base, key, { value: item.value, enumerable: true, writable: true, configurable: true });
      changed.push(`${key.length > 40 ? `<${key.length}-char key>` : key}: ${item.shape}`);
    }
    return { value: base, shape: `valid but {${changed.join(", ")}}` };
  }
  if (roll < 0.83) {
    const key = keys.length ? r.pick(keys) : "name";
    delete base[key];
    return { value: base, shape: `valid without ${key}` };
  }
  const wrappers = [
    ["Proxy(get throws) of valid", () => trapping(base, ["get"])],
    ["Proxy(ownKeys throws) of valid", () => trapping(base, ["ownKeys"])],
    ["Proxy(getOwnPropertyDescriptor throws) of valid", () => trapping(base, ["getOwnPropertyDescriptor"])],
    ["plain Proxy of valid", () => new Proxy(base, {})],
    ["revoked Proxy of valid", () => revoked(base)],
    ["frozen valid", () => Object.freeze(base)],
    ["valid with a null prototype", () => Object.assign(Object.create(null), base)],
    ["valid as inherited props", () => Object.create(base)],
    ["Map of the valid entries", () => new Map(Object.entries(base))],
    ["Error with the valid props", () => Object.assign(new Error("fuzz"), base)],
    ["valid with a throwing getter", () => Object.defineProperty(base, keys[0] ?? "name", { enumerable: true, get: thrower("getter") })],
    ["valid with a non-enumerable field", () => Object.defineProperty(base, keys[0] ?? "name", { enumerable: false, value: "hidden" })],
    ["valid with a symbol key", () => Object.assign(base, { [Symbol("extra")]: 1 })],
    ["valid with a 1 MiB unknown key", () => Object.assign(base, { [big("q", MiB)]: 1 })],
  ];
  const [shape, wrap] = r.pick(wrappers);
  return { value: wrap(), shape };
}

export const REFUSE = "accepted what it should refuse";
export const UNREADABLE = "took an unreadable property as absent";

/**
 * Why the package must refuse `value` where it wants an options or input object, as
 * `{ category, why }`, or null when it may take it (absent, a plain object, or a proxy that reads
 * like one). Issue 16 item 8: only plain objects are read; objects of a class, arrays, proxies
 * that cannot be read, and objects inheriting from anything but Object.prototype (whose inherited
 * properties would be read) are refused, not read as empty. A property whose getter throws is
 * not "absent" either: taking the call without it drops what the caller asked for.
 */
export function refusal(value, isProxy) {
  const refuse = (why) => ({ category: REFUSE, why });
  if (value === undefined || value === null) return null;
  if (typeof value !== "object") return refuse(`it is ${typeof value === "function" ? "a function" : `a ${typeof value}`}`);
  let proto;
  try {
    if (isProxy(value)) readAll(value);
    if (Array.isArray(value)) return refuse("it is an array");
    proto = Object.getPrototypeOf(value);
  } catch {
    return refuse("it is a proxy that cannot be read");
  }
  if (proto !== null && proto !== Object.prototype && !isObjectPrototype(proto)) {
    const name = proto.constructor?.name;
    return refuse(name ? `it is an object of a class (${name})` : "it inherits from an object other than Object.prototype");
  }
  for (const key of Reflect.ownKeys(value)) {
    try {
      void value[key];
    } catch {
      return { category: UNREADABLE, why: `its property ${String(key).slice(0, 40)} throws when read` };
    }
  }
  return null;
}

/** Object.prototype of some realm (a plain object made in another realm inherits from it). */
function isObjectPrototype(proto) {
  try {
    const { constructor } = proto;
    return (
      Object.getPrototypeOf(proto) === null &&
      typeof constructor === "function" &&
      constructor.prototype === proto &&
      constructor.name === "Object"
    );
  } catch {
    return false;
  }
}

/** Reads every own property the way a reader of options would (throws when a trap does). */
function readAll(value) {
  Object.getPrototypeOf(value);
  for (const key of Reflect.ownKeys(value)) {
    Object.getOwnPropertyDescriptor(value, key);
    void value[key];
  }
}
