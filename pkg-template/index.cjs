// Node entry for `require("docspace-webhooks")`: the CommonJS build loads its wasm synchronously.
// The receiver's HMAC comes from node:crypto, which uses the CPU's SHA instructions.
"use strict";
const { createHmac, timingSafeEqual } = require("node:crypto");
const wasm = require("./node/docspace_webhooks.js");
const { install } = require("./api.cjs");

const nodeMac = {
  matches(keys, body, digest) {
    let matched = false;
    // Every key is tried (timingSafeEqual runs first), so the time taken does not tell which matched.
    for (const key of keys) matched = timingSafeEqual(createHmac("sha256", key).update(body).digest(), digest) || matched;
    return matched;
  },
  sign: (key, body) => createHmac("sha256", key).update(body).digest("hex").toUpperCase(),
};

module.exports = install(wasm, nodeMac);
