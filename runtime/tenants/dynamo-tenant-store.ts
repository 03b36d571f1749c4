import { randomBytes, randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KeySource, open, seal, SealedValueError } from '../crypto';
import { checkId, checkInstallPayload, claimsOf, heldClaims, installationIdClaim, installationOf, secretAad } from './item-keys';
import { SealedTenantData } from './sealed-tenant-data';
import { ForgeInstallation, InstallPayload, LiveTenant, Tenant, TenantConflictError } from './tenant';
import { TenantKey, TenantKeyring } from './tenant-keyring';
import { UnknownTenants } from './unknown-tenants';
import { tenantObjectPrefix } from '../migration/object-store';
import type { ObjectPurger } from '../objects/object-purge';
import { TenantData, TenantStore } from './tenant-store';
import { RecordItem, TenantTable } from './tenant-table';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Days an uninstalled tenant's record outlives its shred time (its key's TTL): the realm's
 * scheduled sweep (`sweepRealm`) finds it there and deletes the tenant's objects and items.
 */
export const RECORD_KEPT_DAYS = 7;

/** Props of {@link DynamoTenantStore}. */
export interface DynamoTenantStoreProps {
  /** DynamoDB client in the realm's region. */
  readonly client: DynamoDBClient;
  /** The tenant table (the `TenantStore` construct's table). */
  readonly tableName: string;
  /** Wraps and unwraps the tenants' data keys (KMS with the realm key in Lambda). */
  readonly keySource: KeySource;
  /** The app key (encryption context `app`). */
  readonly app: string;
  /** The realm of this stack (encryption context `realm`). */
  readonly realm: string;
  /**
   * Days an uninstalled tenant's data key is kept before DynamoDB TTL deletes it.
   * @default 30
   */
  readonly shredAfterDays?: number;
  /**
   * The clock, in epoch milliseconds.
   * @default Date.now
   */
  readonly now?: () => number;
  /**
   * Bounds of the per-tenant cache of unwrapped data keys (it saves KMS calls only: every
   * use re-reads the tenant's items, so an uninstall, a rotated secret or a shred made by
   * another function instance is seen at once).
   * @default { ttlMs: 300_000, max: 10_000 }
   */
  readonly cache?: { readonly ttlMs?: number; readonly max?: number };
  /**
   * Bounds of the memory of clientKeys with no record (`UnknownTenants`): a flood of tokens from
   * made-up issuers then costs one lookup per issuer every `ttlMs`, and each refusal takes a lookup's time.
   * An install in this process is seen at once; one made by another instance after at most `ttlMs`.
   * @default { ttlMs: 5_000, max: 10_000 }
   */
  readonly unknownTenants?: { readonly ttlMs?: number; readonly max?: number; readonly sleep?: (ms: number) => Promise<void> };
  /**
   * Deletes the tenant's objects (every version) on `shred`, and before a reinstall makes a new
   * data key, so a new installation never sees objects of a shredded one.
   * @default - objects are not touched
   */
  readonly objects?: ObjectPurger;
}

/**
 * The tenant store on one DynamoDB table. Each tenant has one data key (from the key
 * source, bound to app, realm and tenant) stored wrapped in its own item; the shared
 * secret and every data item are sealed with it, so deleting that one item crypto-shreds
 * the tenant. Uninstall gives the key item a DynamoDB TTL at the end of the grace period.
 */
export class DynamoTenantStore implements TenantStore {
  private readonly table: TenantTable;
  private readonly keySource: KeySource;
  private readonly keyring: TenantKeyring;
  private readonly shredAfterMs: number;
  private readonly now: () => number;
  private readonly unknown: UnknownTenants;
  private readonly objects: ObjectPurger | undefined;

