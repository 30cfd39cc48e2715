import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { HashQueue, type QueuePlace } from '../security/hash-queue.js';
import { DomainError } from './errors.js';

const scryptAsync = promisify(scrypt) as (pw: string, salt: Buffer, len: number, opts: object) => Promise<Buffer>;

// Human passwords are low-entropy, so they get a slow, memory-hard KDF (OWASP: N=2^17, r=8, p=1).
const N = 2 ** 17;
const r = 8;
const p = 1;
const KEY_LEN = 32;
const MAXMEM = 256 * 1024 * 1024;

/**
 * Every password hash in the process takes a place here. scrypt runs on libuv's thread pool (4
 * threads unless UV_THREADPOOL_SIZE says otherwise), which reading the console's files needs too,
 * keeps a core busy for a second or so and holds 128 MiB: at most 2 at once, and never all cores
 * (1 on a 2-core machine), so files and the event loop keep room; 8 more may wait. A burst beyond
 * that is refused at once instead of queueing for minutes while the console, which its operators
 * need most during an attack, stops loading.
 */
export const passwordHashes = new HashQueue(Math.min(2, Math.max(1, availableParallelism() - 1)), 8);

/** The queue is full: nothing was hashed; try again in a moment. */
export function passwordHashesBusy(): DomainError {
  return new DomainError('resource_exhausted', 'PASSWORD-HASH-BUSY', 'too many passwords are being hashed right now; try again shortly');
}

function takePlace(): QueuePlace {
  const taken = passwordHashes.enter();
  if (!taken) throw passwordHashesBusy();
  return taken;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await takePlace().run(() => scryptAsync(password, salt, KEY_LEN, { N, r, p, maxmem: MAXMEM }));
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/**
 * Checks a password against its stored hash, in `place`: one the caller already took in
 * passwordHashes (so that it can count the attempt first), or else one taken now.
 */
export async function verifyPassword(password: string, stored: string, place?: QueuePlace): Promise<boolean> {
  const at = place ?? takePlace();
  const [scheme, n, rr, pp, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !rr || !pp || !salt || !hash) return at.run(async () => false);
  const expected = Buffer.from(hash, 'base64url');
  const key = await at.run(() =>
    scryptAsync(password, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(rr), p: Number(pp), maxmem: MAXMEM }),
  );
  return timingSafeEqual(key, expected);
}

/** A strong random password for the first administrator: 24 characters from [A-Za-z0-9]. */
export function generatePassword(length = 24): string {
  return randomAlphanumeric(length);
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Uniform random [A-Za-z0-9] string (rejection sampling, no modulo bias). */
export function randomAlphanumeric(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      if (b < 248 && out.length < length) out += ALPHANUMERIC[b % 62];
    }
  }
  return out;
}
