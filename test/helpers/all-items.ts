import type { TenantData, TenantItem } from '../../runtime/tenants';

/** Every item of a tenant, read page by page through the public cursor. */
export async function allItems(data: TenantData, prefix = ''): Promise<TenantItem[]> {
  const items: TenantItem[] = [];
  let cursor: string | undefined;
  do {
    const page = await data.list(prefix, { limit: 1000, ...(cursor ? { cursor } : {}) });
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return items;
}
