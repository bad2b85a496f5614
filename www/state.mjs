// What every view shares: the connection to the portal, the event list, and how errors are
// explained to a person. It imports only the package and the DOM helpers, so any module can
// import it without creating a cycle.
import { WebhooksClient, DocSpaceError, Trigger } from "/pkg/browser.mjs";
import { $, toast } from "./ui.mjs";

/** Shared state of the page. */
export const app = { client: null, baseUrl: "", token: "", standIn: false, triggers: [] };

// ---- connection: the token lives in this tab only (sessionStorage), never in logs ----

export function connect({ baseUrl, token }) {
  app.client = new WebhooksClient({ baseUrl, token });
  app.baseUrl = baseUrl;
  app.token = token;
  app.triggers = [];
  sessionStorage.setItem("docspace-base-url", baseUrl);
  sessionStorage.setItem("docspace-token", token);
  $("#connection-summary").textContent = new URL(baseUrl).host;
}

export function showConnect(message) {
  const form = $("#connect");
  form.hidden = false;
  $("#connect-message").textContent = message ?? "";
  $("#token").focus();
}

/** A call to the stand-in's own endpoints (not part of the DocSpace API), with the user's token. */
export function standInFetch(path, { method = "GET", body, signal } = {}) {
  const headers = { authorization: `Bearer ${app.token}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  return fetch(`${app.baseUrl}/stand-in/${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
}

// ---- errors as a person can act on them ----

/** A sentence for an error, and the side effects it calls for (re-entering a token). */
export function explain(error, doing) {
  if (!(error instanceof DocSpaceError)) return `${doing}: ${error?.message ?? error}`;
  if (error.status === 401) {
    showConnect("The portal did not accept this token. Enter a valid one.");
    return `${doing}: the token was not accepted (HTTP 401)`;
  }
  if (error.status === 403) return `${doing}: you do not have permission (HTTP 403: ${error.message})`;
  if (error.status === 429)
    return `${doing}: too many requests; try again${error.retryAfter ? ` in ${Math.ceil(error.retryAfter)} s` : " later"} (HTTP 429)`;
  if (error.kind === "network") return `${doing}: cannot reach the portal (${error.message})`;
  if (error.kind === "timeout") return `${doing}: the portal did not answer in time`;
  return `${doing}: ${error.message}${error.status ? ` (HTTP ${error.status})` : ""}`;
}

export function fail(error, doing) {
  toast(explain(error, doing), { kind: "error" });
}

/** Whether an error only says that the render which asked was cancelled. */
export const isAbort = (error) => error?.kind === "aborted" || error?.name === "AbortError";

/**
 * The field errors of a DocSpaceError, keyed the way the page names its fields (`name`, `uri`,
 * `secretKey`, `triggers`, `targetId`): the client's invalid_input errors use those keys, the
 * server's validation 400s use its C# property names ("Name", "SecretKey", "$.triggers").
 */
export function fieldErrors(error) {
  const byField = {};
  for (const [key, messages] of Object.entries(error?.details ?? {})) {
    const bare = key.replace(/^\$\./, "").replace(/\[.*$/, "");
    const field = FIELD_ALIASES[bare.toLowerCase()] ?? bare;
    byField[field] = [...(byField[field] ?? []), ...[messages].flat()];
  }
  return byField;
}
const FIELD_ALIASES = {
  name: "name",
  uri: "uri",
  url: "uri",
  secretkey: "secretKey",
  secret: "secretKey",
  triggers: "triggers",
  targetid: "targetId",
};

// ---- triggers (for the editor and labels) ----

/** The portal's event list (cached per connection); rejects like any client call. */
export async function loadTriggers({ signal } = {}) {
  if (!app.triggers.length) app.triggers = await app.client.getWebhookTriggers({ signal });
  return app.triggers;
}

/** "file.uploaded" → "File uploaded". */
export function triggerLabel(bit) {
  if (bit === 0) return "All events";
  const info = app.triggers.find((t) => t.id === bit);
  const dotted = info?.name ?? Trigger.names(bit)[0] ?? String(bit);
  const text = dotted.replace(/\./g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}
