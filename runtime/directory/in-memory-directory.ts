import { realmCode } from './bucket-records';
import { TenantDirectory } from './tenant-directory';

/** A {@link TenantDirectory} in this process's memory: for `npm run dev` and tests. */
export class InMemoryDirectory implements TenantDirectory {
  private readonly realms = new Map<string, string>();

  /** {@inheritDoc TenantDirectory.setRealm} */
  public async setRealm(tenantId: string, realm: string): Promise<void> {
    realmCode(realm); // the same refusal of an unknown realm as the deployed directory
    this.realms.set(tenantId, realm);
  }

  /** {@inheritDoc TenantDirectory.remove} */
  public async remove(tenantId: string): Promise<void> {
    this.realms.delete(tenantId);
  }

  /** {@inheritDoc TenantDirectory.realmOf} */
  public async realmOf(tenantId: string): Promise<string | undefined> {
    return this.realms.get(tenantId);
  }

  /** How many tenants are recorded. */
  public get size(): number {
    return this.realms.size;
  }
}
