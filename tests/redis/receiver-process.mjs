// One receiving host for the Redis tests: node:http + createWebhookHandler + redisDedupe on the
// client named in the settings (argv[2], JSON). It prints `listening <url>`, then one line per
// completed onEvent (`handled <event id>`) and per store failure (`store-error <stage>`).
//
// Settings: client ("node-redis" | "ioredis"), redisPort, secret, timeoutMs, lockMs,
// failFirstPercent (onEvent throws on an event's first attempt when id % 100 is below it),
// delayMs (onEvent takes up to this long, so that repeats overlap).
import http from "node:http";
import { once } from "node:events";
import { createWebhookHandler } from "../../pkg/index.mjs";
import { redisDedupe } from "../../pkg/redis.mjs";
import { clients, sleep } from "./support.mjs";

const settings = JSON.parse(process.argv[2]);
const { client, close } = await clients[settings.client](settings.redisPort);
const storeOptions = {};
for (const name of ["timeoutMs", "lockMs"]) if (settings[name] !== undefined) storeOptions[name] = settings[name];

const handler = createWebhookHandler({
  secret: settings.secret,
  dedupe: redisDedupe(client, storeOptions),
  onError(error, { stage }) {
    if (stage !== "onEvent") process.stdout.write(`store-error ${stage}\n`);
  },
  async onEvent(event) {
    if (settings.delayMs) await sleep(Math.random() * settings.delayMs);
    const firstAttempt = event.webhook.retryCount === undefined;
    if (firstAttempt && event.event.id % 100 < (settings.failFirstPercent ?? 0)) throw new Error("the receiver's database is down");
    process.stdout.write(`handled ${event.event.id}\n`);
  },
});

const server = http.createServer(handler.node).listen(0, "127.0.0.1");
await once(server, "listening");
process.stdout.write(`listening http://127.0.0.1:${server.address().port}/docspace\n`);

process.once("SIGTERM", () => {
  server.closeAllConnections();
  server.close();
  close();
});
