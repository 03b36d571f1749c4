import { createHash } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { LRUCache } from 'lru-cache';
import { SingleFlight } from '../cache/single-flight';
import { sessionTagsOf } from './session-tags';

/** Credentials of one tenant's STS session. */
export interface TenantCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

/** The AWS clients of one tenant: every call they make is signed with that tenant's session. */
export interface TenantClients {
  readonly dynamo: DynamoDBClient;
  readonly kms: KMSClient;
  readonly s3: S3Client;
}

/** A tenant session could not be started: the request is answered 503, never served on the function's own role. */
export class TenantSessionError extends Error {
  public readonly status = 503;
  constructor(tenant: string, cause: unknown) {
    const why = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(`No STS session for tenant ${JSON.stringify(tenant.slice(0, 40))}: ${why}`, { cause });
    this.name = 'TenantSessionError';
  }
}

/** Props of {@link TenantSessions}. */
export interface TenantSessionsProps {
  /** ARN of the tenant-access role (`TenantAccessRole`). */
  readonly roleArn: string;
  /** The STS client: regional, so it goes through the realm's STS interface endpoint. @default a `STSClient` for the function's region */
  readonly sts?: STSClient;
  /** The region of the tenant clients. @default - the function's region */
  readonly region?: string;
  /** Endpoint of the tenant clients, for a local server (dynalite in benchmarks). @default - the service's regional endpoint */
  readonly endpoint?: string;
  /**
   * How long before expiry a session is replaced. Longer than the longest presigned URL (15 min),
   * so a URL signed with a cached session never outlives it.
   * @default 16 minutes
   */
  readonly refreshBeforeMs?: number;
  /** Session length asked of STS, in seconds (the role allows up to 1 hour). @default 3600 */
  readonly durationSeconds?: number;
  /** Most tenants whose sessions and clients are kept (least recently used go first). @default 1000 */
  readonly max?: number;
  /** The clock, in epoch milliseconds. @default Date.now */
  readonly now?: () => number;
}

interface Entry {
  credentials?: TenantCredentials;
  clients?: TenantClients;
}

/**
 * Tenant-scoped STS sessions: `AssumeRole` of the tenant-access role with the session tags of
 * {@link sessionTagsOf}, cached per tenant until `refreshBeforeMs` before expiry, and per-tenant
 * AWS clients signed with them. Concurrent requests of one tenant share one `AssumeRole`.
 */
export class TenantSessions {
  private readonly sts: STSClient;
  private readonly refreshBeforeMs: number;
  private readonly durationSeconds: number;
  private readonly now: () => number;
  private readonly entries: LRUCache<string, Entry>;
  private readonly loads = new SingleFlight<string, TenantCredentials>();

  constructor(private readonly props: TenantSessionsProps) {
    if (typeof props?.roleArn !== 'string' || !props.roleArn.startsWith('arn:')) {
      throw new TypeError(`TenantSessions needs the tenant-access role's ARN, got ${JSON.stringify(props?.roleArn)}`);
    }
    this.refreshBeforeMs = props.refreshBeforeMs ?? 16 * 60 * 1000;
    this.durationSeconds = props.durationSeconds ?? 3600;
    const max = props.max ?? 1000;
    if (!(this.refreshBeforeMs >= 0) || !(this.durationSeconds * 1000 > this.refreshBeforeMs) || !Number.isInteger(max) || max < 1) {
      throw new RangeError(`TenantSessions needs refreshBeforeMs >= 0 below durationSeconds, and an integer max >= 1; got ${this.refreshBeforeMs} ms, ${this.durationSeconds} s, max ${max}`);
    }
    this.sts = props.sts ?? new STSClient({});
    this.now = props.now ?? Date.now;
    this.entries = new LRUCache<string, Entry>({ max });
  }

  /**
   * The tenant's session credentials, from the cache while more than `refreshBeforeMs` remain.
   * @throws TenantSessionError when STS refuses or fails (or the id cannot be a session tag)
   */
  public async credentialsFor(tenant: string): Promise<TenantCredentials> {
    const entry = this.entries.get(tenant);
    if (entry?.credentials && entry.credentials.expiration.getTime() - this.now() > this.refreshBeforeMs) return entry.credentials;
    const credentials = await this.loads.run(tenant, () => this.assume(tenant));
    const current = this.entries.get(tenant) ?? {};
    current.credentials = credentials;
    this.entries.set(tenant, current);
    return credentials;
  }

  /**
   * The tenant's clients, once its session is live: a failure to start one throws here, before any data call.
   * @throws TenantSessionError
   */
  public async clientsFor(tenant: string): Promise<TenantClients> {
    await this.credentialsFor(tenant);
    const entry = this.entries.get(tenant)!;
    if (!entry.clients) {
      // The SDK asks this provider again as its copy nears expiry; the cache answers until refresh time.
      const config = { region: this.props.region, ...(this.props.endpoint ? { endpoint: this.props.endpoint } : {}), credentials: () => this.credentialsFor(tenant) };
      entry.clients = { dynamo: new DynamoDBClient(config), kms: new KMSClient(config), s3: new S3Client(config) };
    }
    return entry.clients;
  }

  private async assume(tenant: string): Promise<TenantCredentials> {
    try {
      const out = await this.sts.send(
        new AssumeRoleCommand({
          RoleArn: this.props.roleArn,
          // Session names allow [\w+=,.@-] up to 64: a digest names the tenant in CloudTrail without its id's characters.
          RoleSessionName: `tenant-${createHash('sha256').update(tenant).digest('hex').slice(0, 32)}`,
          Tags: sessionTagsOf(tenant),
          DurationSeconds: this.durationSeconds,
        }),
      );
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) throw new Error('AssumeRole returned no credentials');
      return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: new Date(c.Expiration) };
    } catch (err) {
      throw new TenantSessionError(tenant, err);
    }
  }
}
