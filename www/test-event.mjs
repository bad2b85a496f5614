// The stand-in's "Send test event": it fans an event out to the subscribed webhooks, which
// really receive signed deliveries. The page on screen refreshes through the router as they
// arrive, so leaving it cancels the refreshes.
import { Trigger } from "/pkg/browser.mjs";
import { refreshLater } from "./router.mjs";
import { openLayer, toast } from "./layers.mjs";
import { app, setConnection, standInFetch, triggerLabel } from "./state.mjs";
import { h } from "./ui.mjs";

export function openTestEvent() {
  const triggerSelect = h(
    "select",
    { id: "event-trigger", name: "trigger" },
    Object.keys(Trigger)
      .filter((name) => name !== "All")
      .map((name) => h("option", { value: name, selected: name === "FileUploaded" }, triggerLabel(Trigger[name]))),
  );
  const data = h(
    "textarea",
    { id: "event-data", rows: 6, spellcheck: "false" },
    JSON.stringify({ id: 42, title: "report.docx", fileEntryType: 2 }, null, 2),
  );
  const target = h("input", { id: "event-target", placeholder: "optional: an entity id" });
  const error = h("p", { class: "field-error", id: "event-error", role: "alert" });
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
        let response;
        try {
          response = await standInFetch("events", {
            method: "POST",
            body: { trigger: triggerSelect.value, data: parsed, targetId: target.value || undefined },
          });
        } catch {
          error.textContent = "The portal cannot be reached. Is it running?";
          return;
        }
        const body = await response.json().catch(() => ({}));
        if (response.status === 403) {
          // Only the owner and admins may: say so once and stop offering it.
          app.eventsRefused = true;
          setConnection("connected");
          error.textContent = "Only the portal's owner and admins can send test events.";
          return;
        }
        if (!response.ok) {
          error.textContent = body?.error?.message ?? `The portal refused the event (HTTP ${response.status}).`;
          return;
        }
        const ids = body.response ?? [];
        await close({ force: true });
        toast(
          ids.length
            ? `Event sent: ${ids.length} deliver${ids.length === 1 ? "y" : "ies"} queued`
            : "Event sent, but no enabled webhook is subscribed to it",
        );
        // Deliveries arrive within moments: refresh what is on screen a few times.
        refreshLater(300, 1200, 3000);
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
  const typed = () => JSON.stringify([triggerSelect.value, data.value, target.value]);
  const initial = typed();
  const close = openLayer(form, { isDirty: () => typed() !== initial });
}
