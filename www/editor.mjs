// The create/edit drawer: a compact form with sticky actions, inline messages that clear as
// soon as the value is fixed, an error summary that takes focus, a generated secret (shown
// after creation if it was never seen), SSL decided from the URL typed (http:// turns it off,
// with a note; turning it off by hand asks first), and typed input never dropped without asking.
import { Trigger } from "/pkg/browser.mjs";
import { eventPicker } from "./event-picker.mjs";
import { confirmDialog, openLayer, toast } from "./layers.mjs";
import { render } from "./router.mjs";
import { secretField, showSecret } from "./secret-field.mjs";
import { app, describe, fail, fieldErrors, loadTriggers } from "./state.mjs";
import { field, h, setError } from "./ui.mjs";

/** Opens the drawer; `names` are the other webhooks' names (a second “Uploads” would be indistinguishable). */
export async function openEditor(existing = null, { demo = false, names = [] } = {}) {
  let triggers;
  try {
    triggers = await loadTriggers();
  } catch (error) {
    return fail(error, "Loading the event list");
  }
  const editing = Boolean(existing);
  const taken = new Set(names.filter((other) => other !== existing?.name).map((other) => other.trim().toLowerCase()));

  const name = field(
    "hook-name",
    "Name",
    h("input", { maxlength: 50, autocomplete: "off", value: existing?.name ?? (demo ? "Demo inbox" : ""), autofocus: true }),
    "Up to 50 characters, different from your other webhooks.",
  );
  const uri = field(
    "hook-uri",
    "Payload URL",
    h("input", {
      type: "url",
      inputmode: "url",
      placeholder: "https://example.com/hooks/docspace",
      value: existing?.uri ?? (demo ? `${app.baseUrl}/stand-in/inbox/demo` : ""),
    }),
    "Where each delivery is POSTed.",
  );

  const secret = secretField({ editing });

  // SSL: a change of the URL's scheme moves it (http:// turns it off, with a note); turning it off by hand asks first.
  const ssl = h("input", { type: "checkbox", id: "hook-ssl", checked: existing ? existing.ssl : !demo, "aria-describedby": "ssl-note" });
  const sslNote = h(
    "p",
    { class: "help note", id: "ssl-note", hidden: true },
    "Off because this URL uses http://: nothing is encrypted on the way. Fine for a development receiver.",
  );
  const scheme = () => /^\s*(https?):/i.exec(uri.input.value)?.[1].toLowerCase();
  let lastScheme = scheme();
  let autoOff = !editing && lastScheme === "http" && !ssl.checked; // the demo inbox starts like this
  sslNote.hidden = !autoOff;
  // Only a change of scheme moves the switch, so an existing choice (https without verification) stays.
  const followUrl = () => {
    const now = scheme();
    if (now === lastScheme) return;
    lastScheme = now;
    if (now === "http" && ssl.checked) [ssl.checked, autoOff] = [false, true];
    else if (now === "https" && autoOff) [ssl.checked, autoOff] = [true, false];
    sslNote.hidden = !autoOff;
  };
  ssl.addEventListener("change", async () => {
    autoOff = false;
    sslNote.hidden = true;
    if (!ssl.checked) {
      const sure = await confirmDialog({
        title: "Turn off SSL verification?",
        body: "Deliveries will go to receivers whose certificates are not checked, and plain http:// URLs are allowed. Only do this for development receivers.",
        confirm: "Turn it off",
        cancel: "Keep it on",
      });
      if (!sure) ssl.checked = true;
    }
    recheck(uri);
  });

  let ready = false;
  const events = eventPicker(triggers, existing?.triggers ?? (demo ? 0 : Trigger.FileUploaded), {
    onChange: () => ready && summary.refresh(),
  });

  const target = field(
    "hook-target",
    "Target ID (optional)",
    h("input", { value: existing?.targetId ?? "", maxlength: 255, autocomplete: "off" }),
    "Narrow the webhook to one file, folder, room, user or group by its id. Leave empty for the whole portal.",
  );

  const summary = errorSummary();
  const formError = h("p", { class: "banner bad", id: "form-error", role: "alert", hidden: true });
  const submit = h("button", { type: "submit", class: "primary" }, editing ? "Save" : "Create");
  const form = h(
    "form",
    {
      class: "drawer",
      role: "dialog",
      "aria-modal": "true",
      "aria-labelledby": "editor-title",
      novalidate: true,
      onsubmit: (event) => (event.preventDefault(), save()),
    },
    h(
      "header",
      { class: "drawer-head" },
      h("h2", { id: "editor-title" }, editing ? `Settings of “${existing.name}”` : "Create webhook"),
      h("button", { type: "button", class: "close", "aria-label": "Close", onclick: () => close() }, "×"),
    ),
    summary.element,
    formError,
    name.element,
    uri.element,
    h(
      "div",
      { class: "field" },
      h("label", { class: "check" }, ssl, " Verify the receiver's SSL certificate (requires https://)"),
      sslNote,
    ),
    secret.element,
    events.element,
    target.element,
    h("div", { class: "actions sticky" }, submit, h("button", { type: "button", onclick: () => close() }, "Cancel")),
  );

  // ---- validation: on submit, and again on every change of a field that shows an error ----

  const rules = {
    name: () => {
      const value = name.input.value.trim();
      if (!value) return "Enter a name.";
      if (value.length > 50) return "Use at most 50 characters.";
      if (taken.has(value.toLowerCase())) return `Another webhook is already called “${value}”. Choose a name you can tell apart.`;
      return null;
    },
    uri: () => {
      const value = uri.input.value.trim();
      let url = null;
      try {
        url = new URL(value);
      } catch {
        url = null;
      }
      if (!value) return "Enter the receiver's URL.";
      if (!url || !/^https?:$/.test(url.protocol)) return "Enter an http:// or https:// URL.";
      if (ssl.checked && url.protocol !== "https:") return "With SSL verification on, the URL must start with https://.";
      return null;
    },
    secret: () => {
      if (!secret.resetting()) return null;
      const value = secret.input.value;
      if (!value) return "Enter or generate a secret key.";
      if (!/^[\x21-\x7e]{8,30}$/.test(value)) return "Use 8 to 30 characters without spaces (latin letters, digits, symbols).";
      return null;
    },
    target: () => (target.input.value.length > 255 ? "Use at most 255 characters." : null),
  };
  const entries = { name, uri, secret: secret.entry, target };
  const recheck = (entry) => {
    const key = Object.keys(entries).find((k) => entries[k] === entry);
    if (entry.error.textContent) setError(entry, rules[key]());
    summary.refresh();
  };
  uri.input.addEventListener("input", followUrl); // first, so the URL's message sees the new SSL state
  for (const entry of Object.values(entries)) entry.input.addEventListener("input", () => recheck(entry));
  ready = true;

  function errorSummary() {
    const list = h("ul");
    const element = h(
      "div",
      { class: "error-summary", id: "form-errors", tabindex: "-1", role: "alert", "aria-labelledby": "form-errors-title", hidden: true },
      h("h3", { id: "form-errors-title" }, "Fix these to continue"),
      list,
    );
    const problems = () => [
      ...Object.values(entries)
        .filter((entry) => entry.error.textContent && entry.error.isConnected)
        .map((entry) => [entry.error.textContent, entry.input]),
      ...(events.error.textContent ? [[events.error.textContent, events.focusTarget()]] : []),
    ];
    return {
      element,
      /** Lists the current messages; hides itself once they are all fixed. */
      refresh() {
        const found = problems();
        list.replaceChildren(
          ...found.map(([text, input]) =>
            h("li", {}, h("a", { href: `#${input.id}`, onclick: (event) => (event.preventDefault(), input.focus()) }, text)),
          ),
        );
        element.hidden = found.length === 0;
      },
      show() {
        this.refresh();
        element.hidden = false;
        element.scrollIntoView({ block: "nearest" });
        element.focus();
      },
    };
  }

  function validate() {
    formError.hidden = true;
    for (const [key, entry] of Object.entries(entries)) setError(entry, rules[key]());
    const chosen = events.value();
    events.error.textContent = chosen !== "All" && chosen.length === 0 ? "Select at least one event, or choose “Send everything”." : "";
    summary.refresh();
    return summary.element.hidden;
  }

  /** A server or client error: field errors first (by field name), then the exception texts that have no field. */
  function showServerError(error) {
    const byField = { name, uri, secretKey: secret.entry, targetId: target };
    let placed = false;
    for (const [key, messages] of Object.entries(fieldErrors(error))) {
      const text = messages.join(" ");
      if (key === "triggers") events.error.textContent = text;
      else if (byField[key]) setError(byField[key], text);
      else continue;
      placed = true;
    }
    if (!placed) {
      const text = error?.message ?? "";
      if (/URL|HTTPS|blacklist|DNS|HEAD/i.test(text)) setError(uri, text);
      else if (/Password|secret/i.test(text)) setError(secret.entry, text);
      else if (/Trigger/i.test(text)) events.error.textContent = text;
      else if (/same name/i.test(text)) setError(name, text);
      else {
        const { text: message, silent } = describe(error, editing ? "Saving" : "Creating the webhook");
        // A rejected token: the connect form opens beneath; what was typed here stays until the user closes the drawer.
        formError.textContent = silent
          ? "The portal no longer accepts this token, so nothing was saved. Reconnect, then save again."
          : message;
        formError.hidden = false;
        formError.scrollIntoView({ block: "nearest" });
        return;
      }
    }
    summary.show();
  }

  async function save() {
    if (!validate()) return summary.show();
    const values = {
      name: name.input.value.trim(),
      uri: uri.input.value.trim(),
      ssl: ssl.checked,
      triggers: events.value(),
      targetId: target.input.value.trim() || null,
    };
    submit.disabled = true;
    form.setAttribute("aria-busy", "true");
    try {
      if (editing) {
        const changes = Object.fromEntries(
          Object.entries(values).filter(([key, value]) =>
            key === "triggers" ? Trigger.mask(value) !== existing.triggers : (existing[key] ?? null) !== value,
          ),
        );
        if (secret.resetting()) changes.secretKey = secret.input.value;
        if (Object.keys(changes).length) await app.client.patchWebhook(existing.id, changes);
        await close({ force: true });
        toast(`${values.name} saved${secret.resetting() ? ": give your receivers the new secret key" : ""}`);
        if (secret.resetting() && !secret.seen()) showSecret(values.name, secret.input.value, "Its new secret key");
      } else {
        await app.client.createWebhook({ ...values, targetId: values.targetId ?? undefined, secretKey: secret.input.value, enabled: true });
        await close({ force: true });
        toast(`${values.name} created`);
        if (!secret.seen()) showSecret(values.name, secret.input.value, "Its secret key");
      }
      render({ refresh: true });
    } catch (error) {
      showServerError(error);
    } finally {
      submit.disabled = false;
      form.removeAttribute("aria-busy");
    }
  }

  const snapshot = () =>
    JSON.stringify([name.input.value, uri.input.value, secret.input.value, ssl.checked, events.snapshot(), target.input.value]);
  const initial = snapshot();
  const close = openLayer(form, { isDirty: () => snapshot() !== initial });
}