  constructor(props: DynamoTenantStoreProps) {
    for (const field of ['tableName', 'app', 'realm'] as const) {
      if (typeof props[field] !== 'string' || props[field] === '') {
        throw new TypeError(`DynamoTenantStore needs a non-empty ${field}, got ${JSON.stringify(props[field])}`);
      }
    }
    const days = props.shredAfterDays ?? 30;
    if (!Number.isFinite(days) || days < 0) throw new RangeError(`shredAfterDays must be a number of days >= 0, got ${days}`);
    const ttlMs = props.cache?.ttlMs ?? 5 * 60 * 1000;
    const max = props.cache?.max ?? 10_000;
    if (!(ttlMs > 0) || !Number.isInteger(max) || max < 1) {
      throw new RangeError(`cache needs ttlMs > 0 and an integer max >= 1, got ttlMs ${ttlMs} and max ${max}`);
    }
    this.now = props.now ?? Date.now;
    this.shredAfterMs = days * DAY_MS;
    this.keySource = props.keySource;
    this.table = new TenantTable(props.client, props.tableName);
    this.keyring = new TenantKeyring({ table: this.table, keySource: props.keySource, app: props.app, realm: props.realm, now: this.now, ttlMs, max });
    this.objects = props.objects;
    const unknown = props.unknownTenants ?? {};
    this.unknown = new UnknownTenants({ ttlMs: unknown.ttlMs ?? 5_000, max: unknown.max ?? 10_000, now: this.now, ...(unknown.sleep ? { sleep: unknown.sleep } : {}) });
  }

  // dynalite, the DynamoDB server the tests run against, has no TransactWriteItems, so
  // install and uninstall write in an order where every prefix is a safe state and a
  // redelivered event finishes the job: a record never says installed while its key is
  // missing or carries a TTL, and its secret is always sealed with the key it names.
  public async install(payload: InstallPayload): Promise<Tenant> {
    return this.installClaiming(payload, true);
  }

  // `claimSite` false only for Forge installations: their id is vouched for by Forge's signed token and
  // one site holds many of them; a Connect install's installationId is the installer's word, so its site is claimed too.
  private async installClaiming(payload: InstallPayload, claimSite: boolean): Promise<Tenant> {
    checkInstallPayload(payload);
    const clientKey = payload.clientKey;
    this.unknown.forget(clientKey);
    const now = this.now();
    const installation = installationOf(payload);
    const previous = await this.table.getRecord(clientKey);
    const claims = claimSite ? claimsOf(payload) : [installation];
    const held = previous ? heldClaims(previous) : [];
    // 1. The claims first (installation and site): a refused install gives back what it took, so it has changed nothing.
    const taken: string[] = [];
    for (const claim of claims) {
      if (!(await this.table.claim(claim, clientKey, iso(now), Math.floor(now / 1000)))) {
        for (const t of taken) if (!held.includes(t)) await this.table.releaseClaim(t, clientKey);
        throw new TenantConflictError(clientKey, claim);
      }
      taken.push(claim);
    }
    // 2. A live key (a new one, or the old one with its shred cancelled) before 3. the record.
    const key = await this.ensureKey(clientKey, now);
    const stillInstalled = previous !== undefined && previous.state !== 'uninstalled';
    const record: RecordItem = {
      clientKey,
      baseUrl: payload.baseUrl,
      displayUrl: payload.displayUrl,
      productType: payload.productType,
      installationId: payload.installationId,
      // Connect resends `installed` on every app update; a disabled app stays disabled.
      state: previous?.state === 'disabled' ? 'disabled' : 'installed',
      installedAt: stillInstalled ? previous.installedAt : iso(now),
      installation,
      ...(claimSite ? {} : { siteClaimed: false }),
      kid: key.kid,
      secret: seal(payload.sharedSecret, key.plaintext, secretAad(clientKey, key.kid)),
    };
    await this.table.putRecord(record);
    // An uninstall racing this install may have set the key's TTL after step 2: undo it.
    const after = await this.table.getKey(clientKey);
    if (after?.kid === key.kid && after.expiresAt !== undefined) await this.table.setKeyExpiry(clientKey, key.kid, undefined);
    for (const claim of held) if (!claims.includes(claim)) await this.table.releaseClaim(claim, clientKey);
    this.keyring.remember(clientKey, key);
    return toTenant(record);
  }

