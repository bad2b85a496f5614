// One delivery: request and response, headers (as `Name: value` lines) and bodies, for every
// outcome (5xx and "no answer" included), the attempts, and which delivery it redelivers.
// Bodies are the receiver's own bytes: they are shown as text only, with copy, "Show all" and
// download for large ones.
import { attemptsOf, redeliveries, rememberRedelivery } from "./deliveries.mjs";
import { copy, toast } from "./layers.mjs";
import { loading, navigate, refreshLater } from "./router.mjs";
import { app, fail, loadTriggers, triggerLabel } from "./state.mjs";
import { fill, formatAbsolute, h, headerLines, isFailed, isPending, plural, skeleton, statusBadge } from "./ui.mjs";

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
function block(title, content, file) {
  const lines = content.split("\n");
  const long = content.length > MAX_CHARS || lines.length > MAX_LINES;
  const pre = h("pre", { class: "code", tabindex: "0", "aria-label": title });
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

/** Request / Response tabs with the keyboard of a tab list: ←/→ (and Home/End) move and select. */
function tabs(panels) {
  const names = Object.keys(panels);
  const select = (name, focus = false) => {
    for (const [key, panel] of Object.entries(panels)) panel.hidden = key !== name;
    for (const button of buttons) {
      const on = button.dataset.tab === name;
      button.setAttribute("aria-selected", String(on));
      button.tabIndex = on ? 0 : -1;
      if (on && focus) button.focus();
    }
  };
  const buttons = names.map((name) =>
    h(
      "button",
      {
        type: "button",
        role: "tab",
        id: `tab-${name}`,
        "aria-controls": `panel-${name}`,
        "aria-selected": String(name === names[0]),
        tabindex: name === names[0] ? "0" : "-1",
        dataset: { tab: name },
        onclick: () => select(name),
      },
      name.charAt(0).toUpperCase() + name.slice(1),
    ),
  );
  const list = h("div", { class: "tabs", role: "tablist", "aria-label": "Request and response" }, buttons);
  list.addEventListener("keydown", (event) => {
    const at = names.indexOf(document.activeElement?.dataset.tab);
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: names.length - 1 }[event.key];
    if (at < 0 || to === undefined) return;
    event.preventDefault();
    select(names.at(to % names.length), true);
  });
  return list;
}

export async function renderDelivery(main, params, { signal, refresh }) {
  const id = Number(params.log);
  if (!refresh) fill(main, skeleton(6));
  const [
    {
      items: [row],
    },
  ] = await loading(
    "Loading the delivery",
    Promise.all([app.client.getWebhooksLogs({ eventId: id, count: 1 }, { signal }), loadTriggers({ signal })]),
  );
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
      row?.configName ? `History of “${row.configName}”` : "History",
    ),
  );
  if (!row) {
    fill(main, back, h("div", { class: "empty" }, h("h1", { tabindex: "-1" }, `Delivery #${id} does not exist (any more)`)));
    return;
  }
  const pending = isPending(row);
  const failed = isFailed(row);
  // A finished failure gets "Retry"; a delivered one can still be sent again ("Redeliver"), less prominently.
  const retry = pending
    ? null
    : h(
        "button",
        {
          type: "button",
          id: "retry-delivery",
          class: failed ? "primary" : null,
          onclick: async () => {
            retry.disabled = true;
            try {
              const fresh = await app.client.retryWebhook(row.id);
              rememberRedelivery(fresh.id, row.id);
              toast(`Redelivery of #${row.id} queued as #${fresh.id}`, {
                action: { label: "View", run: () => navigate({ view: "delivery", webhook: params.webhook, log: fresh.id }) },
              });
            } catch (error) {
              fail(error, `Retrying #${row.id}`);
            } finally {
              retry.disabled = false;
            }
          },
        },
        failed ? "Retry" : "Redeliver",
      );
  const delivered = row.status >= 200 && row.status < 300;
  const banner = pending
    ? h("p", { class: "banner" }, "Not delivered yet: the portal is still trying. This page refreshes by itself.")
    : row.status === 0
      ? h("p", { class: "banner bad" }, `No HTTP answer came: ${row.responsePayload}`)
      : delivered
        ? null
        : h("p", { class: "banner bad" }, `The receiver answered ${row.status}. ${row.responsePayload ?? ""}`);
  const { count, last } = attemptsOf(row);
  const original = redeliveries([row]).get(row.id);

  const panels = {
    request: h(
      "div",
      { class: "panel", id: "panel-request", role: "tabpanel", "aria-labelledby": "tab-request", tabindex: "-1" },
      block("Request headers", headerLines(row.requestHeaders), `delivery-${row.id}-request-headers.txt`),
      block("Request body", pretty(row.requestPayload), `delivery-${row.id}-request.json`),
    ),
    response: h(
      "div",
      { class: "panel", id: "panel-response", role: "tabpanel", "aria-labelledby": "tab-response", tabindex: "-1", hidden: true },
      row.responseHeaders
        ? block("Response headers", headerLines(row.responseHeaders), `delivery-${row.id}-response-headers.txt`)
        : h(
            "p",
            { class: "muted" },
            row.status === 0
              ? "There was no HTTP response, so there are no headers; the error is below."
              : "The portal keeps the response headers of successful deliveries only.",
          ),
      block(delivered ? "Response body" : "Response body or error", pretty(row.responsePayload), `delivery-${row.id}-response.txt`),
    ),
  };

  fill(
    main,
    back,
    h("div", { class: "toolbar" }, h("h1", { tabindex: "-1" }, `Delivery #${row.id}`), retry),
    h(
      "dl",
      { class: "summary" },
      h("dt", {}, "Status"),
      h("dd", {}, statusBadge(row.status, { pending })),
      h("dt", {}, "Webhook"),
      h("dd", {}, row.configName ?? "—"),
      h("dt", {}, "Event"),
      h("dd", {}, triggerLabel(row.trigger)),
      original
        ? [
            h("dt", {}, "Redelivers"),
            h(
              "dd",
              {},
              h(
                "a",
                {
                  href: `?view=delivery&webhook=${params.webhook}&log=${original}`,
                  onclick: (event) => (event.preventDefault(), navigate({ view: "delivery", webhook: params.webhook, log: original })),
                },
                `#${original}`,
              ),
            ),
          ]
        : null,
      h("dt", {}, "Created"),
      h("dd", {}, formatAbsolute(row.creationTime)),
      h("dt", {}, delivered ? "Delivered" : "Last attempt"),
      h("dd", {}, last ? formatAbsolute(last) : "—", count > 1 ? ` (${plural(count, "attempt", "attempts")})` : ""),
    ),
    banner,
    tabs(panels),
    panels.request,
    panels.response,
  );
  if (pending) refreshLater(2000); // until the portal has finished trying
}
