// Waiting in tests and benches for something another process or the event loop brings about.

/**
 * Polls `check` every `every` ms until it returns a truthy value (returned), or rejects after
 * `timeoutMs`; the rejection's message adds what `explain()` tells at that moment, if given.
 */
export async function waitFor(check, { timeoutMs = 10_000, what = "condition", every = 20, explain } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${explain ? `\n${explain()}` : ""}`);
    }
    await new Promise((resolve) => setTimeout(resolve, every));
  }
}
