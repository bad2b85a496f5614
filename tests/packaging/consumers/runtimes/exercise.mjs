// What the Deno, Bun and workerd consumers do with the installed package, each in its own
// runtime: a real client call against the stand-in portal (create, list, remove), and a signed
// delivery through createWebhookHandler, as a fetch-style server hands it over.
export async function exercise(api, { baseUrl, token }) {
  const { WebhooksClient, DocSpaceError, Trigger, createWebhookHandler, computeWebhookSignature } = api;
  const client = new WebhooksClient({ baseUrl, token });
  const hook = await client.createWebhook({
    name: "Runtime consumer",
    uri: `${baseUrl}/stand-in/inbox/runtime`,
    secretKey: "S3cret-Key!",
    ssl: false,
    triggers: [Trigger.FileUploaded, "room.created"],
  });
  const listed = (await client.getTenantWebhooks()).some(({ configs }) => configs.id === hook.id);
  await client.removeWebhook(hook.id);

  let kind;
  try {
    new WebhooksClient({ baseUrl: "ftp://nope", token });
  } catch (error) {
    kind = error instanceof DocSpaceError && error.kind;
  }

  const events = [];
  const handler = createWebhookHandler({
    secret: "S3cret-Key!",
    onEvent: (event) => events.push(`${event.trigger} ${event.payload.title}`),
  });
  const body = JSON.stringify({
    event: { id: 41, trigger: "file.uploaded", triggerId: Trigger.FileUploaded },
    payload: { id: 7, title: "report.docx" },
    webhook: { id: hook.id },
  });
  const deliver = (signature) =>
    handler(new Request("https://receiver.example/docspace", { method: "POST", headers: { "x-docspace-signature-256": signature }, body }));
  const signed = (await deliver(computeWebhookSignature("S3cret-Key!", body))).status;
  const forged = (await deliver(computeWebhookSignature("Other-Secret!", body))).status;

  return { runtime: navigator.userAgent, listed, triggers: Trigger.names(hook.triggers), kind, signed, forged, events };
}
