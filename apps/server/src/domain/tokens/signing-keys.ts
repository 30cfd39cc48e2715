import { inTransaction, type Db } from '../../storage/db.js';
import { fromRow, generateSigningKey, toRow, type PublicJwk, type SigningAlg, type SigningKey, type SigningKeyRow } from './key-material.js';

/**
 * How long past "retired + token lifetime" a key stays published: covers a running server that
 * has not yet noticed a rotation made by the CLI (it re-reads keys every REFRESH_MS) and clock skew.
 */
export const PUBLISH_GRACE_SECONDS = 300;
const REFRESH_MS = 30_000;

const nowSeconds = () => Math.floor(Date.now() / 1000);

export interface RotationResult {
  kid: string;
  alg: SigningAlg;
  retired: string[];
  pruned: string[];
}

/**
 * Makes a new signing key the active one. The previous key is retired, not deleted: it stays
 * published (and accepted) until the last token it signed has expired.
 */
export function rotateSigningKey(db: Db, alg: SigningAlg, lifetimeSeconds: number, now = nowSeconds()): RotationResult {
  const key = generateSigningKey(alg, now);
  return inTransaction(db, () => {
    const retired = db.prepare('SELECT kid FROM signing_keys WHERE retired_at IS NULL').pluck().all() as string[];
    db.prepare('UPDATE signing_keys SET retired_at = ? WHERE retired_at IS NULL').run(now);
    const r = toRow(key);
    db.prepare(
      'INSERT INTO signing_keys (kid, alg, private_jwk, public_jwk, created_at, retired_at) VALUES (?, ?, ?, ?, ?, NULL)',
    ).run(r.kid, r.alg, r.private_jwk, r.public_jwk, r.created_at);
    return { kid: key.kid, alg, retired, pruned: pruneSigningKeys(db, lifetimeSeconds, now) };
  });
}

/** Deletes retired keys whose every token has expired. */
export function pruneSigningKeys(db: Db, lifetimeSeconds: number, now = nowSeconds()): string[] {
  const cutoff = now - lifetimeSeconds - PUBLISH_GRACE_SECONDS;
  const gone = db.prepare('SELECT kid FROM signing_keys WHERE retired_at IS NOT NULL AND retired_at < ?').pluck().all(cutoff) as string[];
  db.prepare('DELETE FROM signing_keys WHERE retired_at IS NOT NULL AND retired_at < ?').run(cutoff);
  return gone;
}

/** First start, or a change of TESSERA_JWT_ALG: there must be an active key of the configured algorithm. */
export function ensureActiveSigningKey(db: Db, alg: SigningAlg, lifetimeSeconds: number): void {
  const active = db.prepare('SELECT alg FROM signing_keys WHERE retired_at IS NULL').pluck().all() as string[];
  if (active.length !== 1 || active[0] !== alg) rotateSigningKey(db, alg, lifetimeSeconds);
  else pruneSigningKeys(db, lifetimeSeconds);
}

/**
 * The signing keys in memory: the active one signs, every published one verifies. Re-read from
 * the database on a timer (never on a request), so a rotation by the CLI reaches a running server.
 */
export class SigningKeys {
  #keys = new Map<string, SigningKey>();
  #active!: SigningKey;
  #fingerprint = '';
  readonly #timer: NodeJS.Timeout;
  readonly #selectAll;
  readonly #selectFingerprint;

  constructor(
    private readonly db: Db,
    private readonly alg: SigningAlg,
    private readonly lifetimeSeconds: number,
  ) {
    this.#selectAll = db.prepare('SELECT kid, alg, private_jwk, public_jwk, created_at, retired_at FROM signing_keys');
    this.#selectFingerprint = db.prepare('SELECT kid, retired_at FROM signing_keys');
    ensureActiveSigningKey(db, alg, lifetimeSeconds);
    this.reload();
    this.#timer = setInterval(() => this.refresh(), REFRESH_MS);
    this.#timer.unref();
  }

  get active(): SigningKey {
    return this.#active;
  }

  /** A key that may still verify tokens: the active one, or a retired one within its lifetime. */
  get(kid: string): SigningKey | undefined {
    const k = this.#keys.get(kid);
    return k && this.#published(k, nowSeconds()) ? k : undefined;
  }

  /** The JWKS document (RFC 7517): public parts only. */
  jwks(): { keys: PublicJwk[] } {
    const now = nowSeconds();
    return { keys: [...this.#keys.values()].filter((k) => this.#published(k, now)).map((k) => k.publicJwk) };
  }

  rotate(): RotationResult {
    const result = rotateSigningKey(this.db, this.alg, this.lifetimeSeconds);
    this.reload();
    return result;
  }

  /** Reloads when the table changed (a rotation elsewhere); cheap enough for a timer. */
  refresh(): void {
    try {
      const rows = this.#selectFingerprint.all() as Pick<SigningKeyRow, 'kid' | 'retired_at'>[];
      if (fingerprint(rows) !== this.#fingerprint) this.reload();
    } catch {
      // A closed database during shutdown: keep the keys we have.
    }
  }

  reload(): void {
    const rows = this.#selectAll.all() as SigningKeyRow[];
    const keys = new Map<string, SigningKey>();
    for (const r of rows) {
      const prev = this.#keys.get(r.kid);
      keys.set(r.kid, prev && prev.retiredAt === r.retired_at ? prev : fromRow(r));
    }
    const active = [...keys.values()].filter((k) => k.retiredAt === null).sort((a, b) => b.createdAt - a.createdAt)[0];
    if (!active) throw new Error('no active signing key');
    this.#keys = keys;
    this.#active = active;
    this.#fingerprint = fingerprint(rows);
  }

  close(): void {
    clearInterval(this.#timer);
  }

  #published(k: SigningKey, now: number): boolean {
    return k.retiredAt === null || k.retiredAt + this.lifetimeSeconds + PUBLISH_GRACE_SECONDS >= now;
  }
}

function fingerprint(rows: Pick<SigningKeyRow, 'kid' | 'retired_at'>[]): string {
  return rows
    .map((r) => `${r.kid}:${r.retired_at ?? ''}`)
    .sort()
    .join(',');
}
