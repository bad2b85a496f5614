// `trigger EVENT`: makes the stand-in portal fire an event at its webhooks, like `stripe
// trigger`. A real portal has no such endpoint: events happen there when people work.
import { readFile } from "node:fs/promises";
import { Trigger } from "../index.mjs";
import { JSON_OPTION, UsageError } from "./args.mjs";
import { postStandInEvent } from "./connect.mjs";
import { parseEvent } from "./logs.mjs";
import { dotted } from "./deliveries.mjs";

/** `--data '{"id":42}'` or `--data @file.json`: the entity the event is about. */
async function dataOf(text) {
  if (text === undefined) return {};
  let source = text;
  if (text.startsWith("@")) {
    try {
      source = await readFile(text.slice(1), "utf8");
    } catch (error) {
      throw new UsageError(`--data: cannot read ${text.slice(1)}: ${error.code ?? error.message}`);
    }
  }
  let data;
  try {
    data = JSON.parse(source);
  } catch (error) {
    throw new UsageError(`--data must be a JSON object: ${error.message}`);
  }
  if (!data || typeof data !== "object" || Array.isArray(data))
    throw new UsageError('--data must be a JSON object, e.g. {"id":42,"title":"report.docx"}');
  return data;
}

const trigger = {
  name: "trigger",
  summary: "make the stand-in portal send an event to its webhooks",
  usage: "trigger EVENT [--data JSON|@FILE] [--target-id ID] [--json]",
  description:
    "Fires EVENT (file.uploaded, FileUploaded…) on the stand-in portal (docspace-webhooks-portal):\n" +
    "every enabled webhook subscribed to it gets a real signed delivery, retried as the portal\n" +
    "does. --data is the entity the event is about (its `payload`). Needs an owner or admin token.\n" +
    "A real portal has no such endpoint: there events come from what people do.",
  options: {
    data: { type: "string", value: "JSON", help: "the event's payload: a JSON object, or @file.json" },
    "target-id": { type: "string", value: "ID", help: "the entity's id, for webhooks narrowed to one entity" },
    ...JSON_OPTION,
  },
  positionals: { name: "EVENT (e.g. file.uploaded; see `triggers`)", count: [1, 1] },
  portal: true,
  examples: ['trigger file.uploaded --data \'{"id":42,"title":"report.docx"}\''],
  async validate({ values, positionals }) {
    parseEvent(positionals[0], "trigger: EVENT");
    await dataOf(values.data);
  },
  async run({ values, positionals, portal, out }) {
    const bit = parseEvent(positionals[0], "trigger: EVENT");
    const name = dotted(Trigger.names(bit)[0]);
    const body = { trigger: name, data: await dataOf(values.data) };
    if (values["target-id"] !== undefined) body.targetId = values["target-id"];
    const ids = await postStandInEvent(portal, body, out, values.verbose);
    if (values.json) return out.json({ event: name, deliveries: ids });
    if (ids.length === 0) return out.line(`Triggered ${name}: no enabled webhook is subscribed to it, nothing was sent.`);
    out.line(
      `Triggered ${name}: ${ids.length} deliver${ids.length === 1 ? "y" : "ies"} (${ids.join(", ")}); see them with: docspace-webhooks logs`,
    );
  },
};

export const commands = [trigger];
