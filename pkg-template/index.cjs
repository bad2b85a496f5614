// Node entry for `require("docspace-webhooks")`: the CommonJS build loads its wasm synchronously.
"use strict";
const wasm = require("./node/docspace_webhooks.js");
const { install } = require("./api.cjs");

module.exports = install(wasm);
