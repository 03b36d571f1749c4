import { connectDescriptor } from '../../lib/atlassian/connect-descriptor';
import { loadConfig } from '../../lib/config';
import { APP_ROUTES } from '../../runtime/app/routes';
import { EXAMPLE_CONFIG_PATH } from '../helpers/example-config';

const config = loadConfig(EXAMPLE_CONFIG_PATH);

describe('the Connect descriptor', () => {
  const d = connectDescriptor(config);

  it('serves Global from the global base URL and every other realm from its regional host', () => {
    expect(d.baseUrl).toBe('https://app.example.com');
    expect(d.regionBaseUrls).toEqual({
      US: 'https://us.app.example.com',
      EU: 'https://eu.app.example.com',
      DE: 'https://de.app.example.com',
      AU: 'https://au.app.example.com',
    });
  });

  it('turns on signed install and context-qsh, with JWT authentication', () => {
    expect(d.authentication).toEqual({ type: 'jwt' });
    expect(d.apiMigrations).toEqual({ 'signed-install': true, 'context-qsh': true, gdpr: true });
  });

  it('asks for exactly the configured scopes', () => {
    expect(d.scopes).toEqual(['READ', 'WRITE']);
  });

  it('takes every lifecycle path from the route table', () => {
    const lifecyclePaths = APP_ROUTES.filter((r) => r.path.startsWith('/lifecycle/')).map((r) => r.path);
    expect(Object.values(d.lifecycle).sort()).toEqual(lifecyclePaths.sort());
    expect(d.lifecycle['installed']).toBe('/lifecycle/installed');
  });

  it('points its page module at a declared GET route', () => {
    const pages = d.modules['generalPages'] as { url: string }[];
    for (const p of pages) expect(APP_ROUTES.some((r) => r.method === 'GET' && r.path === p.url)).toBe(true);
  });

  it('serves everything from one base URL in dev mode', () => {
    const dev = connectDescriptor(config, { baseUrlOverride: 'http://127.0.0.1:3000' });
    expect(dev.baseUrl).toBe('http://127.0.0.1:3000');
    expect(dev.regionBaseUrls).toBeUndefined();
  });
});
