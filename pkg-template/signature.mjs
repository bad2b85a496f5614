// verifyWebhookSignature, computeWebhookSignature and parseWebhookEvent: the argument checks and
// the parsing here, the HMAC-SHA256 from the platform that computes it fastest (`mac`): node:crypto
// in Node (the CPU's SHA instructions), the wasm's RustCrypto HMAC in browsers and workers (it is
// synchronous, where crypto.subtle.sign is not). Both compare in constant time and try every
// secret, so the time taken does not tell which one matched. A delivery's shape is checked by
// the wasm (the core's `event::check`), on the object JSON.parse made here: the body is never
// parsed twice.

export const SIGNATURE_HEADER = "x-docspace-signature-256";
const MAX_SECRETS = 16;
/** Far above the 50 characters DocSpace stores, so no real secret is refused. */
const MAX_SECRET_CHARS = 1024;
/** A body this large is never a delivery; refusing it keeps a wasm build from running out of memory. */
const MAX_BODY_BYTES = 2 ** 30;
const DIGEST_BYTES = 32;

/**
 * What a fallible wasm export returned: its value, or (an `Error`, which no success value is) the
 * error, thrown here. The wasm returns errors instead of throwing them so that none of its exports
 * has a multi-value return: Node 20's V8 compiles a wrapper for each such signature when it
 * compiles the module (src/js.rs, `value_or_error`).
 */
export function unwrap(result) {
  if (result instanceof Error) throw result;
  return result;
}

/** `get()`, or an `invalid_input` for `field` when reading it runs a getter or trap that throws. */
export function readable(get, field, invalid) {
  try {
    return get();
  } catch {
    throw invalid(field, "could not be read: reading it threw");
  }
}

/**
 * The argument checks of the receiver's functions and of `createWebhookHandler`:
 * `invalid(field, reason)` (an `invalid_input` error), `describe(value)` (how messages name a
 * value's type: the wasm's, so the client and the receiver classify JS values one way),
 * `secrets(value)` (one secret or a rotation list, as the list of keys) and `body(value)` (the
 * raw body as the signature covers it: a string, UTF-8, or its bytes).
 */
export function makeChecks(wasm, DocSpaceError) {
  const invalid = (field, reason) => new DocSpaceError("invalid_input", `${field}: ${reason}`, { details: { [field]: [reason] } });
  const describe = (value) => wasm.__describe(value);

  function secrets(value) {
    const one = (item, field) => {
      if (typeof item !== "string") throw invalid(field, `must be the webhook's secret key (a string), got ${describe(item)}`);
      if (item === "") throw invalid(field, "must not be empty");
      // DocSpace keeps at most 50 characters; a longer key is a mistake, and a huge one would be
      // hashed in full on every check.
      if (item.length > MAX_SECRET_CHARS)
        throw invalid(field, `must be at most ${MAX_SECRET_CHARS} characters (DocSpace keeps at most 50), got ${item.length}`);
      return item;
    };
    if (typeof value === "string" || !isArray(value)) return [one(value, "secret")];
    const length = readable(() => value.length, "secret", invalid);
    if (length === 0) throw invalid("secret", "must list at least one secret");
    if (length > MAX_SECRETS) throw invalid("secret", `must list at most ${MAX_SECRETS} secrets`);
    const keys = [];
    for (let i = 0; i < length; i++)
      keys.push(
        one(
          readable(() => value[i], `secret[${i}]`, invalid),
          `secret[${i}]`,
        ),
      );
    return keys;
  }

  function body(value) {
    let raw = value;
    if (typeof value !== "string") {
      let bytes = null;
      try {
        if (value instanceof Uint8Array) bytes = value;
        else if (value instanceof ArrayBuffer) bytes = new Uint8Array(value);
      } catch {
        // A proxy whose prototype cannot be read is not a body.
      }
      if (bytes === null) {
        const kind = describe(value);
        const hint = kind === "an object" ? ": pass the raw body, not parsed JSON (re-serialised JSON does not match the signature)" : "";
        throw invalid("rawBody", `must be the raw body as a string, Uint8Array or Buffer, got ${kind}${hint}`);
      }
      raw = bytes;
    }
    const size = typeof raw === "string" ? (raw.length * 3 > MAX_BODY_BYTES ? utf8Length(raw) : 0) : raw.byteLength;
    if (size > MAX_BODY_BYTES) throw invalid("rawBody", `is larger than ${MAX_BODY_BYTES} bytes; a delivery never is`);
    return raw;
  }

  return { invalid, describe, secrets, body };
}

/** `Array.isArray`, false for a revoked proxy (where it throws). */
function isArray(value) {
  try {
    return Array.isArray(value);
  } catch {
    return false;
  }
}

/** UTF-8 length of a string, without encoding it. */
function utf8Length(text) {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0x80) bytes += unit >= 0x800 && (unit < 0xd800 || unit > 0xdfff) ? 2 : 1;
  }
  return bytes;
}

