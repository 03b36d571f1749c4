import type { LambdaClient } from '@aws-sdk/client-lambda';
import { InvokedFunction } from '../lambda/invoke-function';
import type { BucketRange } from './bucket-range';
import type { DirectoryRequest, DirectoryResponse, ReconcilingDirectory } from './directory-request';
import type { ReconcileResult } from './slot-request';
import { TenantDirectory } from './tenant-directory';

/** Props of {@link FunctionDirectory}. */
export interface FunctionDirectoryProps {
  /** The name or ARN of the directory function (one running {@link directoryRequestHandler}). */
  readonly functionName: string;
  /**
   * The Lambda client.
   * @default a `LambdaClient` in the region of `functionName` when it is an ARN, else the function's own region
   */
  readonly client?: LambdaClient;
}

/**
 * A {@link TenantDirectory} behind a Lambda function, invoked synchronously, so a hook
 * learns whether the directory was written. The app's functions reach the deployed
 * directory this way: they run in a network without a route to the internet, and the
 * function they invoke (through the VPC's Lambda endpoint) does the writing.
 */
export class FunctionDirectory implements ReconcilingDirectory {
  private readonly fn: InvokedFunction;

  constructor(props: FunctionDirectoryProps) {
    this.fn = new InvokedFunction('tenant directory function', props?.functionName, props?.client);
  }

  /** {@inheritDoc TenantDirectory.setRealm} */
  public async setRealm(tenantId: string, realm: string): Promise<void> {
    await this.invoke({ action: 'setRealm', tenantId, realm });
  }

  /** {@inheritDoc TenantDirectory.remove} */
  public async remove(tenantId: string): Promise<void> {
    await this.invoke({ action: 'remove', tenantId });
  }

  /** {@inheritDoc TenantDirectory.realmOf} */
  public async realmOf(tenantId: string): Promise<string | undefined> {
    const { realm } = await this.invoke({ action: 'realmOf', tenantId });
    return realm ?? undefined;
  }

  /** {@inheritDoc ReconcilingDirectory.slotsOf} The relay hashes them in the realm. */
  public async slotsOf(tenantIds: readonly string[]): Promise<string[]> {
    const response = await this.fn.call('slots', { action: 'slots', tenantIds: [...tenantIds] } satisfies DirectoryRequest);
    const slots = (response as DirectoryResponse | null)?.slots;
    if (!Array.isArray(slots) || slots.length !== tenantIds.length || slots.some((s) => typeof s !== 'string')) {
      throw new Error(`tenant directory function ${this.fn.name} answered slots without one slot per tenant id`);
    }
    return slots;
  }

  /** Sends one bucket range's slots of `realm` (and those to remove) to the relay, which passes them to the edge's writer. */
  public async reconcile(realm: string, range: BucketRange, slots: readonly string[], remove: readonly string[] = []): Promise<ReconcileResult> {
    const request = { action: 'reconcile', realm, from: range.from, to: range.to, slots: [...slots], remove: [...remove] } satisfies DirectoryRequest;
    const reconciled = ((await this.fn.call('reconcile', request)) as DirectoryResponse | null)?.reconciled;
    if (typeof reconciled !== 'object' || reconciled === null) throw new Error(`tenant directory function ${this.fn.name} answered reconcile without its figures`);
    return reconciled;
  }

  private async invoke(request: DirectoryRequest): Promise<DirectoryResponse> {
    const response = await this.fn.call(request.action, request);
    if (typeof response !== 'object' || response === null) throw new Error(`tenant directory function ${this.fn.name} answered ${request.action} with ${typeof response}`);
    const { realm } = response as DirectoryResponse;
    if (realm !== undefined && realm !== null && typeof realm !== 'string') throw new Error(`tenant directory function ${this.fn.name} answered a realm that is not a string`);
    return { realm };
  }
}
