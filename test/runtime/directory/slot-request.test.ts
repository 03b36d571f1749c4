import { DirectoryRequestError, parseSlotRequest, slotOfString, slotRequestHandler, SlotDirectory } from '../../../runtime/directory';

const SLOT = { bucket: 'AbC', fingerprint: 'Q7v2Lm9XcR4t' };

describe('parseSlotRequest', () => {
  it('accepts the four actions with slots', () => {
    expect(parseSlotRequest({ action: 'setRealm', ...SLOT, realm: 'EU' })).toEqual({ action: 'setRealm', ...SLOT, realm: 'EU' });
    expect(parseSlotRequest({ action: 'remove', ...SLOT })).toEqual({ action: 'remove', ...SLOT });
    expect(parseSlotRequest({ action: 'realmOf', ...SLOT })).toEqual({ action: 'realmOf', ...SLOT });
    const reconcile = { action: 'reconcile', realm: 'US', from: 0, to: 512, slots: ['AbCQ7v2Lm9XcR4t'], remove: [] };
    expect(parseSlotRequest(reconcile)).toEqual(reconcile);
    expect(slotOfString('AbCQ7v2Lm9XcR4t')).toEqual(SLOT);
  });

  it.each([
    [{ action: 'setRealm', tenantId: 'c3c1f1e0-client-key', realm: 'EU' }, 'directory writer request: carries a tenantId; the writer takes only a bucket and fingerprint hashed in the realm'],
    [{ action: 'realmOf', ...SLOT, tenantId: 'x' }, 'directory writer request: carries a tenantId; the writer takes only a bucket and fingerprint hashed in the realm'],
    [{ action: 'remove', bucket: 'AbE', fingerprint: SLOT.fingerprint }, 'directory writer request: bucket must be a directory bucket key'],
    [{ action: 'remove', bucket: 'AbC', fingerprint: 'short' }, 'directory writer request: fingerprint must be 12 base64url characters'],
    [{ action: 'remove', ...SLOT, realm: 'EU' }, 'directory writer request: realm is only given with setRealm and reconcile'],
    [{ action: 'setRealm', ...SLOT, realm: 'Mars' }, 'directory writer request: "Mars" is not a realm the directory records'],
    [{ action: 'reconcile', realm: 'EU', from: 0, to: 512, slots: ['AbCQ7v2Lm9XcR4t', 'not-a-slot'], remove: [] }, 'directory writer request: slots[1] is not a bucket and fingerprint of 15 characters'],
    // AbC is bucket 110: outside 512 .. 1024.
    [{ action: 'reconcile', realm: 'EU', from: 512, to: 1024, slots: [], remove: ['AbCQ7v2Lm9XcR4t'] }, 'directory writer request: remove[0] lies outside buckets 512 to 1024'],
    [{ action: 'reconcile', realm: 'EU', from: 0, to: 513, slots: [], remove: [] }, 'directory writer request: reconcile covers at most 512 buckets; found 513'],
    [{ action: 'reconcile', realm: 'EU', from: 16_000, to: 16_385, slots: [], remove: [] }, 'directory writer request: reconcile from and to must satisfy 0 <= from < to <= 16384'],
    [{ action: 'reconcile', realm: 'EU', slots: [], remove: [] }, 'directory writer request: reconcile from and to must be bucket indexes (integers)'],
    [{ action: 'remove', ...SLOT, from: 0 }, 'directory writer request: from, to and remove are only given with reconcile'],
    [{ action: 'drop', ...SLOT }, 'directory writer request: action must be "setRealm", "remove", "realmOf" or "reconcile"'],
  ])('refuses %j', (event, message) => {
    expect(() => parseSlotRequest(event)).toThrow(new DirectoryRequestError(message));
  });

  it('records only in the realms the writer is configured for, without touching the store', async () => {
    const calls: string[] = [];
    const directory: SlotDirectory = {
      setSlot: async () => void calls.push('set'),
      removeSlot: async () => void calls.push('remove'),
      realmOfSlot: async () => undefined,
      reconcileRealm: async () => (calls.push('reconcile'), { added: 0, removed: 0, elsewhere: 0, bucketsWritten: 0, bucketsRead: 0, stale: [] }),
    };
    const handler = slotRequestHandler(directory, ['Global', 'EU']);
    await expect(handler({ action: 'setRealm', ...SLOT, realm: 'US' })).rejects.toThrow('realm "US" is not one this function may record (Global, EU)');
    await expect(handler({ action: 'reconcile', realm: 'US', from: 0, to: 512, slots: [], remove: [] })).rejects.toThrow('realm "US" is not one this function may record');
    expect(calls).toEqual([]);
    expect(await handler({ action: 'realmOf', ...SLOT })).toEqual({ realm: null });
  });
});