/** A hex digit's value, or -1 (from its character code). */
function nibble(code) {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 32;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/**
 * The 64 hex digits of `text` from `at` as 32 bytes, or null (a platform may have a native
 * decoder: `mac.fromHex`). Read in place: slicing the digits out first cost a third more.
 */
function fromHex(text, at) {
  const digest = new Uint8Array(DIGEST_BYTES);
  let bad = 0;
  for (let i = 0; i < DIGEST_BYTES; i++) {
    const high = nibble(text.charCodeAt(at + 2 * i));
    const low = nibble(text.charCodeAt(at + 2 * i + 1));
    bad |= high | low; // negative once any character is not a hex digit
    digest[i] = (high << 4) | low;
  }
  return bad < 0 ? null : digest;
}

const HEADER_CHARS = 7 + 2 * DIGEST_BYTES;

/** Whether `text` starts with `sha256=`, the letters in either case (read code by code: the
 * check runs on every delivery, and slicing and lower-casing would allocate two strings). */
function hasPrefix(text) {
  return (
    (text.charCodeAt(0) | 32) === 115 && // s
    (text.charCodeAt(1) | 32) === 104 && // h
    (text.charCodeAt(2) | 32) === 97 && // a
    text.charCodeAt(3) === 50 && // 2
    text.charCodeAt(4) === 53 && // 5
    text.charCodeAt(5) === 54 && // 6
    text.charCodeAt(6) === 61 // =
  );
}

/** The digest of `sha256=<64 hex digits>` (case and surrounding whitespace forgiven), else null. */
function parseHeader(value, decode) {
  if (typeof value !== "string") return null;
  const text = value.length === HEADER_CHARS ? value : value.trim();
  if (text.length !== HEADER_CHARS || !hasPrefix(text)) return null;
  return decode(text, 7);
}

/**
 * The receiver's three functions over `mac`: `{ matches(keys, body, digest): boolean,
 * sign(key, body): upper-case hex, fromHex?(text, at): the digest written in `text` from `at` }`, the argument `checks`
 * (makeChecks) and the wasm's delivery check.
 */
export function makeSignatures(mac, wasm, checks, triggerNames) {
  const { invalid } = checks;
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  const decode = mac.fromHex ?? fromHex;

  function verifyWebhookSignature(secrets, rawBody, header) {
    const keys = checks.secrets(secrets);
    const body = checks.body(rawBody);
    const digest = parseHeader(header, decode);
    return digest !== null && mac.matches(keys, body, digest);
  }

  function computeWebhookSignature(secret, rawBody) {
    const [key] = checks.secrets(secret);
    return `sha256=${mac.sign(key, checks.body(rawBody))}`;
  }

  function parseWebhookEvent(rawBody, header, secrets) {
    const keys = checks.secrets(secrets);
    const body = checks.body(rawBody);
    if (typeof header !== "string" || header.trim() === "") {
      throw invalid("signature", `is missing: the request has no ${SIGNATURE_HEADER} header`);
    }
    const digest = parseHeader(header, decode);
    if (digest === null || !mac.matches(keys, body, digest)) {
      throw invalid("signature", "does not match: the body was altered, or the secret is not this webhook's");
    }
    let text = body;
    if (typeof body !== "string") {
      try {
        text = utf8.decode(body);
      } catch {
        throw invalid("rawBody", "is not UTF-8 text");
      }
    }
    let delivery;
    try {
      delivery = JSON.parse(text);
    } catch {
      throw invalid("rawBody", "is not JSON");
    }
    const trigger = unwrap(wasm.__checkDelivery(delivery));
    delivery.trigger = triggerNames.has(trigger) ? trigger : "unknown";
    return delivery;
  }

  return { verifyWebhookSignature, computeWebhookSignature, parseWebhookEvent };
}

/** Texts up to this many UTF-8 bytes are encoded into one buffer kept between calls. */
const SCRATCH_BYTES = 256 * 1024;

/**
 * The HMAC of browsers and workers: the wasm's, synchronous. A text body is encoded here, once
 * for every key, with `TextEncoder.encodeInto` into a reused buffer: handing the text to the
 * wasm as a string would copy it character by character in JS, which took longer than hashing a
 * 1 KB body. (`encodeInto` writes U+FFFD for a lone surrogate, as a string handed over would.)
 */
export function wasmMac(wasm) {
  const encoder = new TextEncoder();
  let scratch = new Uint8Array(0);
  const bytesOf = (body) => {
    if (typeof body !== "string") return body;
    const most = body.length * 3;
    if (most > SCRATCH_BYTES) return encoder.encode(body);
    if (scratch.length < most) scratch = new Uint8Array(Math.max(most, 4096));
    return scratch.subarray(0, encoder.encodeInto(body, scratch).written);
  };
  return {
    matches(keys, body, digest) {
      const bytes = bytesOf(body);
      let matched = false;
      // Every key is tried (the call comes first), so the time taken does not tell which matched.
      for (const key of keys) matched = wasm.__matchesBytes(key, bytes, digest) || matched;
      return matched;
    },
    sign: (key, body) => wasm.__signBytes(key, bytesOf(body)),
  };
}
