// The create/edit drawer: inline validation with messages, a generated secret, the SSL
// confirmation, and the events fetched from the portal (grouped, searchable, with the ones the
// caller's role may not use greyed out and explained). "Selected events" with nothing ticked is
// refused: the server would read it as every event.
import { Trigger } from "/pkg/browser.mjs";
import { render } from "./router.mjs";
import { app, explain, fail, fieldErrors, loadTriggers, triggerLabel } from "./state.mjs";
import { confirmDialog, copy, h, openLayer, toast } from "./ui.mjs";

const FAMILIES = { file: "Files", folder: "Folders", room: "Rooms", user: "Users", group: "Groups", form: "Forms", agent: "Agents" };
const SECRET_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789-_!#";

/** 24 characters from a CSPRNG, within the portal's password policy (8–30 printable, no spaces). */
export function generateSecret() {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return Array.from(bytes, (byte) => SECRET_CHARS[byte % SECRET_CHARS.length]).join("");
}

function field(id, label, input, help) {
  const error = h("p", { class: "field-error", id: `${id}-error`, role: "alert" });
  input.id = id;
  input.setAttribute("aria-describedby", `${id}-error${help ? ` ${id}-help` : ""}`);
  return {
    element: h(
      "div",
      { class: "field" },
      h("label", { for: id }, label),
      input,
      help ? h("p", { class: "help", id: `${id}-help` }, help) : null,
      error,
    ),
    error,
    input,
  };
}

function setError(entry, message) {
  entry.error.textContent = message ?? "";
  entry.input.setAttribute("aria-invalid", message ? "true" : "false");
}

