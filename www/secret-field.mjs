// The signing secret in the editor: generated from a CSPRNG on create, with Generate, Copy and
// Show; on edit hidden behind "Reset secret", since the portal never returns it. It remembers
// whether the user has seen the value, so a secret nobody looked at is shown once after saving.
import { copy, openLayer } from "./layers.mjs";
import { field, h, setError } from "./ui.mjs";

const SECRET_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789-_!#";

/** 24 characters from a CSPRNG, within the portal's password policy (8–30 printable, no spaces). */
export function generateSecret() {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return Array.from(bytes, (byte) => SECRET_CHARS[byte % SECRET_CHARS.length]).join("");
}

/** { element, input, entry (for setError), resetting(): a new secret will be saved, seen(): the user saw or typed it } */
export function secretField({ editing }) {
  let seen = false;
  let resetting = !editing;
  const input = h("input", {
    type: "password",
    autocomplete: "new-password",
    spellcheck: "false",
    value: editing ? "" : generateSecret(),
    maxlength: 30,
    oninput: () => (seen = true),
  });
  const entry = field(
    "hook-secret",
    "Secret key",
    input,
    "Signs every delivery: 8 to 30 characters, no spaces. The portal never shows it again.",
  );
  const reveal = h(
    "button",
    {
      type: "button",
      "aria-pressed": "false",
      onclick: () => {
        input.type = input.type === "password" ? "text" : "password";
        reveal.setAttribute("aria-pressed", String(input.type === "text"));
        seen ||= input.type === "text";
      },
    },
    "Show",
  );
  const tools = h(
    "div",
    { class: "inline-tools" },
    h("button", { type: "button", onclick: () => ((input.value = generateSecret()), (seen = false), setError(entry)) }, "Generate"),
    h("button", { type: "button", onclick: async () => (seen ||= await copy(input.value, "Secret key")) }, "Copy"),
    reveal,
  );
  // The input and its tools share a line: the drawer stays short.
  const row = h("div", { class: "with-tools" });
  input.replaceWith(row);
  row.append(input, tools);

  const element = h("div", {}, editing ? null : entry.element);
  if (editing) {
    const notice = h(
      "div",
      { class: "notice" },
      h("p", {}, "The secret key cannot be shown again. Resetting it means every receiver of this webhook must be given the new one."),
      h(
        "button",
        {
          type: "button",
          id: "reset-secret",
          onclick: () => {
            resetting = true;
            input.value = generateSecret();
            notice.replaceWith(entry.element);
            input.focus();
          },
        },
        "Reset secret",
      ),
    );
    element.append(notice);
  }
  return { element, input, entry, resetting: () => resetting, seen: () => seen };
}

/** After saving a secret the user never looked at: show it once, with Copy, since the portal never will. */
export function showSecret(webhook, value, what) {
  const input = h("input", {
    id: "new-secret",
    readonly: true,
    value,
    spellcheck: "false",
    class: "mono",
    "aria-describedby": "new-secret-help",
  });
  const dialog = h(
    "div",
    { class: "dialog", role: "dialog", "aria-modal": "true", "aria-labelledby": "secret-title" },
    h("h2", { id: "secret-title" }, `Copy the secret key of “${webhook}”`),
    h(
      "p",
      { id: "new-secret-help" },
      `${what} signs every delivery; your receiver needs it to check signatures. The portal never shows it again.`,
    ),
    h("label", { for: "new-secret" }, "Secret key"),
    input,
    h(
      "div",
      { class: "actions" },
      h("button", { type: "button", class: "primary", onclick: () => copy(value, "Secret key") }, "Copy"),
      h("button", { type: "button", autofocus: true, onclick: () => close({ force: true }) }, "Done"),
    ),
  );
  const close = openLayer(dialog);
}
