// Waiting in tests for something another process or the event loop brings about.

/** Polls `check` every 20 ms until it returns a truthy value (returned), or rejects after `timeoutMs`. */
export async function waitFor(check, { timeoutMs = 10_000, what = "condition" } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