  public async installForge(installation: ForgeInstallation): Promise<Tenant> {
    const installationId = checkId('clientKey', installation?.installationId);
    const holder = await this.tenantOfInstallation(installationId);
    const held = holder !== undefined && holder !== installationId ? await this.get(holder) : undefined;
    if (held && held.state !== 'uninstalled') return held;
    // A Forge installation has no Connect secret; a random one that nobody holds keeps the
    // record's shape and opens no Connect route (only `sharedSecret` holders sign those).
    return this.installClaiming({ clientKey: installationId, installationId, baseUrl: installation.baseUrl, sharedSecret: randomBytes(32).toString('base64url') }, false);
  }

  public async tenantOfInstallation(installationId: string): Promise<string | undefined> {
    checkId('clientKey', installationId);
    const claim = await this.table.getClaim(installationIdClaim(installationId));
    if (!claim || (claim.expiresAt !== undefined && claim.expiresAt <= Math.floor(this.now() / 1000))) return undefined;
    return claim.clientKey;
  }

  public async uninstall(clientKey: string): Promise<void> {
    checkId('clientKey', clientKey);
    for (let attempt = 0; attempt < 2; attempt++) {
      const record = await this.table.getRecord(clientKey);
      if (!record) return;
      let expiresAt: number;
      if (record.state === 'uninstalled') {
        // A redelivery: finish the job with the shred time already chosen, never a later one.
        expiresAt = Math.ceil(Date.parse(record.shredAfter ?? iso(this.now())) / 1000);
      } else {
        const now = this.now();
        expiresAt = Math.ceil((now + this.shredAfterMs) / 1000);
        if (!(await this.table.markUninstalled(clientKey, iso(now), iso(expiresAt * 1000), expiresAt + RECORD_KEPT_DAYS * 86_400))) continue;
      }
      // The record says uninstalled before the key gets its TTL, so no installed tenant holds an expiring key.
      await this.table.setKeyExpiry(clientKey, record.kid, expiresAt);
      for (const claim of heldClaims(record)) await this.table.setClaimExpiry(claim, clientKey, expiresAt);
      this.forget(clientKey);
      // An install racing this uninstall may have rewritten the record after we marked it: it wins.
      const after = await this.table.getRecord(clientKey);
      if (after && after.state !== 'uninstalled') await this.table.setKeyExpiry(clientKey, after.kid, undefined);
      return;
    }
  }

  public async setEnabled(clientKey: string, enabled: boolean): Promise<void> {
    checkId('clientKey', clientKey);
    await this.table.setState(clientKey, enabled ? 'installed' : 'disabled');
  }

  public async get(clientKey: string): Promise<Tenant | undefined> {
    checkId('clientKey', clientKey);
    const record = await this.table.getRecord(clientKey);
    return record && toTenant(record);
  }

  public async sharedSecret(clientKey: string): Promise<string | undefined> {
    return (await this.liveTenant(clientKey))?.sharedSecret;
  }

  /**
   * The tenant's shared secret and base URL, read now, while it is installed or disabled and
   * its data key exists; otherwise `undefined`. An authenticator that verified a token with this
   * secret has read the tenant's live record for the request (`AuthContext.liveSite`).
   */
  public async liveTenant(clientKey: string): Promise<LiveTenant | undefined> {
    checkId('clientKey', clientKey);
    // Read on every call, never cached: a warm instance must not accept a secret that an
    // uninstall, a reinstall with a new secret or a shred elsewhere has just revoked. Only
    // "no record at all" is remembered, briefly, and answered in a lookup's time.
    if (await this.unknown.refusedFromMemory(clientKey)) return undefined;
    const [record, key] = await this.unknown.lookup(clientKey, () => Promise.all([this.table.getRecord(clientKey), this.keyring.current(clientKey)]), ([r]) => r === undefined);
    if (!record || record.state === 'uninstalled') return undefined;
    // No key, or a key of another generation than the secret's: the secret was shredded.
    if (!key || key.kid !== record.kid) return undefined;
    try {
      return { sharedSecret: Buffer.from(open(record.secret, key.plaintext, secretAad(clientKey, key.kid))).toString('utf8'), baseUrl: record.baseUrl };
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new SealedValueError(`The shared secret of tenant "${clientKey}" did not open (${reason})`);
    }
  }

