// Validates the requests our client sends and the answers the stand-in portal gives against the
// official OpenAPI extract, with ajv. The repository carries a byte-for-byte copy of it
// (tests/support/spec/); tests/js/spec-copy.test.mjs checks the copy against the original's
// checksum.
//
// The extract has known mistakes (contract §11–12). They are corrected here, once, each with
// its reason, and nowhere else.
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const SPEC_PATH = fileURLToPath(new URL("./spec/docspace-webhooks.openapi.json", import.meta.url));

/** The corrections to the published spec: [JSON pointer, replacement, why]. */
export const CORRECTIONS = [
  [
    "/components/schemas/WebhookTrigger",
    { type: "integer", minimum: 0, maximum: 2 ** 36 - 1 },
    "the enum lists 32 single values up to 2^30, but `triggers` is an int64 bitmask whose bits reach 2^35 (contract §6.1, §12.2)",
  ],
  [
    "/components/schemas/WebhookGroupStatus",
    { type: "integer", minimum: 0, maximum: 31 },
    "WebhookGroupStatus is [Flags]: combinations such as 24 are valid filter values (contract §6.2)",
  ],
  [
    "/components/schemas/ErrorApiResponse/properties/error/properties/type",
    { type: ["string", "null"] },
    "the exception envelope writes nulls: type is null for 401/415/custom errors (contract §3.3)",
  ],
  [
    "/components/schemas/ErrorApiResponse/properties/error/properties/stack",
    { type: ["string", "null"] },
    "the exception envelope writes nulls: stack is null for 401/415/custom errors (contract §3.3)",
  ],
  [
    "/components/schemas/WebhookRetryRequestsDto/properties/ids",
    { type: "array", items: { type: "integer", minimum: 1 } },
    "ids: null crashes the server with a 500 (contract §5.8, §12.20); the list must be present",
  ],
  [
    "/paths/~1api~12.0~1settings~1webhooks~1log/get/parameters/0/schema",
    { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?$" },
    "deliveryFrom: the server compares a zone-less time as-is with its UTC timestamps; an offset makes ASP.NET shift it to the server's local zone first (contract §7.7, §12.16)",
  ],
  [
    "/paths/~1api~12.0~1settings~1webhooks~1log/get/parameters/1/schema",
    { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?$" },
    "deliveryTo: as deliveryFrom (contract §7.7, §12.16)",
  ],
];

/** Statuses whose bodies the spec describes wrongly: the server sends them empty (contract §3.5). */
export const EMPTY_BODY_STATUSES = [401];

function pointer(document, path) {
  const keys = path
    .split("/")
    .slice(1)
    .map((key) => key.replaceAll("~1", "/").replaceAll("~0", "~"));
  const last = keys.pop();
  let node = document;
  for (const key of keys) {
    node = node?.[key];
    if (node === undefined) throw new Error(`correction ${path}: no such place in the spec`);
  }
  if (!(last in node)) throw new Error(`correction ${path}: no such place in the spec`);
  return { parent: node, key: last };
}

export function loadSpec() {
  const spec = JSON.parse(readFileSync(SPEC_PATH, "utf8"));
  for (const [path, replacement] of CORRECTIONS) {
    const { parent, key } = pointer(spec, path);
    const { description } = parent[key] ?? {};
    parent[key] = description ? { description, ...replacement } : replacement;
  }
  return spec;
}

export function createValidator() {
  const spec = loadSpec();
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat("int32", { type: "number", validate: (n) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat("int64", { type: "number", validate: (n) => Number.isSafeInteger(n) });
  ajv.addSchema({ ...spec, $id: "spec" });

  const operations = [];
  for (const [template, item] of Object.entries(spec.paths)) {
    const regex = new RegExp("^" + template.replace(/\{[^}]+\}/g, "([^/]+)") + "$");
    for (const [method, operation] of Object.entries(item)) operations.push({ method: method.toUpperCase(), template, regex, operation });
  }
  const ref = (path) => ajv.getSchema(`spec#${path}`);
  const describe = (errors) => ajv.errorsText(errors, { separator: "; " });

  return {
    /** The operation for a request, or undefined if the spec has none. */
    find(method, path) {
      return operations.find((op) => op.method === method && op.regex.test(path));
    },

    /** Problems with a request: unknown route, query parameters, body. */
    checkRequest({ method, path, query, body }) {
      const op = this.find(method, path);
      if (!op) return [`${method} ${path}: no such operation in the spec`];
      const problems = [];
      const params = op.operation.parameters ?? [];
      const base = `/paths/${op.template.replaceAll("/", "~1")}/${method.toLowerCase()}/parameters`;
      for (const [name, raw] of Object.entries(query)) {
        const index = params.findIndex((p) => p.in === "query" && p.name === name);
        if (index < 0) {
          problems.push(`${op.operation.operationId}: unknown query parameter ${name}`);
          continue;
        }
        const schema = params[index].schema ?? {};
        const value = schema.type === "integer" || schema.$ref ? Number(raw) : raw;
        const validate = ref(`${base}/${index}/schema`);
        if (!validate(value)) problems.push(`${op.operation.operationId} ?${name}=${raw}: ${describe(validate.errors)}`);
      }
      const content = op.operation.requestBody?.content?.["application/json"];
      if (content) {
        let json;
        try {
          json = JSON.parse(body);
        } catch {
          return [...problems, `${op.operation.operationId}: the body is not JSON`];
        }
        const validate = ref(
          `/paths/${op.template.replaceAll("/", "~1")}/${method.toLowerCase()}/requestBody/content/application~1json/schema`,
        );
        if (!validate(json)) problems.push(`${op.operation.operationId} body: ${describe(validate.errors)}`);
      } else if (body) {
        problems.push(`${op.operation.operationId}: sent a body the operation does not take`);
      }
      return problems;
    },

    /** Problems with an answer to `method path`. */
    checkResponse({ method, path, status, body }) {
      const op = this.find(method, path);
      if (!op) return [];
      if (EMPTY_BODY_STATUSES.includes(status) && body === "") return [];
      const response = op.operation.responses?.[String(status)];
      if (!response) return [`${op.operation.operationId}: status ${status} is not documented`];
      const content = response.content?.["application/json"];
      if (!content) return [];
      const validate = ref(
        `/paths/${op.template.replaceAll("/", "~1")}/${method.toLowerCase()}/responses/${status}/content/application~1json/schema`,
      );
      if (!validate(JSON.parse(body))) return [`${op.operation.operationId} ${status}: ${describe(validate.errors)}`];
      return [];
    },
  };
}
