import { InMemoryDirectory } from '../../../runtime/directory';

describe('InMemoryDirectory', () => {
  it('records, moves and forgets tenants', async () => {
    const directory = new InMemoryDirectory();
    await directory.setRealm('client-key-1', 'Global');
    await directory.setRealm('client-key-1', 'EU');
    expect(await directory.realmOf('client-key-1')).toBe('EU');
    await directory.remove('client-key-1');
    await directory.remove('never-installed');
    expect(await directory.realmOf('client-key-1')).toBeUndefined();
    expect(directory.size).toBe(0);
  });

  it('refuses an unknown realm, as the deployed directory does', async () => {
    await expect(new InMemoryDirectory().setRealm('client-key-1', 'Narnia')).rejects.toThrow('Unknown realm "Narnia"');
  });
});
