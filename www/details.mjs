// One delivery: request and response, headers and bodies, for every outcome (5xx and "no
// answer" included). Bodies are the receiver's own bytes: they are shown as text only, with
// copy, "Show all" and download for large ones.
import { navigate } from "./router.mjs";
import { app, fail, triggerLabel } from "./state.mjs";
import { copy, fill, formatAbsolute, h, skeleton, statusBadge, toast } from "./ui.mjs";

const MAX_CHARS = 4000;
const MAX_LINES = 100;

function pretty(text) {
  if (text === undefined || text === null || text === "") return "";
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** A titled text block with copy; long content is cut with "Show all" and a download. */
function block(title, text, file) {
  const content = pretty(text);
  const lines = content.split("\n");
  const long = content.length > MAX_CHARS || lines.length > MAX_LINES;
  const pre = h("pre", { class: "code", tabindex: "0" });
  pre.textContent = long ? lines.slice(0, MAX_LINES).join("\n").slice(0, MAX_CHARS) : content || "(empty)";
  const tools = h(
    "div",
    { class: "inline-tools" },
    content ? h("button", { type: "button", onclick: () => copy(content, title) }, "Copy") : null,
    long
      ? h(
          "button",
          { type: "button", onclick: (event) => ((pre.textContent = content), event.currentTarget.remove()) },
          `Show all (${content.length.toLocaleString()} characters)`,
        )
      : null,
    long
      ? h(
          "button",
          {
            type: "button",
            onclick: () => {
              // A text/plain Blob: the receiver's body is downloaded, never rendered.
              const url = URL.createObjectURL(new Blob([content], { type: "text/plain" }));
              h("a", { href: url, download: file }).click();
              setTimeout(() => URL.revokeObjectURL(url), 1000);
            },
          },
          "Download",
        )
      : null,
  );
  return h("section", { class: "block" }, h("div", { class: "block-head" }, h("h3", {}, title), tools), pre);
}

export async function renderDelivery(main, params, { signal }) {
  const id = Number(params.log);
  fill(main, skeleton(6));
  let row;
  try {
    row = (await app.client.getWebhooksLogs({ eventId: id, count: 1 }, { signal })).items[0];
  } catch (error) {
    if (signal.aborted) return;
    return fail(error, "Loading the delivery");
  }
  if (signal.aborted) return;
  const back = h(
    "nav",
    { class: "crumbs" },
    h("a", { href: "?", onclick: (event) => (event.preventDefault(), navigate({})) }, "Webhooks"),
    " / ",
    h(
      "a",
      {
        href: `?view=history&webhook=${params.webhook}`,
        onclick: (event) => (event.preventDefault(), navigate({ view: "history", webhook: params.webhook })),
      },
      "History",
    ),
  );
  if (!row) {
    fill(main, back, h("div", { class: "empty" }, h("h2", {}, `Delivery #${id} does not exist (any more)`)));
    return;
  }
  const retry = h(
    "button",
    {
      type: "button",
      id: "retry-delivery",
      onclick: async () => {
        retry.disabled = true;
        try {
          const fresh = await app.client.retryWebhook(row.id);
          toast(`Redelivery queued as #${fresh.id}`, {
            action: { label: "View", run: () => navigate({ view: "delivery", webhook: params.webhook, log: fresh.id }) },
          });
        } catch (error) {
          fail(error, `Retrying #${row.id}`);
        } finally {
          retry.disabled = false;
        }
      },
    },
    "Retry",
  );
  const delivered = row.status >= 200 && row.status < 300;
  const banner =
    row.status === 0
      ? h(
          "p",
          { class: "banner bad" },
          row.responsePayload ? `No HTTP answer came: ${row.responsePayload}` : "Not delivered yet: the portal is still trying.",
        )
      : delivered
        ? null
        : h("p", { class: "banner bad" }, `The receiver answered ${row.status}. ${row.responsePayload ?? ""}`);

  const panels = {
    request: h(
      "div",
      { class: "panel", id: "panel-request", role: "tabpanel", "aria-labelledby": "tab-request" },
      block("Request headers", row.requestHeaders, `delivery-${row.id}-request-headers.txt`),
      block("Request body", row.requestPayload, `delivery-${row.id}-request.json`),
    ),
    response: h(
      "div",
      { class: "panel", id: "panel-response", role: "tabpanel", "aria-labelledby": "tab-response", hidden: true },
      row.status === 0 && !row.responseHeaders
        ? h("p", { class: "muted" }, "There was no HTTP response, so there are no headers; the error is below.")
        : block("Response headers", row.responseHeaders, `delivery-${row.id}-response-headers.txt`),
      block(delivered ? "Response body" : "Response body or error", row.responsePayload, `delivery-${row.id}-response.txt`),
    ),
  };
  const tab = (name, label) =>
    h(
      "button",
      {
        type: "button",
        role: "tab",
        id: `tab-${name}`,
        "aria-controls": `panel-${name}`,
        "aria-selected": String(name === "request"),
        onclick: (event) => {
          for (const [key, panel] of Object.entries(panels)) panel.hidden = key !== name;
          for (const button of event.currentTarget.parentElement.children)
            button.setAttribute("aria-selected", String(button === event.currentTarget));
        },
      },
      label,
    );

  fill(
    main,
    back,
    h("div", { class: "toolbar" }, h("h1", {}, `Delivery #${row.id}`), retry),
    h(
      "dl",
      { class: "summary" },
      h("dt", {}, "Status"),
      h("dd", {}, statusBadge(row.status)),
      h("dt", {}, "Webhook"),
      h("dd", {}, row.configName ?? "—"),
      h("dt", {}, "Event"),
      h("dd", {}, triggerLabel(row.trigger)),
      h("dt", {}, "Created"),
      h("dd", {}, formatAbsolute(row.creationTime)),
      h("dt", {}, "Delivered"),
      h("dd", {}, formatAbsolute(row.delivery)),
    ),
    banner,
    h("div", { class: "tabs", role: "tablist" }, tab("request", "Request"), tab("response", "Response")),
    panels.request,
    panels.response,
  );
}
