import type { InstanceKeys } from '../../storage/instance-keys.js';
import type { Sql, Storage } from '../../storage/port.js';
import { scrubbed } from '../../storage/scrub.js';
import { VersionFollower } from '../../storage/version-follower.js';
import { fromRow, generateSigningKey, toRow, type PublicJwk, type PublishedKey, type SigningAlg, type SigningKey, type SigningKeyRow } from './key-material.js';

/**
 * How long past "retired + token lifetime" a key stays published: covers a server whose clock is
 * a little behind, and tokens signed in the instant between a rotation and its notice.
 */
export const PUBLISH_GRACE_SECONDS = 300;

/**
 * How long a rotated-in key is published before it signs: more than the time a change takes to
 * reach every node (SECURITY.md: p99 tens of ms, at worst about a second), so every node's JWKS
 * serves the new key before any token signed with it exists.
 */
export const SIGNING_KEY_STAGE_SECONDS = 2;

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
  /**
   * Publish the new key now and let it sign this many seconds later; the old key signs until then
   * and is retired at that moment (SIGNING_KEY_STAGE_SECONDS for rotations while nodes serve).
   */
  stageSeconds?: number;
  /** The old keys stop verifying at once, for a key that may have leaked. */
  retireNow?: boolean;
}

/**
 * Makes a new signing key the active one. The previous key is retired: its private key is deleted
 * (verifying needs only the public key, so no later backup holds it) and its public key stays
 * published until the last token it signed has expired. With retireNow every other key is deleted
 * outright, so what it signed is refused at once.
 */
export function rotateSigningKey(
  storage: Storage,
  instanceKeys: InstanceKeys,
  alg: SigningAlg,
  lifetimeSeconds: number,
  opts: RotateOptions = {},
): Promise<RotationResult> {
  return scrubbed(storage, () => storage.command((tx) => rotateIn(tx, instanceKeys, alg, lifetimeSeconds, opts)));
}

async function rotateIn(tx: Sql, instanceKeys: InstanceKeys, alg: SigningAlg, lifetimeSeconds: number, opts: RotateOptions): Promise<RotationResult> {
  const now = opts.now ?? nowSeconds();
  // The new key signs from this moment; until then it is published only, and the old one still signs.
  const activation = now + (opts.retireNow ? 0 : (opts.stageSeconds ?? 0));
  const key = generateSigningKey(alg, activation);
  const r = toRow(key, (kid, jwk) => instanceKeys.sealSigningKey(kid, jwk));
  // The active row is locked, so two nodes rotating at once take turns.
  const active = (await tx.all<{ kid: string }>(`SELECT kid FROM signing_keys WHERE retired_at IS NULL${tx.engine === 'pg' ? ' FOR UPDATE' : ''}`)).map(
    (k) => k.kid,
  );
  let withdrawn: string[] = [];
  if (opts.retireNow) {
    withdrawn = (await tx.all<{ kid: string }>('SELECT kid FROM signing_keys ORDER BY created_at')).map((k) => k.kid);
    await tx.run('DELETE FROM signing_keys');
  } else {
    await tx.run(`UPDATE signing_keys SET retired_at = ?${activation > now ? '' : ', private_jwk = NULL'} WHERE retired_at IS NULL`, [activation]);
  }
  await tx.run('INSERT INTO signing_keys (kid, alg, private_jwk, public_jwk, created_at, retired_at) VALUES (?, ?, ?, ?, ?, NULL)', [
    r.kid,
    r.alg,
    r.private_jwk,
    r.public_jwk,
    r.created_at,
  ]);
  const retired = opts.retireNow ? [] : active;
  return { kid: key.kid, alg, retired, withdrawn, pruned: await pruneSigningKeys(tx, lifetimeSeconds, now) };
}

/** Deletes the private keys of keys whose retirement has come, and retired keys whose every token has expired. */
export async function pruneSigningKeys(tx: Sql, lifetimeSeconds: number, now = nowSeconds()): Promise<string[]> {
  await tx.run('UPDATE signing_keys SET private_jwk = NULL WHERE retired_at IS NOT NULL AND retired_at <= ? AND private_jwk IS NOT NULL', [now]);
  const cutoff = now - lifetimeSeconds - PUBLISH_GRACE_SECONDS;
  const gone = (await tx.all<{ kid: string }>('SELECT kid FROM signing_keys WHERE retired_at IS NOT NULL AND retired_at < ?', [cutoff])).map((k) => k.kid);
  if (gone.length) await tx.run('DELETE FROM signing_keys WHERE retired_at IS NOT NULL AND retired_at < ?', [cutoff]);
  return gone;
}

/**
 * First start, or a change of TESSERA_JWT_ALG: there must be an active key of the configured
 * algorithm. Checked again inside the command, so nodes starting together make one key.
 */
export async function ensureActiveSigningKey(storage: Storage, instanceKeys: InstanceKeys, alg: SigningAlg, lifetimeSeconds: number): Promise<void> {
  const fine = async (sql: Sql) => {
    const active = await sql.all<{ alg: string }>('SELECT alg FROM signing_keys WHERE retired_at IS NULL');
    return active.length === 1 && active[0]!.alg === alg;
  };
  if (await fine(storage)) {
    await storage.command((tx) => pruneSigningKeys(tx, lifetimeSeconds));
    return;
  }
  await scrubbed(storage, () =>
    storage.command(async (tx) => {
      if (tx.engine === 'pg') await tx.run('LOCK TABLE signing_keys IN EXCLUSIVE MODE');
      if (!(await fine(tx))) await rotateIn(tx, instanceKeys, alg, lifetimeSeconds, {});
    }),
  );
}

