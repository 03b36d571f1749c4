import type { LambdaClient } from '@aws-sdk/client-lambda';
import { InvokedFunction } from '../lambda/invoke-function';
import { realmCode } from './bucket-records';
import type { BucketRange } from './bucket-range';
import type { DirectoryKeySource } from './directory-key';
import type { ReconcilingDirectory } from './directory-request';
import type { ReconcileResult, SlotRequest } from './slot-request';
import { slotString } from './slot-request';
import { TenantSlot, assertDirectoryKey, tenantSlot } from './tenant-slot';

/** Props of {@link HashedFunctionDirectory}. */
export interface HashedFunctionDirectoryProps {
  /** The name or ARN of the edge's directory writer (one running {@link slotRequestHandler}). */
  readonly functionName: string;
  /** The directory key, such as {@link secretsManagerDirectoryKey} of the edge's secret. */
  readonly directoryKey: DirectoryKeySource;
  /**
   * The Lambda client.
   * @default a `LambdaClient` in the region of `functionName` when it is an ARN
   */
  readonly client?: LambdaClient;
}

/**
 * A {@link TenantDirectory} that hashes each tenant id here, inside its realm, and sends the
 * edge's writer only the tenant's slot (bucket and fingerprint) and a realm name, so no
 * tenant id leaves its jurisdiction. A realm's relay runs on it.
 */
export class HashedFunctionDirectory implements ReconcilingDirectory {
  private readonly fn: InvokedFunction;
  private readonly source: DirectoryKeySource;

  constructor(props: HashedFunctionDirectoryProps) {
    this.fn = new InvokedFunction('tenant directory writer', props?.functionName, props?.client);
    this.source = props.directoryKey;
  }

  /** {@inheritDoc TenantDirectory.setRealm} */
  public async setRealm(tenantId: string, realm: string): Promise<void> {
    realmCode(realm);
    await this.invoke({ action: 'setRealm', ...(await this.slot(tenantId)), realm });
  }

  /** {@inheritDoc TenantDirectory.remove} */
  public async remove(tenantId: string): Promise<void> {
    await this.invoke({ action: 'remove', ...(await this.slot(tenantId)) });
  }

  /** {@inheritDoc TenantDirectory.realmOf} */
  public async realmOf(tenantId: string): Promise<string | undefined> {
    const { realm } = (await this.invoke({ action: 'realmOf', ...(await this.slot(tenantId)) })) as { realm?: unknown };
    if (realm !== undefined && realm !== null && typeof realm !== 'string') throw new Error(`tenant directory writer ${this.fn.name} answered a realm that is not a string`);
    return realm ?? undefined;
  }

  /** {@inheritDoc ReconcilingDirectory.slotsOf} Hashed here, in the realm. */
  public async slotsOf(tenantIds: readonly string[]): Promise<string[]> {
    const key = await this.key();
    return tenantIds.map((id) => slotString(tenantSlot(id, key)));
  }

  /**
   * Reconciles the directory's records of `realm` in the buckets of `range` to `slots` (what the
   * realm holds there), removing `remove`, so entries a failed install or uninstall left behind
   * heal. Sends slots, never ids.
   */
  public async reconcile(realm: string, range: BucketRange, slots: readonly string[], remove: readonly string[] = []): Promise<ReconcileResult> {
    realmCode(realm);
    const request = { action: 'reconcile', realm, from: range.from, to: range.to, slots: [...new Set(slots)], remove: [...new Set(remove)] } as const;
    const { reconciled } = (await this.invoke(request)) as { reconciled?: ReconcileResult };
    if (typeof reconciled !== 'object' || reconciled === null) throw new Error(`tenant directory writer ${this.fn.name} answered reconcile without its figures`);
    return reconciled;
  }

  private async slot(tenantId: string): Promise<TenantSlot> {
    return tenantSlot(tenantId, await this.key());
  }

  private async key(): Promise<string> {
    const key = await this.source();
    assertDirectoryKey(key);
    return key;
  }

  private async invoke(request: SlotRequest): Promise<unknown> {
    const response = await this.fn.call(request.action, request);
    if (typeof response !== 'object' || response === null) throw new Error(`tenant directory writer ${this.fn.name} answered ${request.action} with ${typeof response}`);
    return response;
  }
}
