// The same package through require() under nodenext: the CommonJS side of the types.
import docspace = require("docspace-webhooks");
import http = require("node:http");
import redis = require("docspace-webhooks/redis");

// The .node form plugs straight into node:http.
http.createServer(docspace.createWebhookHandler({ secret: "s", onEvent: (event) => console.log(event.trigger) }).node);

declare const ioredisClient: redis.IORedisClientLike;
docspace.createWebhookHandler({ secret: "s", dedupe: redis.redisDedupe(ioredisClient, { prefix: "p:" }), onEvent() {} });

const client = new docspace.WebhooksClient({ baseUrl: "https://portal.example.com", token: "sk-x" });
const pending: Promise<docspace.WebhookWithStatus[]> = client.getTenantWebhooks();
const bit: 256 = docspace.Trigger.FileUploaded;
// @ts-expect-error: getTenantWebhooks resolves to an array
const wrong: Promise<string> = client.getTenantWebhooks();

export = { pending, bit, wrong };
