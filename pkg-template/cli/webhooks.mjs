// The webhook commands: list, triggers, create, update, enable, disable, remove.
import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline/promises";
import { DocSpaceError, Trigger } from "../index.mjs";
import { JSON_OPTION, UsageError, parseId, required } from "./args.mjs";
import { dotted } from "./deliveries.mjs";
import { statusWords } from "./output.mjs";

/** Dotted event names of a mask; `["*"]` for every event (as deliveries spell it). */
function eventNames(mask) {
  if (!mask) return ["*"];
  return Trigger.names(mask).map(dotted);
}

/** `--events FileUploaded,room.created` (or All / *): the names, checked here so a typo is a usage error. */
function parseEvents(text, flag = "--events") {
  const names = String(text)
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  if (names.length === 0) throw new UsageError(`${flag} needs at least one event name, e.g. FileUploaded,room.created or All`);
  try {
    Trigger.mask(names);
  } catch (error) {
    if (error instanceof DocSpaceError) throw new UsageError(`${flag}: ${error.message.replace(/^triggers(\[\d+\])?: /, "")}`);
    throw error;
  }
  return names;
}

/** The stable `--json` shape of a webhook: every key present (null when the portal gave none), in this order. */
function webhookJson(webhook, lastStatus) {
  return {
    id: webhook.id,
    name: webhook.name,
    uri: webhook.uri,
    enabled: webhook.enabled,
    ssl: webhook.ssl,
    events: eventNames(webhook.triggers),
    triggers: webhook.triggers,
    targetId: webhook.targetId ?? null,
    lastStatus: lastStatus ?? null,
    createdOn: webhook.createdOn ?? null,
    modifiedOn: webhook.modifiedOn ?? null,
    lastSuccessOn: webhook.lastSuccessOn ?? null,
    lastFailureOn: webhook.lastFailureOn ?? null,
    lastFailureContent: webhook.lastFailureContent ?? null,
  };
}

/** At most `max` names, then "+N more": the table stays readable, JSON has them all. */
function shortList(names, max = 3) {
  if (names.length === 1 && names[0] === "*") return "all events";
  return names.length <= max ? names.join(", ") : `${names.slice(0, max).join(", ")} +${names.length - max} more`;
}

function printWebhookTable(out, items) {
  const { style } = out;
  out.table(
    [
      { title: "ID", value: (item) => item.configs.id, align: "right" },
      { title: "NAME", value: (item) => item.configs.name },
      { title: "RECEIVER", value: (item) => item.configs.uri },
      { title: "ENABLED", value: (item) => (item.configs.enabled ? style.green("yes") : style.yellow("no")) },
      { title: "EVENTS", value: (item) => shortList(eventNames(item.configs.triggers)) },
      { title: "LAST STATUS", value: (item) => lastStatus(item, style) },
    ],
    items,
  );
}

/**
 * The latest outcome in words. The portal's `status` is that of the latest *successful*
 * delivery (failures have no delivery time), so a newer `lastFailureOn` wins over it.
 */
