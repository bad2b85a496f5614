// The OpenAPI extract the tests validate with is a copy of the official one (tests/support/spec/),
// taken byte for byte: its SHA-256 below is the original's, so an edit to the copy fails here in
// any clone (the original lives outside the repository).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { SPEC_PATH } from "../support/openapi.mjs";

/** SHA-256 of the official extract (docspace-webhooks.openapi.json, 72,581 bytes). */
const ORIGINAL_SHA256 = "c9666ed47b8e7cd0de0be580e97288672e8a56e81384c8db636650d929332791";

test("the vendored OpenAPI extract is byte-identical to the official one", () => {
  const digest = createHash("sha256").update(readFileSync(SPEC_PATH)).digest("hex");
  assert.equal(digest, ORIGINAL_SHA256, `${SPEC_PATH} was edited: the known mistakes are corrected in openapi.mjs, never in the copy`);
});
