// The identities and data every test layer starts from: one place for the seed users (and
// their tokens), the two webhooks and the five log rows the client cases read. It is a state in
// the portal's `--data` file format, loaded with `portal.testing.seed()`.

export const OWNER = {
  id: "0ee7a0b2-6c5f-4b7e-9a43-9a2a1f1b2c3d",
  displayName: "Mike Zanyatski",
  role: "owner",
  token: "sk-owner-seed-token",
};
export const USER = { id: "5b1f6c1e-2d7a-4c39-8a0e-3f1d2c4b5a69", displayName: "Nadia User", role: "user", token: "sk-user-seed-token" };
export const TOKENS = { owner: OWNER.token, user: USER.token };

const ms = (iso) => Date.parse(iso);

/** A log row as the portal stores it; a failed one has no delivery time, as on the server. */
export function logRow(id, configId, trigger, status, creationTime, delivery) {
  const payload = JSON.stringify({
    event: { id, createOn: creationTime, trigger: "file.created", triggerId: trigger },
    payload: { id: 42 },
  });
  return {
    id,
    configId,
    trigger,
    uid: OWNER.id,
    creationTime: ms(creationTime),
    requestHeaders: JSON.stringify({
      Accept: ["*/*"],
      "x-docspace-signature-256": ["sha256=0D4C9D09136103625379E0BC3AA6084E941EA2F2901A2C94FACEFE3A7F9688F3"],
    }),
    requestPayload: payload,
    ...(delivery
      ? { responseHeaders: JSON.stringify({ Server: ["nginx"] }), responsePayload: "ok", delivery: ms(delivery) }
      : { responsePayload: `Response status code does not indicate success: ${status}.` }),
    status,
  };
}

/** A fresh copy of the seed state. */
export function seedState() {
  const config = (fields) => ({ secretKey: "S3cret-Key!", createdBy: OWNER.id, ...fields });
  return {
    users: [OWNER, USER],
    configs: [
      config({
        id: 7,
        name: "Production Webhook",
        uri: "https://hooks.example.com/docspace",
        enabled: true,
        ssl: true,
        triggers: 384,
        createdOn: ms("2026-06-30T13:13:11Z"),
        lastSuccessOn: ms("2026-07-01T09:00:01Z"),
      }),
      config({
        id: 8,
        name: "Downloads",
        uri: "https://hooks.example.com/downloads",
        secretKey: "An0ther-Secret",
        enabled: false,
        ssl: true,
        triggers: 2 ** 34 + 2 ** 35,
        createdOn: ms("2026-07-01T08:00:00Z"),
      }),
    ],
    logs: [
      logRow(101, 7, 128, 200, "2026-06-30T10:13:11Z", "2026-06-30T10:13:12Z"),
      logRow(102, 7, 256, 503, "2026-06-30T11:00:00Z", null),
      logRow(103, 7, 256, 404, "2026-06-30T12:00:00Z", null),
      logRow(104, 7, 128, 0, "2026-06-30T13:00:00Z", null),
      logRow(105, 7, 128, 200, "2026-07-01T09:00:00Z", "2026-07-01T09:00:01Z"),
    ],
    nextConfigId: 9,
    nextLogId: 106,
  };
}