export async function openEditor(existing = null, { demo = false } = {}) {
  let triggers;
  try {
    triggers = await loadTriggers();
  } catch (error) {
    return fail(error, "Loading the event list");
  }
  const editing = Boolean(existing);
  const name = field(
    "hook-name",
    "Name",
    h("input", { maxlength: 50, autocomplete: "off", value: existing?.name ?? (demo ? "Demo inbox" : ""), autofocus: true }),
    "Up to 50 characters.",
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

  // The secret: generated on create; on edit hidden behind "Reset secret", since the portal never returns it.
  const secretInput = h("input", {
    type: "password",
    autocomplete: "new-password",
    spellcheck: "false",
    value: editing ? "" : generateSecret(),
    maxlength: 30,
  });
  const secret = field(
    "hook-secret",
    "Secret key",
    secretInput,
    "Signs every delivery (8 to 30 characters, no spaces). Copy it now: it cannot be shown again.",
  );
  const secretTools = h(
    "div",
    { class: "inline-tools" },
    h("button", { type: "button", onclick: () => ((secretInput.value = generateSecret()), setError(secret)) }, "Generate"),
    h("button", { type: "button", onclick: () => copy(secretInput.value, "Secret key") }, "Copy"),
    h(
      "button",
      {
        type: "button",
        "aria-pressed": "false",
        onclick: (event) => (
          (secretInput.type = secretInput.type === "password" ? "text" : "password"),
          event.currentTarget.setAttribute("aria-pressed", String(secretInput.type === "text"))
        ),
      },
      "Show",
    ),
  );
  secret.element.insertBefore(secretTools, secret.error);
  let resetting = !editing;
  const secretBlock = h("div", {}, editing ? null : secret.element);
  if (editing) {
    secretBlock.append(
      h(
        "div",
        { class: "notice" },
        h("p", {}, "The secret key cannot be shown again. Resetting it means every receiver of this webhook must be given the new one."),
        h(
          "button",
          {
            type: "button",
            id: "reset-secret",
            onclick: (event) => (
              (resetting = true),
              (secretInput.value = generateSecret()),
              event.currentTarget.parentElement.replaceWith(secret.element),
              secretInput.focus()
            ),
          },
          "Reset secret",
        ),
      ),
    );
  }

  // SSL: on by default; turning it off asks first.
  const ssl = h("input", { type: "checkbox", id: "hook-ssl", checked: existing ? existing.ssl : !demo });
  ssl.addEventListener("change", async () => {
    if (!ssl.checked) {
      const sure = await confirmDialog({
        title: "Turn off SSL verification?",
        body: "Deliveries will be sent to receivers whose certificates are not verified, and plain http:// URLs are allowed. Only do this for development receivers.",
        confirm: "Turn it off",
      });
      if (!sure) ssl.checked = true;
    }
  });

  // Events.
  const mask = existing?.triggers ?? (demo ? 0 : Trigger.FileUploaded);
  const all = h("input", { type: "radio", name: "events-mode", id: "events-all", value: "all", checked: mask === 0 });
  const some = h("input", { type: "radio", name: "events-mode", id: "events-some", value: "some", checked: mask !== 0 });
  const search = h("input", { type: "search", id: "events-search", placeholder: "Search events", "aria-label": "Search events" });
  const eventsError = h("p", { class: "field-error", id: "events-error", role: "alert" });
  const groups = {};
  for (const info of triggers.filter((t) => t.id !== 0)) (groups[info.name.split(".")[0]] ??= []).push(info);
  const boxes = [];
  const groupElements = Object.entries(groups).map(([family, infos]) => {
    const items = infos.map((info) => {
      const box = h("input", {
        type: "checkbox",
        value: info.key ?? info.name,
        "data-bit": info.id,
        checked: mask !== 0 && Trigger.names(mask).includes(info.key),
        disabled: info.available === false,
      });
      boxes.push(box);
      return h(
        "label",
        {
          class: `event${info.available === false ? " unavailable" : ""}`,
          title: info.available === false ? "Your role may not subscribe to this event" : info.name,
        },
        box,
        " ",
        triggerLabel(info.id),
        info.available === false ? h("small", { class: "muted" }, " (not for your role)") : null,
      );
    });
    const toggleAll = h(
      "button",
      {
        type: "button",
        class: "link",
        onclick: () => {
          const enabled = items.map((item) => item.querySelector("input")).filter((box) => !box.disabled);
          const target = !enabled.every((box) => box.checked);
          enabled.forEach((box) => (box.checked = target));
        },
      },
      "Select all",
    );
    return h("fieldset", { class: "event-group", dataset: { family } }, h("legend", {}, FAMILIES[family] ?? family, " ", toggleAll), items);
  });
  const picker = h("div", { class: "event-picker", id: "event-picker", hidden: mask === 0 }, search, groupElements);
  const syncMode = () => (picker.hidden = all.checked);
  all.addEventListener("change", syncMode);
  some.addEventListener("change", syncMode);
  search.addEventListener("input", () => {
    const wanted = search.value.trim().toLowerCase();
    for (const group of picker.querySelectorAll(".event-group")) {
      let visible = 0;
      for (const label of group.querySelectorAll(".event")) {
        const show = !wanted || label.textContent.toLowerCase().includes(wanted) || label.title.toLowerCase().includes(wanted);
        label.hidden = !show;
        visible += show;
      }
      group.hidden = visible === 0;
    }
  });

  const target = field(
    "hook-target",
    "Target ID (optional)",
    h("input", { value: existing?.targetId ?? "", maxlength: 255, autocomplete: "off" }),
    "Narrow the webhook to one file, folder, room, user or group by its id. Leave empty for the whole portal.",
  );

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
      {},
      h("h2", { id: "editor-title" }, editing ? `Settings of “${existing.name}”` : "Create webhook"),
      h("button", { type: "button", class: "close", "aria-label": "Close", onclick: () => close() }, "×"),
    ),
    name.element,
    uri.element,
    secretBlock,
    h("div", { class: "field" }, h("label", { class: "check" }, ssl, " Verify the receiver's SSL certificate (requires https://)")),
    h(
      "fieldset",
      { class: "field events" },
      h("legend", {}, "Events"),
      h("label", { class: "check" }, all, " Send everything"),
      h("label", { class: "check" }, some, " Only selected events"),
      picker,
      eventsError,
    ),
    target.element,
    h("div", { class: "actions" }, submit, h("button", { type: "button", onclick: () => close() }, "Cancel")),
  );

  function validate() {
    let first = null;
    const mark = (entry, message) => {
      setError(entry, message);
      if (message) first ??= entry.input;
    };
    const nameValue = name.input.value.trim();
    mark(name, !nameValue ? "Enter a name." : nameValue.length > 50 ? "Use at most 50 characters." : null);
    let url = null;
    try {
      url = new URL(uri.input.value.trim());
    } catch {
      url = null;
    }
    mark(
      uri,
      !uri.input.value.trim()
        ? "Enter the receiver's URL."
        : !url || !/^https?:$/.test(url.protocol)
          ? "Enter an http:// or https:// URL."
          : ssl.checked && url.protocol !== "https:"
            ? "With SSL verification on, the URL must start with https://."
            : null,
    );
    if (resetting) {
      const value = secretInput.value;
      mark(
        secret,
        !value
          ? "Enter or generate a secret key."
          : !/^[\x21-\x7e]{8,30}$/.test(value)
            ? "Use 8 to 30 characters without spaces (latin letters, digits, symbols)."
            : null,
      );
    }
    const chosen = boxes.filter((box) => box.checked && !box.disabled);
    eventsError.textContent = some.checked && chosen.length === 0 ? "Select at least one event, or choose “Send everything”." : "";
    if (eventsError.textContent) first ??= boxes.find((box) => !box.disabled) ?? some;
    mark(target, target.input.value.length > 255 ? "Use at most 255 characters." : null);
    first?.focus();
    return first === null;
  }

  function showServerError(error) {
    const message = explain(error, editing ? "Saving" : "Creating");
    // Field errors first: the client's invalid_input and the server's validation 400 name the field.
    const fields = { name, uri, secretKey: secret, targetId: target };
    let shown = null;
    for (const [field, messages] of Object.entries(fieldErrors(error))) {
      const text = messages.join(" ");
      if (field === "triggers") eventsError.textContent = text;
      else if (fields[field]) setError(fields[field], text);
      else continue;
      shown ??= field === "triggers" ? (boxes.find((box) => !box.disabled) ?? some) : fields[field].input;
    }
    if (shown) return shown.focus();
    // The server's exceptions carry no field: only their text says which one it is about.
    const text = error?.message ?? "";
    if (/URL|HTTPS|blacklist|DNS|HEAD/i.test(text)) setError(uri, text);
    else if (/Password|secret/i.test(text)) setError(secret, text);
    else if (/Trigger/i.test(text)) eventsError.textContent = text;
    else if (/same name/i.test(text)) setError(name, text);
    else return toast(message, { kind: "error" });
  }

  async function save() {
    if (!validate()) return;
    const triggersValue = all.checked ? "All" : Trigger.mask(boxes.filter((box) => box.checked && !box.disabled).map((box) => box.value));
    const values = {
      name: name.input.value.trim(),
      uri: uri.input.value.trim(),
      ssl: ssl.checked,
      triggers: triggersValue,
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
        if (resetting) changes.secretKey = secretInput.value;
        if (Object.keys(changes).length) await app.client.patchWebhook(existing.id, changes);
        toast(`${values.name} saved${resetting ? ": give your receivers the new secret" : ""}`);
      } else {
        await app.client.createWebhook({ ...values, targetId: values.targetId ?? undefined, secretKey: secretInput.value, enabled: true });
        toast(`${values.name} created. Its secret key was shown once: keep it.`);
      }
      close();
      render({ refresh: true });
    } catch (error) {
      showServerError(error);
    } finally {
      submit.disabled = false;
      form.removeAttribute("aria-busy");
    }
  }

  const close = openLayer(form);
}
