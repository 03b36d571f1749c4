import { performance } from 'node:perf_hooks';
import { LRUCache } from 'lru-cache';

/** Bounds of {@link UnknownTenants}. */
export interface UnknownTenantsProps {
  /** How long a clientKey without a record is remembered. */
  readonly ttlMs: number;
  /** Most clientKeys remembered (least recently used go first). */
  readonly max: number;
  /** The clock of the entries' lifetimes, in epoch milliseconds. */
  readonly now: () => number;
  /** Waits `ms` milliseconds. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

// Durations of the last lookups, one of which a remembered refusal waits out.
const SAMPLES = 32;

/**
 * ClientKeys that have no tenant record, remembered briefly so a flood of tokens from made-up
 * issuers costs one table lookup per issuer and lifetime, not one per token. A remembered
 * refusal waits as long as a recent lookup took (one picked at random from the last 32), so it
 * answers in the time a lookup of a known tenant takes: how fast a refusal comes says nothing
 * about which clientKeys exist. Only absent records are remembered (never an uninstalled one,
 * whose reinstall elsewhere must be seen at once), and an install in this process forgets the
 * clientKey at once; an install made by another instance is seen after at most `ttlMs`.
 */
export class UnknownTenants {
  private readonly unknown: LRUCache<string, true>;
  private readonly durations: number[] = [];
  private next = 0;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(props: UnknownTenantsProps) {
    if (!(props.ttlMs > 0) || !Number.isInteger(props.max) || props.max < 1) {
      throw new RangeError(`unknownTenants needs ttlMs > 0 and an integer max >= 1, got ttlMs ${props.ttlMs} and max ${props.max}`);
    }
    this.unknown = new LRUCache<string, true>({ max: props.max, ttl: props.ttlMs, ttlResolution: 0, perf: { now: props.now } });
    this.sleep = props.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Whether the clientKey is remembered as having no record; if so, resolves after a lookup's time. */
  public async refusedFromMemory(clientKey: string): Promise<boolean> {
    if (!this.unknown.has(clientKey)) return false;
    const samples = this.durations.length;
    await this.sleep(samples === 0 ? 0 : this.durations[Math.floor(Math.random() * samples)]!);
    return true;
  }

  /** Runs a lookup, timing it, and remembers the clientKey when `absent(result)`. */
  public async lookup<T>(clientKey: string, run: () => Promise<T>, absent: (result: T) => boolean): Promise<T> {
    const started = performance.now();
    const result = await run();
    this.durations[this.next] = performance.now() - started;
    this.next = (this.next + 1) % SAMPLES;
    if (absent(result)) this.unknown.set(clientKey, true);
    return result;
  }

  /** Forgets the clientKey (an install in this process). */
  public forget(clientKey: string): void {
    this.unknown.delete(clientKey);
  }
}
