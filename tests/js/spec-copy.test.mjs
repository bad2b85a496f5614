// The OpenAPI extract the tests validate with is a copy (tests/support/spec/): it must stay
// identical to the shared original wherever that original is present.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { SHARED_SPEC_PATH, SPEC_PATH } from "../support/openapi.mjs";

test(
  "the vendored OpenAPI extract is byte-identical to ../shared/spec",
  { skip: !existsSync(SHARED_SPEC_PATH) && `${SHARED_SPEC_PATH} is not here` },
  () => {
    assert.ok(
      readFileSync(SPEC_PATH).equals(readFileSync(SHARED_SPEC_PATH)),
      `${SPEC_PATH} differs from ${SHARED_SPEC_PATH}: copy it again`,
    );
  },
);
