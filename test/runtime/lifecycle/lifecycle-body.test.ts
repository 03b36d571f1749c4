import { parseInstalledBody, parseLifecycleBody } from '../../../runtime/lifecycle';

const APP = 'com.example.app';
const installed = {
  key: APP,
  clientKey: 'client-1',
  sharedSecret: 'a-shared-secret-of-enough-length-0123456789',
  baseUrl: 'https://site.atlassian.net',
  productType: 'jira',
  eventType: 'installed',
};

describe('lifecycle bodies', () => {
  it('accepts an installed body and ignores fields it does not use', () => {
    expect(parseInstalledBody(JSON.stringify({ ...installed, pluginsVersion: '1.0' }), APP)).toEqual(installed);
  });

  it.each(['clientKey', 'sharedSecret', 'baseUrl', 'key', 'eventType'])('answers 400 naming %s when it is missing', (field) => {
    const body = { ...installed } as Record<string, unknown>;
    delete body[field];
    expect(() => parseInstalledBody(JSON.stringify(body), APP)).toThrow(expect.objectContaining({ status: 400, reason: expect.stringContaining(field) }));
  });

  it('never echoes the shared secret in the refusal', () => {
    try {
      parseInstalledBody(JSON.stringify({ ...installed, sharedSecret: 'short', baseUrl: 'nope' }), APP);
      throw new Error('accepted');
    } catch (e) {
      expect((e as Error).message).not.toContain('short');
      expect((e as Error).message).toContain('sharedSecret');
    }
  });

  it('refuses a body for another event than the hook it arrived at', () => {
    const body = JSON.stringify({ key: APP, clientKey: 'c', eventType: 'enabled' });
    expect(parseLifecycleBody(body, APP, 'enabled').clientKey).toBe('c');
    expect(() => parseLifecycleBody(body, APP, 'disabled')).toThrow(expect.objectContaining({ status: 400 }));
  });
});