function lastStatus({ configs, status }, style) {
  const failedAt = Date.parse(configs.lastFailureOn ?? "");
  const succeededAt = Date.parse(configs.lastSuccessOn ?? "");
  if (failedAt && !(succeededAt >= failedAt)) {
    const code = Number(configs.lastFailureContent?.match(/\b([1-5]\d\d) \(/)?.[1]);
    return style.red(`failing: ${code ? statusWords(code) : (configs.lastFailureContent ?? "no answer")}`);
  }
  return status ? style.green(statusWords(status)) : style.dim(statusWords(0));
}

const describe = (webhook) => `webhook ${webhook.id} "${webhook.name}" → ${webhook.uri}`;

/** A generated signing secret: 24 URL-safe characters, inside the portal's 8–30 printable ASCII policy. */
const generateSecret = () => randomBytes(18).toString("base64url");

function secretOf(values, command) {
  if (values.secret !== undefined && values["generate-secret"])
    throw new UsageError(`${command}: give --secret or --generate-secret, not both`);
  if (values["generate-secret"]) return { secret: generateSecret(), generated: true };
  return { secret: values.secret, generated: false };
}

function printSecret(out, secret) {
  out.line("");
  out.line(out.style.bold("Signing secret (shown once: the portal never shows it again; store it now):"));
  out.line(`  ${out.style.cyan(secret)}`);
}

const list = {
  name: "list",
  summary: "list the webhooks and the status of their latest delivery",
  usage: "list [--json]",
  description:
    "Lists the webhooks the token's user may see (admins: all of the portal's), with their\nsubscribed events and the HTTP status of each one's latest delivery.",
  options: { ...JSON_OPTION },
  portal: true,
  examples: ["list", "list --json"],
  async run({ values, portal, out }) {
    const items = await portal.client.getTenantWebhooks();
    if (values.json) return out.json(items.map(({ configs, status }) => webhookJson(configs, status)));
    if (items.length === 0) return out.line("No webhooks yet. Create one with: docspace-webhooks create --help");
    printWebhookTable(out, items);
  },
};

const triggers = {
  name: "triggers",
  summary: "list the events a webhook can subscribe to",
  usage: "triggers [--json]",
  description: "Lists every event (trigger) of the portal, and whether the token's user may subscribe to it.",
  options: { ...JSON_OPTION },
  portal: true,
  examples: ["triggers"],
  async run({ values, portal, out }) {
    const list = await portal.client.getWebhookTriggers();
    const rows = list.map((info) => ({ id: info.id, name: info.name, key: info.key ?? null, available: info.available ?? null }));
    if (values.json) return out.json(rows);
    const { style } = out;
    out.table(
      [
        { title: "EVENT", value: (row) => row.name },
        { title: "NAME", value: (row) => row.key ?? "" },
        { title: "BIT", value: (row) => row.id, align: "right" },
        { title: "AVAILABLE", value: (row) => (row.available === null ? "?" : row.available ? style.green("yes") : style.dim("no")) },
      ],
      rows,
    );
  },
};

/** A webhook's settings as options: create takes them, update changes those given. */
const SETTINGS = {
  name: { type: "string", value: "NAME", help: "a name, up to 50 characters" },
  uri: { type: "string", value: "URL", help: "the receiver's URL" },
  events: { type: "string", value: "LIST", help: "comma-separated events (FileUploaded,room.created…) or All" },
  secret: { type: "string", value: "S", help: "the signing secret (8 to 30 printable characters, no spaces)" },
  "generate-secret": { type: "boolean", help: "generate a signing secret and print it once" },
  "no-ssl": { type: "boolean", help: "do not verify the receiver's TLS certificate (allows http://)" },
  "target-id": { type: "string", value: "ID", help: "only events about this file, folder, room, user or group" },
};

const create = {
  name: "create",
  summary: "create a webhook",
  usage: "create --name NAME --uri URL --events LIST (--secret S | --generate-secret) [options]",
  description:
    "Creates a webhook. The portal checks the receiver first: it must answer a HEAD request with\n" +
    "2xx, and a real portal refuses private and loopback addresses. With --generate-secret a\n" +
    "random signing secret is made and printed once: the portal never shows it again.",
  options: { ...SETTINGS, disabled: { type: "boolean", help: "create it disabled" }, ...JSON_OPTION },
  portal: true,
  examples: ["create --name Uploads --uri https://hooks.example.com/docspace --events FileUploaded,room.created --generate-secret"],
  validate({ values }) {
    required(values, "name", "create", "Uploads");
    required(values, "uri", "create", "https://hooks.example.com/docspace");
    parseEvents(required(values, "events", "create", "FileUploaded,room.created"));
    if (values.secret === undefined && !values["generate-secret"])
      throw new UsageError("create: --secret S or --generate-secret is required");
    secretOf(values, "create");
  },
  async run({ values, portal, out }) {
    const { secret, generated } = secretOf(values, "create");
    const webhook = await portal.client.createWebhook({
      name: values.name,
      uri: values.uri,
      triggers: parseEvents(values.events),
      secretKey: secret,
      enabled: !values.disabled,
      ssl: !values["no-ssl"],
      ...(values["target-id"] !== undefined ? { targetId: values["target-id"] } : {}),
    });
    if (values.json) return out.json({ webhook: webhookJson(webhook, 0), secret: generated ? secret : null });
    out.line(`Created ${describe(webhook)}`);
    out.line(
      `  events: ${eventNames(webhook.triggers).join(", ")} · ${webhook.enabled ? "enabled" : "disabled"} · TLS ${webhook.ssl ? "verified" : "not verified"}`,
    );
    if (generated) printSecret(out, secret);
  },
};

const update = {
  name: "update",
  summary: "change some settings of a webhook (only those given)",
  usage:
    "update ID [--name N] [--uri URL] [--events LIST] [--secret S | --generate-secret] [--ssl | --no-ssl] [--target-id ID | --no-target]",
  description:
    "Changes only the settings given; the others, and the secret unless a new one is given, stay.\n" +
    "A new --uri is checked by the portal like on create.",
  options: {
    ...SETTINGS,
    events: { ...SETTINGS.events, help: `${SETTINGS.events.help}: they replace the old ones` },
    ssl: { type: "boolean", help: "verify the receiver's TLS certificate again" },
    "no-target": { type: "boolean", help: "remove the --target-id narrowing" },
    ...JSON_OPTION,
  },
  positionals: { name: "ID (the webhook's id, see `list`)", count: [1, 1] },
  portal: true,
  examples: ["update 7 --events FileUploaded,FileUpdated", "update 7 --generate-secret"],
  validate({ values, positionals }) {
    changesOf(values, positionals);
  },
  async run({ values, positionals, portal, out }) {
    const { id, changes, generated } = changesOf(values, positionals);
    const webhook = await portal.client.patchWebhook(id, changes);
    if (values.json) return out.json({ webhook: webhookJson(webhook, null), secret: generated ? changes.secretKey : null });
    out.line(`Updated ${describe(webhook)}`);
    out.line(
      `  changed: ${Object.keys(changes)
        .map((key) => (key === "secretKey" ? "secret" : key === "triggers" ? "events" : key))
        .join(", ")}`,
    );
    if (generated) printSecret(out, changes.secretKey);
  },
};

function changesOf(values, positionals) {
  const id = parseId(positionals[0], "update: ID");
  if (values.ssl && values["no-ssl"]) throw new UsageError("update: give --ssl or --no-ssl, not both");
  if (values["target-id"] !== undefined && values["no-target"]) throw new UsageError("update: give --target-id or --no-target, not both");
  const { secret, generated } = secretOf(values, "update");
  const changes = {};
  if (values.name !== undefined) changes.name = values.name;
  if (values.uri !== undefined) changes.uri = values.uri;
  if (values.events !== undefined) changes.triggers = parseEvents(values.events);
  if (secret !== undefined) changes.secretKey = secret;
  if (values.ssl || values["no-ssl"]) changes.ssl = Boolean(values.ssl);
  if (values["target-id"] !== undefined) changes.targetId = values["target-id"];
  if (values["no-target"]) changes.targetId = null;
  if (Object.keys(changes).length === 0) {
    throw new UsageError(
      "update: nothing to change; give --name, --uri, --events, --secret, --generate-secret, --ssl, --no-ssl, --target-id or --no-target",
    );
  }
  return { id, changes, generated };
}

function switchCommand(enabled) {
  const verb = enabled ? "enable" : "disable";
  return {
    name: verb,
    summary: `${verb} webhooks`,
    usage: `${verb} ID... [--json]`,
    description: enabled
      ? "Enables webhooks. The portal re-checks each receiver (its address and a HEAD request) first."
      : "Disables webhooks: the portal stops sending them events (redeliveries still go out).",
    options: { ...JSON_OPTION },
    positionals: { name: "ID (the webhook's id, see `list`)", count: [1, Infinity] },
    portal: true,
    examples: [`${verb} 7`, `${verb} 7 8 9`],
    validate({ positionals }) {
      positionals.forEach((id) => parseId(id, `${verb}: ID`));
    },
    async run({ values, positionals, portal, out }) {
      const changed = [];
      for (const id of positionals.map((text) => parseId(text, `${verb}: ID`))) {
        const webhook = await portal.client.enableWebhook(id, enabled);
        changed.push(webhook);
        if (!values.json) out.line(`${enabled ? "Enabled" : "Disabled"} ${describe(webhook)}`);
      }
      if (values.json) out.json(changed.map((webhook) => webhookJson(webhook, null)));
    },
  };
}

const remove = {
  name: "remove",
  summary: "delete a webhook (asks first on a terminal)",
  usage: "remove ID [--yes] [--json]",
  description:
    "Deletes a webhook; the portal deletes its delivery log with it. On a terminal it asks first;\n" +
    "elsewhere (scripts, CI) --yes is required.",
  options: { yes: { type: "boolean", short: "y", help: "do not ask" }, ...JSON_OPTION },
  positionals: { name: "ID (the webhook's id, see `list`)", count: [1, 1] },
  portal: true,
  examples: ["remove 7", "remove 7 --yes"],
  validate({ values, positionals, stdin }) {
    parseId(positionals[0], "remove: ID");
    if (!values.yes && !stdin.isTTY) throw new UsageError("remove: not on a terminal, so nobody can confirm: pass --yes");
  },
  async run({ values, positionals, portal, out, stdin }) {
    const id = parseId(positionals[0], "remove: ID");
    if (!values.yes) {
      const found = (await portal.client.getTenantWebhooks()).find((item) => item.configs.id === id);
      const what = found ? describe(found.configs) : `webhook ${id}`;
      const prompt = createInterface({ input: stdin, output: out.stderr });
      const answer = await prompt.question(`Delete ${what} and its delivery log? [y/N] `);
      prompt.close();
      if (!/^y(es)?$/i.test(answer.trim())) {
        out.err("Nothing deleted.");
        return 0;
      }
    }
    const removed = await portal.client.removeWebhook(id);
    if (values.json) return out.json(webhookJson(removed, null));
    out.line(`Deleted ${describe(removed)}`);
  },
};

export const commands = [list, triggers, create, update, switchCommand(true), switchCommand(false), remove];
