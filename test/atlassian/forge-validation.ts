import Ajv from 'ajv';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validate } from '@forge/manifest';

/** The Forge manifest JSON schema shipped in `@forge/manifest` (the one `forge lint` uses). */
export const FORGE_SCHEMA = JSON.parse(readFileSync(require.resolve('@forge/manifest/schema.json'), 'utf8'));

/**
 * A validator for the generated fragment built from the shipped schema's own sub-schemas:
 * `remotes` as the manifest declares it, and `modules` holding only `migration:dataResidency`.
 */
export function fragmentValidator(): (fragment: unknown) => string[] {
  const schema = {
    $schema: FORGE_SCHEMA.$schema,
    definitions: FORGE_SCHEMA.definitions,
    type: 'object',
    required: ['remotes', 'modules', 'permissions'],
    additionalProperties: false,
    properties: {
      remotes: FORGE_SCHEMA.properties.remotes,
      permissions: FORGE_SCHEMA.properties.permissions,
      app: { type: 'object', properties: { connect: FORGE_SCHEMA.definitions.AppSchema?.properties?.connect ?? FORGE_SCHEMA.properties.app.properties?.connect ?? {} } },
      modules: {
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries(['migration:dataResidency', 'endpoint', 'trigger'].map((m) => [m, FORGE_SCHEMA.definitions.ModuleSchema.properties[m]])),
      },
    },
  };
  // Forge's own SchemaValidator compiles the schema with the same options.
  const check = new Ajv({ allErrors: true, strict: false }).compile(schema);
  return (fragment) => (check(fragment) ? [] : (check.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`));
}

/**
 * Runs Forge's full manifest linter (schema plus its semantic rules, such as "every remote
 * storing in-scope data declares the same realms") on the smallest manifest the fragment
 * can live in: an app id, no scopes, one Custom UI admin page whose resolver is an
 * `endpoint` on the first remote (Forge wants at least one user-facing module), and the
 * fragment's `remotes` and `modules`. The file is JSON, which is YAML. Returns the errors.
 */
export async function forgeLint(fragment: { remotes: readonly { key: string }[]; modules: { endpoint?: readonly object[] }; permissions?: object }, scopes: readonly string[] = []): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'forge-manifest-'));
  mkdirSync(join(dir, 'static'));
  writeFileSync(join(dir, 'static', 'index.html'), '<!doctype html><title>Notes</title>\n');
  const manifest = {
    app: { id: 'ari:cloud:ecosystem::app/406d303d-0393-4ec4-ad7c-1435be94583a', runtime: { name: 'nodejs22.x' } },
    permissions: { scopes: [...scopes], ...(fragment.permissions ?? {}) },
    resources: [{ key: 'main', path: 'static' }],
    modules: {
      ...fragment.modules,
      endpoint: [{ key: 'remote-endpoint', remote: fragment.remotes[0]?.key }, ...(fragment.modules.endpoint ?? [])],
      'jira:adminPage': [{ key: 'notes-admin', title: 'Notes', resource: 'main', resolver: { endpoint: 'remote-endpoint' } }],
    },
    remotes: fragment.remotes,
  };
  const file = join(dir, 'manifest.yml');
  writeFileSync(file, JSON.stringify(manifest, null, 2));
  const result = await validate(false, file);
  return (result.errors ?? []).filter((e) => e.level === 'error').map((e) => e.message);
}
