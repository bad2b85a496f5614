// A few assertions that run the same in Node and in the browser (the shared case files cannot
// import node:assert).
export class AssertionError extends Error {
  name = "AssertionError";
}

const show = (value) => {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
};

export function ok(value, message = "expected a truthy value") {
  if (!value) throw new AssertionError(`${message} (got ${show(value)})`);
}

export function equal(actual, expected, message = "") {
  if (!Object.is(actual, expected)) throw new AssertionError(`${message} expected ${show(expected)}, got ${show(actual)}`.trim());
}

/** Structural equality through JSON (enough for API payloads). */
export function deepEqual(actual, expected, message = "") {
  if (show(actual) !== show(expected)) throw new AssertionError(`${message} expected ${show(expected)}, got ${show(actual)}`.trim());
}

export function match(text, pattern, message = "") {
  if (typeof text !== "string" || !pattern.test(text))
    throw new AssertionError(`${message} expected ${show(text)} to match ${pattern}`.trim());
}

/** Awaits `promise`, expects it to reject, and returns the rejection for more checks. */
export async function rejects(promise, message = "expected a rejection") {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new AssertionError(message);
}

/** Runs `fn`, expects it to throw synchronously, and returns what it threw. */
export function throws(fn, message = "expected a throw") {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new AssertionError(message);
}
