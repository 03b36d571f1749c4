/** Concurrent loads of one key share one promise; the entry goes as soon as the load settles. */
export class SingleFlight<K, V> {
  private readonly pending = new Map<K, Promise<V>>();

  /** The load already running for `key`, or a new one started with `load`. */
  public run(key: K, load: () => Promise<V>): Promise<V> {
    const running = this.pending.get(key);
    if (running) return running;
    const started = load().finally(() => {
      if (this.pending.get(key) === started) this.pending.delete(key);
    });
    this.pending.set(key, started);
    return started;
  }

  /** Lets the next {@link run} for `key` start afresh (an in-flight load still settles for its callers). */
  public forget(key: K): void {
    this.pending.delete(key);
  }
}
