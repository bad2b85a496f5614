// Node entry for `require("docspace-webhooks")`: the CommonJS build loads its wasm synchronously.
// The receiver's HMAC comes from node:crypto, which uses the CPU's SHA instructions; it is loaded
// on the first verification, since loading it takes a fifth of the package's own start-up.
// scripts/build.mjs bundles this file with the Node glue, its snippets and api.mjs into
// pkg/index.cjs: one file to resolve, read and compile instead of five.
"use strict";
const wasm = require("./node/docspace_webhooks.js");
const { install } = require("./api.mjs");

let crypto;
const nodeCrypto = () => (crypto ??= require("node:crypto"));

// The secrets' KeyObjects: createHmac with one skips converting a string secret on every call
// (2.9 → 2.7 µs for a 1 KB check, measured). A receiver uses one secret, two while rotating:
// up to four are kept (the oldest goes first), the same bound as the wasm's keyed states.
const KEPT_KEYS = 4;
const keyObjects = new Map();
function keyObject(secret) {
  let key = keyObjects.get(secret);
  if (key === undefined) {
    if (keyObjects.size === KEPT_KEYS) keyObjects.delete(keyObjects.keys().next().value);
    key = nodeCrypto().createSecretKey(Buffer.from(secret, "utf8"));
    keyObjects.set(secret, key);
  }
  return key;
}

const nodeMac = {
  matches(keys, body, digest) {
    const { createHmac, timingSafeEqual } = nodeCrypto();
    let matched = false;
    // Every key is tried (timingSafeEqual runs first), so the time taken does not tell which matched.
    for (const key of keys) matched = timingSafeEqual(createHmac("sha256", keyObject(key)).update(body).digest(), digest) || matched;
    return matched;
  },
  sign: (key, body) => nodeCrypto().createHmac("sha256", keyObject(key)).update(body).digest("hex").toUpperCase(),
  // Buffer.from stops at the first character that is not hex: a short digest is no digest.
  fromHex: (text, at) => {
    const digest = Buffer.from(text.slice(at), "hex");
    return digest.length === 32 ? digest : null;
  },
};

module.exports = install(wasm, nodeMac);
