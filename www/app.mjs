// The demo admin page: only the package's public browser build, nothing private.
import { WebhooksClient, DocSpaceError, Trigger } from "/pkg/browser.mjs";

const $ = (selector) => document.querySelector(selector);
const status = $("#status");

// The token is kept in this tab only (sessionStorage), never logged.
const hashToken = new URLSearchParams(location.hash.slice(1)).get("token");
if (hashToken) {
  sessionStorage.setItem("docspace-token", hashToken);
  history.replaceState(null, "", location.pathname + location.search);
}
$("#base-url").value = sessionStorage.getItem("docspace-base-url") ?? location.origin;
$("#token").value = sessionStorage.getItem("docspace-token") ?? "";

$("#connect").addEventListener("submit", (event) => {
  event.preventDefault();
  sessionStorage.setItem("docspace-base-url", $("#base-url").value);
  sessionStorage.setItem("docspace-token", $("#token").value);
  load();
});

function describeEvents(mask) {
  if (mask === 0) return "All events";
  const names = Trigger.names(mask);
  return names.length === 1 ? names[0] : `${names.length} events`;
}

function badge(code) {
  const span = document.createElement("span");
  span.className = code === 0 ? "badge never" : code >= 200 && code < 300 ? "badge ok" : "badge failed";
  span.textContent = code === 0 ? "Not sent" : String(code);
  return span;
}

function cell(row, content) {
  const td = row.insertCell();
  if (content instanceof Node) td.append(content);
  else td.textContent = content;
  return td;
}

async function load() {
  const table = $("#webhooks");
  status.textContent = "Loading…";
  try {
    const client = new WebhooksClient({ baseUrl: $("#base-url").value, token: $("#token").value });
    const list = await client.getTenantWebhooks();
    const body = table.tBodies[0];
    body.replaceChildren();
    for (const { configs, status: last } of list) {
      const row = body.insertRow();
      cell(row, configs.name);
      cell(row, configs.uri).className = "url";
      cell(row, describeEvents(configs.triggers)).title = Trigger.names(configs.triggers).join(", ");
      cell(row, badge(last));
      cell(row, configs.enabled ? "Enabled" : "Disabled");
    }
    table.hidden = list.length === 0;
    status.textContent = list.length === 0 ? "No webhooks yet." : `${list.length} webhook${list.length === 1 ? "" : "s"}`;
  } catch (error) {
    table.hidden = true;
    status.textContent =
      error instanceof DocSpaceError ? `${error.message}${error.status ? ` (HTTP ${error.status})` : ""}` : String(error);
  }
}

if ($("#token").value) load();
