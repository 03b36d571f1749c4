import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { LRUCache } from 'lru-cache';
import { SingleFlight } from '../cache/single-flight';

const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,256}$/;

/** Props of {@link AppSecrets}. */
export interface AppSecretsProps {
  /** Prefix of the secrets' names, `<appKey>/<realm>/`. */
  readonly prefix: string;
  /**
   * The Secrets Manager client.
   * @default a `SecretsManagerClient` for the function's region
   */
  readonly client?: SecretsManagerClient;
  /**
   * How long a value is reused before it is read again (a rotated secret is seen after at most this).
   * @default 300_000 (5 minutes)
   */
  readonly ttlMs?: number;
  /**
   * How many secrets are cached at most.
   * @default 100
   */
  readonly max?: number;
  /**
   * The clock, in epoch milliseconds.
   * @default Date.now
   */
  readonly now?: () => number;
}

/**
 * A secret that could not be read: missing, binary, or refused. The message names the
 * secret, never a value.
 */
export class AppSecretError extends Error {
  /** The secret's name, without the prefix. */
  public readonly secretName: string;

  constructor(secretName: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppSecretError';
    this.secretName = secretName;
  }
}

/**
 * The app's own secrets in Secrets Manager (`<prefix><name>`), as strings, cached for
 * `ttlMs` so a warm function does not call Secrets Manager per request; concurrent reads
 * of one secret share one call.
 */
export class AppSecrets {
  private readonly prefix: string;
  private readonly client: SecretsManagerClient;
  private readonly cache: LRUCache<string, string>;
  private readonly loading = new SingleFlight<string, string>();

  constructor(props: AppSecretsProps) {
    if (typeof props?.prefix !== 'string') throw new TypeError(`AppSecrets needs a prefix such as "<appKey>/<realm>/", got ${JSON.stringify(props?.prefix)}`);
    const ttl = props.ttlMs ?? 5 * 60 * 1000;
    const max = props.max ?? 100;
    if (!(ttl > 0) || !Number.isInteger(max) || max < 1) throw new RangeError(`AppSecrets needs ttlMs > 0 and an integer max >= 1, got ttlMs ${ttl} and max ${max}`);
    this.prefix = props.prefix;
    this.client = props.client ?? new SecretsManagerClient({});
    this.cache = new LRUCache<string, string>({ max, ttl, ttlResolution: 0, perf: { now: props.now ?? Date.now } });
  }

  /** The current value of secret `<prefix><name>`; an {@link AppSecretError} when it is missing or binary. */
  public async get(name: string): Promise<string> {
    if (typeof name !== 'string' || !SECRET_NAME.test(name)) {
      throw new TypeError(`A secret name is 1 to 256 of A-Z a-z 0-9 / _ + = . @ -, got ${JSON.stringify(String(name).slice(0, 80))}`);
    }
    const cached = this.cache.get(name);
    if (cached !== undefined) return cached;
    return this.loading.run(name, () => this.load(name));
  }

  private async load(name: string): Promise<string> {
    const secretId = this.prefix + name;
    let out;
    try {
      out = await this.client.send(new GetSecretValueCommand({ SecretId: secretId }));
    } catch (err) {
      const code = (err as { name?: string } | undefined)?.name ?? 'Error';
      const missing = code === 'ResourceNotFoundException';
      throw new AppSecretError(
        name,
        missing ? `App secret "${secretId}" does not exist (or has no current value)` : `App secret "${secretId}" could not be read (${code})`,
        { cause: err },
      );
    }
    if (typeof out.SecretString !== 'string') {
      throw new AppSecretError(name, `App secret "${secretId}" holds ${out.SecretBinary ? 'binary data' : 'no value'}; a string value is needed`);
    }
    this.cache.set(name, out.SecretString);
    return out.SecretString;
  }
}
