import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto';

/** The master key's length: AES-256. */
export const MASTER_KEY_BYTES = 32;
/**
 * Marks a value wrapped under the master key. Stored keys are otherwise base64url text (instance
 * keys) or JSON (signing keys), and neither can begin with a dot, so the two never mix up.
 */
const WRAPPED_PREFIX = 'tmk1.';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** Fewer distinct bytes than this in 32 bytes is a pattern or a typo, not randomness (30 expected). */
const MIN_DISTINCT_BYTES = 16;

/** Why a text is not a usable master key; the message never repeats the text. */
export class MasterKeyFormatError extends Error {}

/** A wrapped value that this master key does not open: another key, or a value altered or moved. */
export class UnwrapError extends Error {}

export const isWrapped = (stored: string): boolean => stored.startsWith(WRAPPED_PREFIX);

/**
 * The key-encryption key of an instance, from outside the database (TESSERA_MASTER_KEY or
 * TESSERA_MASTER_KEY_FILE). It wraps the keys the database holds with AES-256-GCM, binding each
 * wrapped value to the name of the row it belongs to (associated data), so a wrapped value copied
 * into another row (a sealing key posing as the session key, one signing key as another) does not
 * open. The key bytes live in a private field: nothing logs, serializes or inspects them.
 */
export class MasterKey {
  readonly #key: Buffer;

  private constructor(key: Buffer) {
    this.#key = key;
  }

  /** 32 bytes given as base64 or base64url text (padding optional, surrounding whitespace ignored). */
  static parse(text: string): MasterKey {
    const t = text.trim();
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(t)) {
      throw new MasterKeyFormatError('must be base64 or base64url text (generate one with: npm run -s tessera -- master-key)');
    }
    const bytes = Buffer.from(t.replace(/=+$/, ''), 'base64');
    if (bytes.length !== MASTER_KEY_BYTES) {
      throw new MasterKeyFormatError(
        `must encode exactly ${MASTER_KEY_BYTES} random bytes, not ${bytes.length} (generate one with: npm run -s tessera -- master-key)`,
      );
    }
    if (new Set(bytes).size < MIN_DISTINCT_BYTES) {
      throw new MasterKeyFormatError('is not random: its bytes repeat (generate one with: npm run -s tessera -- master-key)');
    }
    return new MasterKey(bytes);
  }

  /** A new master key as text, for TESSERA_MASTER_KEY or a key file. */
  static generate(): string {
    return randomBytes(MASTER_KEY_BYTES).toString('base64url');
  }

  sameAs(other: MasterKey): boolean {
    return timingSafeEqual(this.#key, other.#key);
  }

  /** Seals plain under this key; label names the row (e.g. "instance-key/opaque/0"). */
  wrap(plain: Buffer, label: string): string {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce);
    cipher.setAAD(aad(label));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return WRAPPED_PREFIX + Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url');
  }

  /** Opens what wrap() sealed under the same label, or throws UnwrapError. */
  unwrap(stored: string, label: string): Buffer {
    if (!isWrapped(stored)) throw new UnwrapError(`${label} is not wrapped`);
    const raw = Buffer.from(stored.slice(WRAPPED_PREFIX.length), 'base64url');
    if (raw.length < NONCE_BYTES + TAG_BYTES) throw new UnwrapError(`${label} is truncated`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, NONCE_BYTES));
      decipher.setAAD(aad(label));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new UnwrapError(`${label} does not open with this master key`);
    }
  }
}

const aad = (label: string) => Buffer.from(`tessera wrapped key v1\n${label}`, 'utf8');
