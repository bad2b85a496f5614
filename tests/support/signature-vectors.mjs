// Signature test vectors computed independently of this package, with node:crypto, so the
// shared receiver cases (which also run in the browser, where node:crypto is absent) check
// our HMAC against a second implementation.
import { createHmac } from "node:crypto";
import { LONE_SURROGATE_BODY } from "../js/cases/receiver.cases.mjs";

const sign = (secret, body) => "sha256=" + createHmac("sha256", secret).update(body).digest("hex").toUpperCase();

const delivery = JSON.stringify({
  event: {
    id: 1234,
    createOn: "2026-06-30T10:13:11Z",
    createBy: "0ee7a0b2-6c5f-4b7e-9a43-9a2a1f1b2c3d",
    trigger: "file.uploaded",
    triggerId: 256,
  },
  payload: { id: 42, title: "Отчёт 2026 — “final”.docx", fileEntryType: 2, rootId: 1 },
  webhook: { id: 7, name: "Production Webhook", url: "https://hooks.example.com/docspace", triggers: ["file.uploaded"] },
});

export function signatureVectors() {
  const secret = "S3cret-Key!";
  const big = "x".repeat(1 << 20);
  return {
    secret,
    delivery,
    deliverySignature: sign(secret, delivery),
    empty: sign(secret, ""),
    big: { length: big.length, signature: sign(secret, big) },
    unknownTrigger: (() => {
      const body = delivery.replace('"file.uploaded","triggerId":256', '"space.teleported","triggerId":68719476736');
      return { body, signature: sign(secret, body) };
    })(),
    // A text with a lone surrogate (JS strings may hold one): signed as its UTF-8 with U+FFFD
    // in its place, which node:crypto does as every host must.
    // (The body is the cases' own: a lone surrogate may not survive the trip to the browser.)
    loneSurrogate: sign(secret, LONE_SURROGATE_BODY),
    // More secrets than a receiver keeps keyed (4), non-ASCII ones among them, each with the
    // delivery signed under it.
    manySecrets: ["S3cret-Key!", "ключ-№2", "third key", "S3cret-Key!!", "🔑-five", "sixth"].map((each) => ({
      secret: each,
      signature: sign(each, delivery),
    })),
    notADelivery: (() => {
      const body = JSON.stringify({ hello: "world" });
      return { body, signature: sign(secret, body) };
    })(),
  };
}
