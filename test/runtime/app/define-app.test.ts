import * as z from 'zod';
import * as zm from 'zod/mini';
import { AppDefinitionError, RouteDefinition, apiGatewayPath, createApp, defineApp, isResidentApp, matchRoute, routeSpecs } from '../../../runtime/app';

const ok = async () => ({ ok: true });
const r = (method: string, path: string, auth = 'context', more: object = {}) => ({ method, path, auth, handler: ok, ...more }) as RouteDefinition;
const refused = (routes: RouteDefinition[], connect?: object) => {
  try {
    defineApp({ routes, ...(connect ? { connect } : {}) } as never);
  } catch (e) {
    expect(e).toBeInstanceOf(AppDefinitionError);
    return (e as Error).message;
  }
  throw new Error('defineApp accepted the definition');
};

describe('defineApp', () => {
  it("keeps the toolkit's hooks its own: a vendor route that could match one is refused, naming both routes", () => {
    expect(refused([r('POST', '/lifecycle/:x')])).toBe(
      "defineApp: route POST /lifecycle/:x clashes with the toolkit's route POST /lifecycle/installed: lifecycle, migration and descriptor routes are the toolkit's own",
    );
    expect(refused([r('POST', '/:a/:b')])).toMatch(/route POST \/:a\/:b clashes with the toolkit's route POST \/lifecycle\/installed/);
    expect(refused([r('GET', '/:slug')])).toMatch(/clashes with the toolkit's route GET \/atlassian-connect\.json/);
    expect(refused([r('GET', '/migration/extra')])).toMatch(/route GET \/migration\/extra reaches under \/migration, where the toolkit's routes live \(such as POST \/migration\/schedule\)/);
    expect(refused([r('DELETE', '/forge/migration/x/y')])).toMatch(/reaches under \/forge\/migration/);
    expect(refused([r('GET', '/lifecycle')])).toMatch(/reaches under \/lifecycle/);
  });

  it.each([
    ['an unknown auth kind', [r('GET', '/a', 'install')], /routes\[0\] \(GET \/a\) has auth "install"; expected 'connect', 'context' or 'forge'/],
    ['a bad method', [r('FETCH', '/a')], /routes\[0\] \(FETCH \/a\) has method "FETCH"; expected one of GET, POST, PUT, PATCH, DELETE/],
    ['a path not starting with /', [r('GET', 'api/a')], /has path "api\/a"; expected a path starting with "\/"/],
    ['a path API Gateway cannot express', [r('GET', '/files/*')], /segment "\*"/],
    ['a duplicate route', [r('GET', '/api/items/:id'), r('GET', '/api/items/:itemId')], /route GET \/api\/items\/:itemId duplicates route GET \/api\/items\/:id/],
    ['a parameter named twice', [r('GET', '/a/:id/:id')], /names the parameter :id twice/],
    ['a body on a GET', [r('GET', '/a', 'context', { body: z.object({}) })], /GET with a body schema/],
    ['a body that is no schema', [r('POST', '/a', 'context', { body: { parse: () => 1 } })], /body that is not a schema/],
    ['forgeModules on a connect route', [r('POST', '/a', 'connect', { forgeModules: ['m'] })], /only forge routes/],
    ['no handler', [{ method: 'GET', path: '/a', auth: 'connect' } as never], /has no handler function/],
  ])('refuses %s at definition time', (_what, routes, message) => {
    expect(refused(routes as RouteDefinition[])).toMatch(message);
  });

  it('allows a literal route next to a parameter route of the same shape, and serves the literal one first, as API Gateway does', async () => {
    const app = defineApp({
      routes: [
        { method: 'GET', path: '/api/items/:id', auth: 'context', handler: (req) => ({ param: req.params['id'] }) },
        { method: 'GET', path: '/api/items/new', auth: 'context', handler: () => ({ literal: true }) },
      ],
    });
    const store = { get: async () => ({ clientKey: 't', baseUrl: 'https://t.atlassian.net', state: 'installed', installedAt: '' }), dataFor: () => ({}) };
    const hono = createApp({ app, realm: 'EU', appKey: 'k', store: store as never, log: () => undefined, authenticate: async () => ({ clientKey: 't' }) });
    expect(await (await hono.request('/api/items/new')).json()).toEqual({ literal: true });
    expect(await (await hono.request('/api/items/n-1')).json()).toEqual({ param: 'n-1' });
  });

  it('checks that every Connect module URL is a route with a fitting auth', () => {
    const routes = [r('GET', '/pages/home', 'connect'), r('GET', '/api/x', 'context'), r('POST', '/hooks/issue', 'connect'), r('GET', '/panels/:issue', 'connect')];
    expect(() => defineApp({ routes, connect: { modules: { generalPages: [{ key: 'home', url: '/pages/home?project={project.key}' }], webPanels: [{ key: 'p', url: '/panels/{issue.key}' }], webhooks: [{ event: 'jira:issue_updated', url: '/hooks/issue' }] } } })).not.toThrow();
    expect(refused(routes, { modules: { generalPages: [{ key: 'api', url: '/api/x' }] } })).toBe(
      "defineApp: connect.modules.generalPages[0] has url /api/x, which needs a route GET /api/x with auth 'connect'; route GET /api/x has auth 'context'",
    );
    expect(refused(routes, { modules: { webhooks: [{ event: 'e', url: '/pages/home' }] } })).toMatch(/connect\.modules\.webhooks\[0\] has url \/pages\/home, which needs a route POST \/pages\/home with auth 'connect'/);
    expect(refused(routes, { modules: { generalPages: [{ key: 'x', url: '/nowhere' }] } })).toMatch(/needs a route GET \/nowhere/);
    expect(refused(routes, { modules: { generalPages: [{ key: 'x', url: 'https://elsewhere.example.com/p' }] } })).toMatch(/expected a path of the app starting with "\/"/);
    expect(refused(routes, { modules: { generalPages: [{ key: 'home', url: '/pages/home' }], webPanels: [{ key: 'home', url: '/panels/{issue.key}' }] } })).toMatch(
      /connect\.modules\.webPanels\[0\] has the key "home" of connect\.modules\.generalPages\[0\]/,
    );
    expect(refused(routes, { modules: { generalPages: [{ url: '/pages/home' }] } })).toMatch(/needs a key of letters, digits and dashes/);
  });

  it('checks bodies with zod classic and zod mini alike', () => {
    const classic = defineApp({ routes: [r('POST', '/a', 'context', { body: z.object({ n: z.number() }) })] });
    const mini = defineApp({ routes: [r('POST', '/b', 'context', { body: zm.object({ n: zm.number() }) })] });
    for (const app of [classic, mini]) {
      expect(app.routes[0]!.body!.safeParse({ n: 1 })).toMatchObject({ success: true, data: { n: 1 } });
      expect(app.routes[0]!.body!.safeParse({ n: 'x' })).toMatchObject({ success: false, error: { issues: [{ path: ['n'] }] } });
    }
  });

  it('exposes plain route data, the toolkit routes first, for CDK code to build API Gateway methods from', () => {
    const app = defineApp({ routes: [r('PUT', '/api/items/:id', 'context', { body: z.object({}) }), r('POST', '/forge/run', 'forge', { forgeModules: ['resolver-1'] })] });
    const specs = routeSpecs(app);
    expect(specs.slice(-2)).toEqual([
      { method: 'PUT', path: '/api/items/:id', auth: 'context', jsonBody: true },
      { method: 'POST', path: '/forge/run', auth: 'forge', forgeModules: ['resolver-1'] },
    ]);
    expect(specs.filter((s) => s.path.startsWith('/lifecycle/'))).toHaveLength(4);
    expect(routeSpecs(app, { forgeRemote: true }).some((s) => s.path === '/forge/migration/status')).toBe(true);
    expect(JSON.parse(JSON.stringify(specs))).toEqual(specs);
    expect(apiGatewayPath('/api/items/:id/parts/:part')).toBe('/api/items/{id}/parts/{part}');
    expect(matchRoute('PUT', '/api/items/{id}', specs)).toEqual(specs.at(-2));
    expect(isResidentApp(app)).toBe(true);
    expect(isResidentApp({ routes: [], connect: { modules: {} } })).toBe(false);
  });
});
