import type { AppContext } from '../context.js';
import { tooMany } from '../domain/errors.js';
import { passwordHashes, verifyPassword } from '../domain/passwords.js';

// A fixed, valid hash to verify against when the user does not exist, so timing does not tell.
const DUMMY_HASH = 'scrypt$131072$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/**
 * Checks a human's password, wherever one is asked for (sign-in, a password change), under one
 * throttle: the attempt is counted per (address, username) and per address before its hash starts
 * (about a second of scrypt; counted after it, every request arriving meanwhile would pass the check
 * too), a success gives its count back, and a request the full hash queue refuses is not counted.
 * `storedHash` runs once the attempt is admitted; undefined (no such user) costs the same hash.
 */
export async function checkPassword(
  ctx: AppContext,
  address: string,
  username: string,
  password: string,
  storedHash: () => Promise<string | undefined>,
): Promise<boolean> {
  // Checked and counted in one step: no other request can slip in between (security/attempt-gate.ts).
  const admission = await ctx.loginGate.enter(`${address}|${username.toLowerCase()}`, address);
  if (typeof admission === 'number') {
    ctx.metrics.throttled('signin');
    throw tooMany('SESSION-THROTTLED', `too many failed sign-ins; try again in ${admission} s`, admission);
  }
  const place = passwordHashes.enter();
  if (!place) {
    await admission.withdraw();
    throw tooMany('SESSION-BUSY', 'too many sign-ins are being checked right now; try again shortly', passwordHashes.retryAfterSeconds());
  }
  let hash: string | undefined;
  try {
    hash = await storedHash();
  } catch (err) {
    void place.run(async () => undefined); // give the place back
    throw err;
  }
  const ok = await verifyPassword(password, hash ?? DUMMY_HASH, place);
  // A success is not a failure: it gives back its count at the address and clears its own pair.
  if (ok && hash) await admission.succeeded();
  return ok && hash !== undefined;
}
