// DOM helpers for the demo page. Everything is built with createElement and textContent:
// no innerHTML anywhere, so a receiver's body or a webhook name can never become markup.

/** h("button", { class: "x", onclick }, "text", child) → an element. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(element.dataset, value);
    else if (value === true) element.setAttribute(name, "");
    else element.setAttribute(name, String(value));
  }
  element.append(
    ...children
      .flat(Infinity)
      .filter((child) => child !== null && child !== undefined && child !== false)
      .map((child) => (child instanceof Node ? child : String(child))),
  );
  return element;
}

/** element.replaceChildren, skipping null/false children (which the DOM would print as text). */
export function fill(element, ...children) {
  element.replaceChildren(...children.flat(Infinity).filter((child) => child !== null && child !== undefined && child !== false));
}

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

/** The last-delivery badge: never delivered is distinct; 2xx green; everything else red. */
export function statusBadge(status) {
  if (!status) return h("span", { class: "badge never", title: "No delivery yet (or no HTTP answer)" }, "Not sent");
  const ok = status >= 200 && status < 300;
  return h("span", { class: `badge ${ok ? "ok" : "failed"}`, title: ok ? "Delivered" : "Failed" }, String(status));
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

/** "3 minutes ago", with the absolute time as its tooltip. */
export function timeAgo(iso) {
  if (!iso) return h("span", { class: "muted" }, "—");
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return h("span", {}, iso);
  const seconds = Math.round((at.getTime() - Date.now()) / 1000);
  const [value, unit] =
    Math.abs(seconds) < 60
      ? [seconds, "second"]
      : Math.abs(seconds) < 3600
        ? [Math.round(seconds / 60), "minute"]
        : Math.abs(seconds) < 86400
          ? [Math.round(seconds / 3600), "hour"]
          : [Math.round(seconds / 86400), "day"];
  return h("time", { datetime: at.toISOString(), title: absolute.format(at) }, relative.format(value, unit));
}

export const formatAbsolute = (iso) => (iso ? absolute.format(new Date(iso)) : "—");

/** The host of a URL, emphasised, with the rest muted. */
export function urlCell(uri) {
  try {
    const url = new URL(uri);
    return h("span", { class: "url", title: uri }, `${url.protocol}//`, h("strong", {}, url.host), url.pathname + url.search);
  } catch {
    return h("span", { class: "url" }, uri);
  }
}

// ---- toasts ----

export function toast(message, { kind = "info", action } = {}) {
  const region = $("#toasts");
  const item = h(
    "div",
    { class: `toast ${kind}`, role: kind === "error" ? "alert" : "status" },
    h("span", {}, message),
    action ? h("button", { type: "button", class: "link", onclick: () => (action.run(), item.remove()) }, action.label) : null,
    h("button", { type: "button", class: "close", "aria-label": "Dismiss", onclick: () => item.remove() }, "×"),
  );
  region.append(item);
  setTimeout(() => item.remove(), kind === "error" ? 9000 : 5000);
}

// ---- dialogs and drawers ----

let opener = null;

/** Opens a modal element (drawer or dialog) with Esc to close and focus kept inside. */
export function openLayer(layer, { onClose } = {}) {
  opener = document.activeElement;
  const backdrop = h("div", { class: "backdrop", onclick: () => close() });
  const onKey = (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
    if (event.key === "Tab") trapFocus(layer, event);
  };
  function close() {
    document.removeEventListener("keydown", onKey, true);
    backdrop.remove();
    layer.remove();
    onClose?.();
    if (opener && document.contains(opener)) opener.focus();
  }
  document.addEventListener("keydown", onKey, true);
  document.body.append(backdrop, layer);
  const first = layer.querySelector("[autofocus]") ?? layer.querySelector("input, select, textarea, button:not(.close)");
  first?.focus();
  return close;
}

function trapFocus(layer, event) {
  const focusable = $$(
    "a[href], button:not([disabled]), input:not([disabled]), select, textarea, [tabindex]:not([tabindex='-1'])",
    layer,
  ).filter((el) => el.offsetParent !== null);
  if (!focusable.length) return;
  const [first, last] = [focusable[0], focusable.at(-1)];
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}

/** A confirmation dialog; resolves true when confirmed. */
export function confirmDialog({ title, body, confirm, danger = false }) {
  return new Promise((resolve) => {
    let answered = false;
    const done = (value) => {
      answered = true;
      resolve(value);
      close();
    };
    const dialog = h(
      "div",
      { class: "dialog", role: "alertdialog", "aria-modal": "true", "aria-labelledby": "dialog-title" },
      h("h2", { id: "dialog-title" }, title),
      h("p", {}, body),
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", class: danger ? "danger" : "primary", onclick: () => done(true) }, confirm),
        h("button", { type: "button", autofocus: true, onclick: () => done(false) }, "Cancel"),
      ),
    );
    const close = openLayer(dialog, { onClose: () => answered || resolve(false) });
  });
}

/** Copies text to the clipboard and says so. */
export async function copy(text, what) {
  try {
    await navigator.clipboard.writeText(text);
    toast(`${what} copied to the clipboard`);
  } catch {
    toast(`Could not copy ${what.toLowerCase()}`, { kind: "error" });
  }
}

/** A skeleton block while something loads. */
export const skeleton = (lines = 3) =>
  h(
    "div",
    { class: "skeleton", "aria-busy": "true", "aria-label": "Loading" },
    Array.from({ length: lines }, () => h("div", { class: "bar" })),
  );
