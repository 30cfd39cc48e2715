import { dataVersionOf, type DataVersion } from '../../storage/data-version.js';
import { inTransaction, type Db } from '../../storage/db.js';
import { instanceKeys } from '../../storage/instance-keys.js';
import { truncateWal, withSecureDelete } from '../../storage/scrub.js';
import { fromRow, generateSigningKey, toRow, type PublicJwk, type PublishedKey, type SigningAlg, type SigningKey, type SigningKeyRow } from './key-material.js';

/**
 * How long past "retired + token lifetime" a key stays published: covers a server whose clock is
 * a little behind, and tokens signed in the instant between a rotation and its notice.
 */
export const PUBLISH_GRACE_SECONDS = 300;

const nowSeconds = () => Math.floor(Date.now() / 1000);

export interface RotationResult {
  kid: string;
  alg: SigningAlg;
  /** Keys that stopped signing but stay published until their last token expires. */
  retired: string[];
  /** Keys removed at once (retireNow): their tokens are refused from now on. */
  withdrawn: string[];
  /** Retired keys whose every token had expired, removed. */
  pruned: string[];
}

export interface RotateOptions {
  now?: number;
  /** The old keys stop verifying at once, for a key that may have leaked. */
  retireNow?: boolean;
}

/**
 * Makes a new signing key the active one. The previous key is retired: its private key is deleted
 * (verifying needs only the public key, so no later backup holds it) and its public key stays
 * published until the last token it signed has expired. With retireNow every other key is deleted
 * outright, so what it signed is refused at once.
 */
export function rotateSigningKey(db: Db, alg: SigningAlg, lifetimeSeconds: number, opts: RotateOptions = {}): RotationResult {
  const now = opts.now ?? nowSeconds();
  const key = generateSigningKey(alg, now);
  const r = toRow(key, (kid, jwk) => instanceKeys(db).sealSigningKey(kid, jwk));
  const result = withSecureDelete(db, () =>
    inTransaction(db, () => {
      const active = db.prepare('SELECT kid FROM signing_keys WHERE retired_at IS NULL').pluck().all() as string[];
      let withdrawn: string[] = [];
      if (opts.retireNow) {
        withdrawn = db.prepare('SELECT kid FROM signing_keys ORDER BY created_at').pluck().all() as string[];
        db.prepare('DELETE FROM signing_keys').run();
      } else {
        db.prepare('UPDATE signing_keys SET retired_at = ?, private_jwk = NULL WHERE retired_at IS NULL').run(now);
      }
      db.prepare(
        'INSERT INTO signing_keys (kid, alg, private_jwk, public_jwk, created_at, retired_at) VALUES (?, ?, ?, ?, ?, NULL)',
      ).run(r.kid, r.alg, r.private_jwk, r.public_jwk, r.created_at);
      const retired = opts.retireNow ? [] : active;
      return { kid: key.kid, alg, retired, withdrawn, pruned: pruneSigningKeys(db, lifetimeSeconds, now) };
    }),
  );
  truncateWal(db);
  return result;
}

/** Deletes retired keys whose every token has expired. */
export function pruneSigningKeys(db: Db, lifetimeSeconds: number, now = nowSeconds()): string[] {
  const cutoff = now - lifetimeSeconds - PUBLISH_GRACE_SECONDS;
  const gone = db.prepare('SELECT kid FROM signing_keys WHERE retired_at IS NOT NULL AND retired_at < ?').pluck().all(cutoff) as string[];
  if (gone.length) db.prepare('DELETE FROM signing_keys WHERE retired_at IS NOT NULL AND retired_at < ?').run(cutoff);
  return gone;
}

/** First start, or a change of TESSERA_JWT_ALG: there must be an active key of the configured algorithm. */
export function ensureActiveSigningKey(db: Db, alg: SigningAlg, lifetimeSeconds: number): void {
  const active = db.prepare('SELECT alg FROM signing_keys WHERE retired_at IS NULL').pluck().all() as string[];
  if (active.length !== 1 || active[0] !== alg) rotateSigningKey(db, alg, lifetimeSeconds);
  else pruneSigningKeys(db, lifetimeSeconds);
}

