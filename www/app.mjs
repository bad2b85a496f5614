// The demo admin panel: connection, routing (state in the query string, so views and filters
// can be bookmarked and shared), error explanations, and the stand-in's "Send test event".
// It uses only the package's public browser build.
import { WebhooksClient, DocSpaceError, Trigger } from "/pkg/browser.mjs";
import { $, h, openLayer, toast } from "./ui.mjs";
import { renderList } from "./list.mjs";
import { renderHistory } from "./history.mjs";
import { renderDelivery } from "./details.mjs";

export { Trigger };

/** Shared state of the page. */
export const app = { client: null, baseUrl: "", token: "", standIn: false, triggers: [] };

// ---- connection: the token lives in this tab only (sessionStorage), never in logs ----

function takeTokenFromHash() {
  const token = new URLSearchParams(location.hash.slice(1)).get("token");
  if (token) {
    sessionStorage.setItem("docspace-token", token);
    history.replaceState(null, "", location.pathname + location.search);
  }
}

export function connect({ baseUrl, token }) {
  app.baseUrl = baseUrl;
  app.token = token;
  sessionStorage.setItem("docspace-base-url", baseUrl);
  sessionStorage.setItem("docspace-token", token);
  app.client = new WebhooksClient({ baseUrl, token });
  $("#connection-summary").textContent = new URL(baseUrl).host;
}

function showConnect(message) {
  const form = $("#connect");
  form.hidden = false;
  $("#connect-message").textContent = message ?? "";
  $("#token").focus();
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

// ---- routing ----

export function route() {
  return Object.fromEntries(new URLSearchParams(location.search));
}

export function navigate(params, { replace = false } = {}) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== ""));
  const url = `${location.pathname}${query.size ? `?${query}` : ""}`;
  history[replace ? "replaceState" : "pushState"](null, "", url);
  render();
}

export async function render() {
  if (!app.client) return showConnect();
  const params = route();
  const main = $("#view");
  document.body.dataset.view = params.view ?? "list";
  if (params.view === "history" && params.webhook) return renderHistory(main, params);
  if (params.view === "delivery" && params.log) return renderDelivery(main, params);
  return renderList(main);
}

addEventListener("popstate", () => render());

// ---- triggers (for the editor and labels) ----

export async function loadTriggers() {
  if (app.triggers.length) return app.triggers;
  try {
    app.triggers = await app.client.getWebhookTriggers();
  } catch (error) {
    fail(error, "Loading the event list");
  }
  return app.triggers;
}

/** "file.uploaded" → "File uploaded". */
export function triggerLabel(bit) {
  const name = Trigger.names(bit)[0];
  const info = app.triggers.find((t) => t.id === bit);
  const dotted = info?.name ?? name ?? String(bit);
  if (bit === 0) return "All events";
  const text = dotted.replace(/\./g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// ---- the stand-in's test events ----

function openTestEvent() {
  const triggerSelect = h(
    "select",
    { id: "event-trigger", name: "trigger" },
    Object.keys(Trigger)
      .filter((name) => name !== "All")
      .map((name) => h("option", { value: name, selected: name === "FileUploaded" }, `${name} (${triggerLabel(Trigger[name])})`)),
  );
  const data = h(
    "textarea",
    { id: "event-data", rows: 6, spellcheck: "false" },
    JSON.stringify({ id: 42, title: "report.docx", fileEntryType: 2 }, null, 2),
  );
  const target = h("input", { id: "event-target", placeholder: "optional: an entity id" });
  const error = h("p", { class: "field-error", id: "event-error" });
  const form = h(
    "form",
    {
      class: "drawer",
      role: "dialog",
      "aria-modal": "true",
      "aria-labelledby": "event-title",
      onsubmit: async (event) => {
        event.preventDefault();
        let parsed;
        try {
          parsed = JSON.parse(data.value || "{}");
        } catch {
          error.textContent = 'The data must be JSON, e.g. {"id": 42}';
          data.focus();
          return;
        }
        const response = await fetch(`${app.baseUrl}/stand-in/events`, {
          method: "POST",
          headers: { authorization: `Bearer ${app.token}`, "content-type": "application/json" },
          body: JSON.stringify({ trigger: triggerSelect.value, data: parsed, targetId: target.value || undefined }),
        });
        const body = await response.json().catch(() => ({}));
        if (!response.ok) {
          error.textContent = body?.error?.message ?? `HTTP ${response.status}`;
          return;
        }
        const ids = body.response ?? [];
        close();
        toast(
          ids.length
            ? `Event sent: ${ids.length} deliver${ids.length === 1 ? "y" : "ies"} queued`
            : "Event sent, but no enabled webhook is subscribed to it",
        );
        // Deliveries arrive within moments: refresh what is on screen a few times.
        for (const delay of [300, 1200, 3000]) setTimeout(() => render(), delay);
      },
    },
    h(
      "header",
      {},
      h("h2", { id: "event-title" }, "Send a test event"),
      h("button", { type: "button", class: "close", "aria-label": "Close", onclick: () => close() }, "×"),
    ),
    h(
      "p",
      { class: "muted" },
      "The stand-in portal fans the event out to the enabled webhooks subscribed to it and really delivers signed requests.",
    ),
    h("label", { for: "event-trigger" }, "Event"),
    triggerSelect,
    h("label", { for: "event-data" }, "Payload (the entity the event is about)"),
    data,
    h("label", { for: "event-target" }, "Target ID"),
    target,
    error,
    h(
      "div",
      { class: "actions" },
      h("button", { type: "submit", class: "primary" }, "Send event"),
      h("button", { type: "button", onclick: () => close() }, "Cancel"),
    ),
  );
  const close = openLayer(form);
}

// ---- start ----

async function start() {
  takeTokenFromHash();
  $("#base-url").value = sessionStorage.getItem("docspace-base-url") ?? location.origin;
  $("#token").value = sessionStorage.getItem("docspace-token") ?? "";
  $("#connect").addEventListener("submit", (event) => {
    event.preventDefault();
    try {
      connect({ baseUrl: $("#base-url").value.trim(), token: $("#token").value.trim() });
    } catch (error) {
      $("#connect-message").textContent = error.message;
      return;
    }
    $("#connect").hidden = true;
    app.triggers = [];
    render();
  });
  $("#show-connect").addEventListener("click", () => {
    const form = $("#connect");
    form.hidden = !form.hidden;
    if (!form.hidden) $("#token").focus();
  });
  $("#send-event").addEventListener("click", openTestEvent);
  try {
    app.standIn = (await fetch(`${$("#base-url").value}/stand-in/health`)).ok;
  } catch {
    app.standIn = false;
  }
  $("#send-event").hidden = !app.standIn;
  if ($("#token").value) {
    try {
      connect({ baseUrl: $("#base-url").value, token: $("#token").value });
      $("#connect").hidden = true;
    } catch (error) {
      showConnect(error.message);
    }
  }
  render();
}

start();