  public async shred(clientKey: string): Promise<void> {
    checkId('clientKey', clientKey);
    const record = await this.table.getRecord(clientKey);
    // The key first: from here every sealed value of the tenant (secret, items) is unreadable, whatever fails next.
    await this.table.deleteKey(clientKey);
    this.forget(clientKey);
    if (this.objects) await this.objects.purge(tenantObjectPrefix(clientKey));
    for await (const item of this.table.queryData(clientKey)) await this.table.deleteData(clientKey, item.id);
    if (record && record.state === 'uninstalled') {
      for (const claim of heldClaims(record)) await this.table.releaseClaim(claim, clientKey);
      // Recorded last: an interrupted shred is found again by the sweep and run again (every step is idempotent).
      await this.table.markShredded(clientKey, iso(this.now()));
    }
  }

  public dataFor(clientKey: string): TenantData {
    checkId('clientKey', clientKey);
    return new SealedTenantData(clientKey, this.table, this.keyring, this.now);
  }

  public async admitObjectWrite(clientKey: string, uploadsUntil?: number): Promise<void> {
    checkId('clientKey', clientKey);
    // The upload's expiry first: a freeze after it then sees it; a freeze before it refuses the write below.
    if (uploadsUntil !== undefined) await this.table.noteUploads(clientKey, uploadsUntil);
    await this.table.admitWrite(clientKey);
  }

  /** The tenant's live data key: the stored one with any shred cancelled, or a new one. */
  private async ensureKey(clientKey: string, now: number): Promise<TenantKey> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const item = await this.table.getKey(clientKey);
      if (item && !this.keyring.isExpired(item)) {
        if (item.expiresAt !== undefined && !(await this.table.setKeyExpiry(clientKey, item.kid, undefined))) continue;
        return this.keyring.unwrap(clientKey, item);
      }
      // A first install, or a reinstall after the old key was shredded (or is past its TTL): objects
      // are not sealed with the key, so a shredded installation's objects go before the new key comes.
      if (this.objects) await this.objects.purge(tenantObjectPrefix(clientKey));
      const dataKey = await this.keySource.generateDataKey(this.keyring.contextOf(clientKey));
      const key: TenantKey = { plaintext: dataKey.plaintext, kid: randomUUID() };
      if (await this.table.putKey(clientKey, { wrappedKey: dataKey.wrapped, kid: key.kid, createdAt: iso(now) }, item?.kid)) {
        await this.dropOtherGenerations(clientKey, key.kid);
        return key;
      }
      // Another delivery of this install wrote a key first: use that one.
    }
    throw new Error(`The data key of tenant "${clientKey}" kept changing during install; retry the install`);
  }

  /** Deletes data items sealed under a shredded key generation (best effort: they read as absent anyway). */
  private async dropOtherGenerations(clientKey: string, kid: string): Promise<void> {
    for await (const item of this.table.queryData(clientKey)) {
      if (item.kid !== kid) await this.table.deleteDataUnlessKid(clientKey, item.id, kid);
    }
  }

  private forget(clientKey: string): void {
    this.keyring.forget(clientKey);
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function toTenant(record: RecordItem): Tenant {
  const optional = (name: 'displayUrl' | 'productType' | 'installationId' | 'uninstalledAt' | 'shredAfter') =>
    record[name] === undefined ? {} : { [name]: record[name] };
  return {
    clientKey: record.clientKey,
    baseUrl: record.baseUrl,
    ...optional('displayUrl'),
    ...optional('productType'),
    ...optional('installationId'),
    state: record.state,
    installedAt: record.installedAt,
    ...optional('uninstalledAt'),
    ...optional('shredAfter'),
  };
}