/**
 * The signing keys in memory: the active one signs, every published one verifies. Re-read when
 * the signing_keys rows changed, which is looked for on each use against the connection's data
 * version: a rotation by the CLI (another process) is seen within 0.1 s (storage/data-version.ts),
 * one by this process at once.
 */
export class SigningKeys {
  #keys = new Map<string, PublishedKey>();
  #active!: SigningKey;
  #fingerprint = '';
  #seenVersion = -1;
  readonly #version: DataVersion;
  readonly #selectAll;
  readonly #selectFingerprint;

  constructor(
    private readonly db: Db,
    private readonly alg: SigningAlg,
    private readonly lifetimeSeconds: number,
  ) {
    this.#selectAll = db.prepare('SELECT kid, alg, private_jwk, public_jwk, created_at, retired_at FROM signing_keys');
    this.#selectFingerprint = db.prepare('SELECT kid, retired_at FROM signing_keys');
    this.#version = dataVersionOf(db);
    ensureActiveSigningKey(db, alg, lifetimeSeconds);
    this.reload();
  }

  get active(): SigningKey {
    this.#maybeRefresh();
    return this.#active;
  }

  /** A key that may still verify tokens: the active one, or a retired one within its lifetime. */
  get(kid: string): PublishedKey | undefined {
    this.#maybeRefresh();
    const k = this.#keys.get(kid);
    return k && this.#published(k, nowSeconds()) ? k : undefined;
  }

  /** The JWKS document (RFC 7517): public parts only. */
  jwks(): { keys: PublicJwk[] } {
    this.#maybeRefresh();
    const now = nowSeconds();
    return { keys: [...this.#keys.values()].filter((k) => this.#published(k, now)).map((k) => k.publicJwk) };
  }

  rotate(opts: Omit<RotateOptions, 'now'> = {}): RotationResult {
    const result = rotateSigningKey(this.db, this.alg, this.lifetimeSeconds, opts);
    this.reload();
    return result;
  }

  /** Reloads when the table changed (a rotation elsewhere). */
  refresh(): void {
    try {
      const rows = this.#selectFingerprint.all() as Pick<SigningKeyRow, 'kid' | 'retired_at'>[];
      if (fingerprint(rows) !== this.#fingerprint) this.reload();
    } catch {
      // A closed database during shutdown, or a key this process cannot open: keep the keys we have.
    }
  }

  reload(): void {
    const rows = this.#selectAll.all() as SigningKeyRow[];
    const keys = new Map<string, PublishedKey>();
    const open = (kid: string, stored: string) => instanceKeys(this.db).openSigningKey(kid, stored);
    for (const r of rows) {
      const prev = this.#keys.get(r.kid);
      keys.set(r.kid, prev && prev.retiredAt === r.retired_at ? prev : fromRow(r, open));
    }
    const active = [...keys.values()]
      .filter((k): k is SigningKey => k.retiredAt === null && 'privateKey' in k)
      .sort((a, b) => b.createdAt - a.createdAt)[0];
    if (!active) throw new Error('no active signing key');
    this.#keys = keys;
    this.#active = active;
    this.#fingerprint = fingerprint(rows);
  }

  close(): void {
    // Nothing to stop: keys are re-read on use, not on a timer.
  }

  #maybeRefresh(): void {
    const v = this.#version.current();
    if (v === this.#seenVersion) return;
    this.#seenVersion = v;
    this.refresh();
  }

  #published(k: PublishedKey, now: number): boolean {
    return k.retiredAt === null || k.retiredAt + this.lifetimeSeconds + PUBLISH_GRACE_SECONDS >= now;
  }
}

function fingerprint(rows: Pick<SigningKeyRow, 'kid' | 'retired_at'>[]): string {
  return rows
    .map((r) => `${r.kid}:${r.retired_at ?? ''}`)
    .sort()
    .join(',');
}