/** Unknown kids re-read the keys at most this often, so made-up kids cannot turn into a read each. */
const UNKNOWN_KID_COOLDOWN_MS = 1_000;

/**
 * The signing keys in memory: the active one signs, every published one verifies. Re-read (in the
 * background) once the database's change version moved and the signing_keys rows differ: a
 * rotation by this process shows at once, one by the CLI or another node within about a second. A
 * token whose kid is not known yet makes its check wait for one re-read (find).
 */
export class SigningKeys {
  #keys = new Map<string, PublishedKey>();
  #fingerprint = '';
  readonly #timer: NodeJS.Timeout;
  readonly #follower: VersionFollower;
  #lastForced = 0;

  private constructor(
    private readonly storage: Storage,
    private readonly instanceKeys: InstanceKeys,
    private readonly alg: SigningAlg,
    private readonly lifetimeSeconds: number,
  ) {
    this.#follower = new VersionFollower(storage.version, () => this.#reread());
    // A key whose retirement has come (a staged rotation's predecessor) loses its private key.
    this.#timer = setInterval(() => void this.#retireDue().catch(() => undefined), 1_000);
    this.#timer.unref();
  }

  static async open(storage: Storage, instanceKeys: InstanceKeys, alg: SigningAlg, lifetimeSeconds: number): Promise<SigningKeys> {
    const keys = new SigningKeys(storage, instanceKeys, alg, lifetimeSeconds);
    await ensureActiveSigningKey(storage, instanceKeys, alg, lifetimeSeconds);
    await keys.reload();
    return keys;
  }

  /** The newest key that may sign now: created (activated) already, not yet retired. */
  get active(): SigningKey {
    this.#follow();
    const now = nowSeconds();
    let best: SigningKey | undefined;
    for (const k of this.#keys.values()) {
      if (!('privateKey' in k) || k.createdAt > now || (k.retiredAt !== null && k.retiredAt <= now)) continue;
      if (!best || k.createdAt > best.createdAt) best = k as SigningKey;
    }
    if (!best) throw new Error('no active signing key');
    return best;
  }

  /** A key that may still verify tokens: the active one, or a retired one within its lifetime. */
  get(kid: string): PublishedKey | undefined {
    this.#follow();
    const k = this.#keys.get(kid);
    return k && this.#published(k, nowSeconds()) ? k : undefined;
  }

  /** As get(); a kid not known here yet (made on another node a moment ago) waits for one re-read. */
  async find(kid: string): Promise<PublishedKey | undefined> {
    const known = this.get(kid);
    if (known || this.#keys.has(kid) || Date.now() - this.#lastForced < UNKNOWN_KID_COOLDOWN_MS) return known;
    this.#lastForced = Date.now();
    await this.refresh();
    return this.get(kid);
  }

  /** The JWKS document (RFC 7517): public parts only. */
  jwks(): { keys: PublicJwk[] } {
    this.#follow();
    const now = nowSeconds();
    return { keys: [...this.#keys.values()].filter((k) => this.#published(k, now)).map((k) => k.publicJwk) };
  }

  async rotate(opts: Omit<RotateOptions, 'now'> = {}): Promise<RotationResult> {
    const result = await rotateSigningKey(this.storage, this.instanceKeys, this.alg, this.lifetimeSeconds, opts);
    await this.reload();
    return result;
  }

  /** The keys of the database as of now, re-read first if it changed (VersionFollower.fresh). */
  fresh(): Promise<void> {
    return this.#follower.fresh();
  }

  /** Reloads when the table changed (a rotation elsewhere). */
  refresh(): Promise<void> {
    return this.#follower.refresh();
  }

  async #reread(): Promise<boolean> {
    try {
      const rows = await this.storage.all<Pick<SigningKeyRow, 'kid' | 'retired_at'>>('SELECT kid, retired_at FROM signing_keys');
      if (fingerprint(rows) !== this.#fingerprint) await this.reload();
      return true;
    } catch {
      // An unreachable database, or a key this process cannot open: keep the keys we have.
      return false;
    }
  }

  async reload(): Promise<void> {
    const rows = await this.storage.all<SigningKeyRow>('SELECT kid, alg, private_jwk, public_jwk, created_at, retired_at FROM signing_keys');
    const keys = new Map<string, PublishedKey>();
    const open = (kid: string, stored: string) => this.instanceKeys.openSigningKey(kid, stored);
    for (const r of rows) {
      const prev = this.#keys.get(r.kid);
      keys.set(r.kid, prev && prev.retiredAt === r.retired_at ? prev : fromRow(r, open));
    }
    if (![...keys.values()].some((k) => k.retiredAt === null && 'privateKey' in k)) throw new Error('no active signing key');
    this.#keys = keys;
    this.#fingerprint = fingerprint(rows);
  }

  close(): void {
    clearInterval(this.#timer);
  }

  async #retireDue(): Promise<void> {
    const now = nowSeconds();
    const due = [...this.#keys.values()].some((k) => 'privateKey' in k && k.retiredAt !== null && k.retiredAt <= now);
    if (!due) return;
    await scrubbed(this.storage, () => this.storage.command((tx) => pruneSigningKeys(tx, this.lifetimeSeconds, now)));
    await this.reload();
  }

  #follow(): void {
    this.#follower.follow();
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
