// Node entry for `require("docspace-webhooks")`: the CommonJS build loads its wasm synchronously.
// The receiver's HMAC comes from node:crypto, which uses the CPU's SHA instructions; it is loaded
// on the first verification, since loading it takes a fifth of the package's own start-up.
"use strict";
const wasm = require("./node/docspace_webhooks.js");
const { install } = require("./api.cjs");

let crypto;
const nodeCrypto = () => (crypto ??= require("node:crypto"));

const nodeMac = {
  matches(keys, body, digest) {
    const { createHmac, timingSafeEqual } = nodeCrypto();
    let matched = false;
    // Every key is tried (timingSafeEqual runs first), so the time taken does not tell which matched.
    for (const key of keys) matched = timingSafeEqual(createHmac("sha256", key).update(body).digest(), digest) || matched;
    return matched;
  },
  sign: (key, body) => nodeCrypto().createHmac("sha256", key).update(body).digest("hex").toUpperCase(),
  // Buffer.from stops at the first character that is not hex: a short digest is no digest.
  fromHex: (text, at) => {
    const digest = Buffer.from(text.slice(at), "hex");
    return digest.length === 32 ? digest : null;
  },
};

module.exports = install(wasm, nodeMac);
