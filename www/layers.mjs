// Modal layers (drawers, dialogs) that stack: each has its own dimming backdrop, makes
// everything beneath it inert, closes alone on Esc, returns focus to what opened it, and asks
// before throwing away typed input. Toasts live here too, because where a message shows
// depends on the stack: with a layer open it is written into that layer, never over it.
import { $, $$, h } from "./ui.mjs";

const stack = [];

/**
 * Opens `layer` (a .drawer or .dialog element) above everything. Returns close(): it asks first
 * when `isDirty()` says typed input would be lost; close({ force: true }) does not ask.
 */
export function openLayer(layer, { onClose, isDirty = () => false } = {}) {
  const entry = { layer, opener: document.activeElement, isDirty, inerted: [] };
  const depth = stack.length;
  const backdrop = h("div", { class: "backdrop", onclick: () => close() });
  backdrop.style.zIndex = String(20 + depth * 2);
  layer.style.zIndex = String(21 + depth * 2);
  entry.status = h("div", { class: "layer-status", role: "status", "aria-live": "polite" });
  // Messages for this layer go under its heading (a drawer's header, or a dialog's title).
  (layer.querySelector(":scope > header, :scope > h2") ?? layer.firstChild)?.after(entry.status);
  // Everything but the new layer stops taking focus and clicks (the toast region stays live).
  for (const element of [...document.body.children]) {
    if (element.inert || element.id === "toasts") continue;
    element.inert = true;
    entry.inerted.push(element);
  }
  hideToast();
  let closing = false;
  async function close({ force = false } = {}) {
    if (closing || !stack.includes(entry)) return true;
    if (!force && isDirty()) {
      closing = true;
      const discard = await confirmDialog({
        title: "Discard your changes?",
        body: "What you typed here has not been saved.",
        confirm: "Discard changes",
        cancel: "Keep editing",
        danger: true,
      });
      closing = false;
      if (!discard) return false;
    }
    stack.splice(stack.indexOf(entry), 1);
    backdrop.remove();
    layer.remove();
    for (const element of entry.inerted) element.inert = false;
    onClose?.();
    if (entry.opener && document.contains(entry.opener)) entry.opener.focus();
    return true;
  }
  entry.close = close;
  stack.push(entry);
  document.body.append(backdrop, layer);
  const first = layer.querySelector("[autofocus]") ?? layer.querySelector("input, select, textarea, button:not(.close)");
  first?.focus();
  return close;
}

/** The layer on top, if any. */
const top = () => stack.at(-1);

document.addEventListener("keydown", (event) => {
  const entry = top();
  if (!entry) return;
  if (event.key === "Escape") {
    event.preventDefault();
    event.stopPropagation();
    entry.close();
  } else if (event.key === "Tab") trapFocus(entry.layer, event);
});

function trapFocus(layer, event) {
  const focusable = $$(
    "a[href], button:not([disabled]), input:not([disabled]), select, textarea, [tabindex]:not([tabindex='-1'])",
    layer,
  ).filter((element) => element.offsetParent !== null);
  if (!focusable.length) return;
  const [first, last] = [focusable[0], focusable.at(-1)];
  if (event.shiftKey && (document.activeElement === first || !layer.contains(document.activeElement))) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (document.activeElement === last || !layer.contains(document.activeElement))) {
    event.preventDefault();
    first.focus();
  }
}

/** A confirmation dialog on top of whatever is open; resolves true when confirmed. Focus starts on the safe choice. */
export function confirmDialog({ title, body, confirm, cancel = "Cancel", danger = false }) {
  return new Promise((resolve) => {
    let answer = false;
    const done = (value) => {
      answer = value;
      close({ force: true });
    };
    const dialog = h(
      "div",
      { class: "dialog", role: "alertdialog", "aria-modal": "true", "aria-labelledby": "dialog-title", "aria-describedby": "dialog-body" },
      h("h2", { id: "dialog-title" }, title),
      h("p", { id: "dialog-body" }, body),
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", class: danger ? "danger" : "primary", onclick: () => done(true) }, confirm),
        h("button", { type: "button", autofocus: true, onclick: () => done(false) }, cancel),
      ),
    );
    const close = openLayer(dialog, { onClose: () => resolve(answer) });
  });
}

// ---- toasts: one at a time; the newest replaces the one showing ----

let hideTimer = null;

/** Says something briefly. With a layer open the message goes into that layer's status line. */
export function toast(message, { kind = "info", action } = {}) {
  const entry = top();
  const parts = [
    h("span", { class: "toast-text" }, message),
    action
      ? h(
          "button",
          {
            type: "button",
            class: "link",
            onclick: () => {
              hideToast();
              action.run();
            },
          },
          action.label,
        )
      : null,
  ];
  if (entry) {
    entry.status.className = `layer-status ${kind}`;
    entry.status.replaceChildren(...parts.filter(Boolean));
    return;
  }
  const region = $("#toasts");
  const item = h(
    "div",
    { class: `toast ${kind}`, role: kind === "error" ? "alert" : "status" },
    parts,
    h("button", { type: "button", class: "close", "aria-label": "Dismiss", onclick: () => hideToast() }, "×"),
  );
  region.replaceChildren(item);
  clearTimeout(hideTimer);
  // It leaves after a while (errors stay longer), but not while pointed at or focused.
  const later = () => {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(() => item.matches(":hover, :focus-within") || item.remove(), kind === "error" ? 12000 : 6000);
  };
  item.addEventListener("mouseleave", later);
  item.addEventListener("focusout", later);
  later();
}

export function hideToast() {
  clearTimeout(hideTimer);
  $("#toasts")?.replaceChildren();
}

/** Copies text to the clipboard and says so; resolves true when it worked. */
export async function copy(text, what) {
  try {
    await navigator.clipboard.writeText(text);
    toast(`${what} copied to the clipboard`);
    return true;
  } catch {
    toast(`Could not copy ${what.toLowerCase()}: select it and copy by hand`, { kind: "error" });
    return false;
  }
}
