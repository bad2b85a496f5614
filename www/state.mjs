// What every view shares: the connection to the portal, what the caller's role allows, the
// event list, and how errors are explained to a person. It imports only the package and the
// page's DOM helpers, so any module can import it without creating a cycle.
import { WebhooksClient, DocSpaceError, Trigger } from "/pkg/browser.mjs";
import { toast } from "./layers.mjs";
import { $ } from "./ui.mjs";

/**
 * Shared state of the page. `role` is what the portal's event list says about the caller:
 * "guest" (may use no event: no webhooks at all), "user" (some events are admin-only) or
 * "manager" (every event: a room admin, an admin or the owner).
 */
export const app = { client: null, baseUrl: "", token: "", standIn: false, triggers: [], role: null, eventsRefused: false };

// ---- connection: the token lives in this tab only (sessionStorage), never in logs ----

export function connect({ baseUrl, token }) {
  app.client = new WebhooksClient({ baseUrl, token });
  app.baseUrl = baseUrl;
  app.token = token;
  app.triggers = [];
  app.role = null;
  app.eventsRefused = false;
  sessionStorage.setItem("docspace-base-url", baseUrl);
  sessionStorage.setItem("docspace-token", token);
  setConnection("connecting");
}

/** The header's "Portal: …" button says whether the portal took the token. */
export function setConnection(state) {
  const host = app.baseUrl ? new URL(app.baseUrl).host : "";
  $("#connection-summary").textContent =
    state === "rejected" ? `${host}, token not accepted` : state === "none" || !host ? "not connected" : host;
  $("#show-connect").dataset.state = state;
  $("#send-event").hidden = !canSendEvents();
}

export function showConnect(message) {
  const form = $("#connect");
  form.hidden = false;
  $("#show-connect").setAttribute("aria-expanded", "true");
  $("#connect-message").textContent = message ?? "";
  $("#token").focus();
}

/** A call to the stand-in's own endpoints (not part of the DocSpace API), with the user's token. */
export function standInFetch(path, { method = "GET", body, signal } = {}) {
  const headers = { authorization: `Bearer ${app.token}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  return fetch(`${app.baseUrl}/stand-in/${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
}

// ---- what the caller may do ----

/** Reads the caller's role from the event list's `available` flags (a portal before 3.7 has none: assume a manager). */
export function roleFrom(triggers) {
  const flags = triggers.filter((t) => t.id !== 0).map((t) => t.available);
  if (flags.every((flag) => flag === false)) return "guest";
  if (flags.some((flag) => flag === false)) return "user";
  return "manager";
}

export const canManageWebhooks = () => app.role !== "guest";

/** Test events: the stand-in's own endpoint, for its owner and admins (room admins learn it from a 403 once). */
export const canSendEvents = () => app.standIn && app.role === "manager" && !app.eventsRefused;

// ---- errors as a person can act on them ----

/**
 * What went wrong, in words that match the cause: `{ text, retry }` (retry: trying again may
 * help). A 401 opens the connect form instead, which then is the only message.
 */
export function describe(error, doing) {
  if (!(error instanceof DocSpaceError)) return { text: `${doing} failed: ${error?.message ?? error}`, retry: true };
  const status = error.status;
  if (status === 401) {
    setConnection("rejected");
    showConnect("The portal did not accept this token. Enter a valid one.");
    return { text: "", retry: false, silent: true };
  }
  if (status === 403)
    return {
      text:
        app.role === "guest"
          ? `${doing} is not possible: guests cannot use webhooks in DocSpace. Ask a portal admin for another role.`
          : `${doing} is not allowed for your account: only the webhook's author or a portal admin may do this.`,
      retry: false,
    };
  if (status === 404) return { text: `${doing} failed: it no longer exists (it may have been deleted meanwhile).`, retry: false };
  if (status === 429) {
    const wait = error.retryAfter ? `in ${Math.ceil(error.retryAfter)} s` : "in a few minutes";
    return { text: `${doing}: the portal allows only a few of these at a time. Try again ${wait}.`, retry: false };
  }
  if (status >= 500)
    return { text: `${doing} failed on the portal's side (HTTP ${status}: ${error.message}). Try again later.`, retry: true };
  if (error.kind === "network")
    return { text: `${doing} failed: the portal at ${new URL(app.baseUrl).host} cannot be reached. Is it running?`, retry: true };
  if (error.kind === "timeout") return { text: `${doing} failed: the portal did not answer in time.`, retry: true };
  if (error.kind === "invalid_response")
    return { text: `${doing} failed: the answer was not what a DocSpace portal sends (${error.message}).`, retry: true };
  return { text: `${doing} failed: ${error.message}${status ? ` (HTTP ${status})` : ""}`, retry: false };
}

/** One message for one failure, as a toast (401: the connect form instead). */
export function fail(error, doing) {
  if (isAbort(error)) return; // the page that asked is gone: nobody is waiting for this answer
  const { text, silent } = describe(error, doing);
  if (!silent) toast(text, { kind: "error" });
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

// ---- triggers (for the editor, the filters and labels) ----

/** The portal's event list (cached per connection), which also tells the caller's role; rejects like any client call. */
export async function loadTriggers({ signal } = {}) {
  if (!app.triggers.length) {
    app.triggers = await app.client.getWebhookTriggers({ signal });
    app.role = roleFrom(app.triggers);
    setConnection("connected");
  }
  return app.triggers;
}

/** "file.uploaded" → "File uploaded". */
export function triggerLabel(bit) {
  if (bit === 0) return "All events";
  const info = app.triggers.find((t) => t.id === bit);
  // The portal's dotted name, or the package's C# name ("FileUploaded") split into words.
  const name = info?.name ?? Trigger.names(bit)[0]?.replace(/(?<=[a-z])(?=[A-Z])/g, " ") ?? String(bit);
  const text = name.replace(/\./g, " ").toLowerCase();
  return text.charAt(0).toUpperCase() + text.slice(1);
}
