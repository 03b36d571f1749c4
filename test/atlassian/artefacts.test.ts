import notes from '../../examples/notes/app';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { ATLASSIAN_ARTEFACT_FILES, connectDescriptor, forgeRemotes, writeAtlassianArtefacts } from '../../lib/atlassian';
import { ConfigError, loadConfig } from '../../lib/config';
import { cdk } from '../helpers/cdk-cli';
import { EXAMPLE_CONFIG_PATH, exampleConfigJson } from '../helpers/example-config';
import { exampleWith } from './realm-configs';

const dir = mkdtempSync(join(tmpdir(), 'residency-artefacts-'));
const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

describe('npx cdk synth', () => {
  const out = join(dir, 'assembly');
  const run = cdk(['synth', '-q', '-o', out]);
  const config = loadConfig(EXAMPLE_CONFIG_PATH);

  it('exits 0', () => {
    expect({ status: run.status, stderr: run.status === 0 ? '' : run.stderr }).toEqual({ status: 0, stderr: '' });
  });

  it('writes the Connect descriptor generated from the config into the -o directory', () => {
    expect(readJson(join(out, ATLASSIAN_ARTEFACT_FILES.connect))).toEqual(connectDescriptor(config, notes));
  });

  it('writes the Forge remotes fragment generated from the config into the -o directory', () => {
    expect(readJson(join(out, ATLASSIAN_ARTEFACT_FILES.forge))).toEqual(forgeRemotes(config));
  });

  it('leaves the cloud assembly intact beside them', () => {
    expect(readdirSync(out)).toEqual(expect.arrayContaining(['manifest.json', 'ResidencyDemo-Global.template.json']));
  });
});

describe('npx cdk synth with a config the artefacts refuse', () => {
  function synthWith(change: (c: any) => void, name: string) {
    const c = exampleConfigJson();
    change(c);
    const file = join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify(c));
    const out = join(dir, `${name}-out`);
    return { file, out, ...cdk(['synth', '-q', '-c', `config=${file}`, '-o', out]) };
  }
  const noArtefacts = (out: string) => [ATLASSIAN_ARTEFACT_FILES.connect, ATLASSIAN_ARTEFACT_FILES.forge].filter((f) => existsSync(join(out, f)));

  it('refuses ADMIN without a reason, says where, and writes no artefact', () => {
    const r = synthWith((c) => (c.scopes = ['READ', 'ADMIN']), 'admin');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`${r.file}: 1 problem in the residency config`);
    expect(r.stderr).toMatch(/\$\.scopes\[1\]: found "ADMIN"; expected a scope below ADMIN, or a reason for it in scopeReasons\.ADMIN/);
    expect(r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(noArtefacts(r.out)).toEqual([]);
  });

  it('refuses an app key no Forge remote key derives from, naming the file, and writes no artefact', () => {
    const r = synthWith((c) => (c.app.key = '...'), 'dots');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`${r.file}: 1 problem in the residency config`);
    expect(r.stderr).toMatch(/\$\.app\.key: found "\.\.\."; expected an Atlassian app key: .*not only dots/);
    expect(r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(noArtefacts(r.out)).toEqual([]);
  });
});

describe('writeAtlassianArtefacts', () => {
  it("creates the app's outdir if needed and writes both artefacts there", () => {
    const outdir = join(dir, 'in-process', 'nested');
    const config = exampleWith((c) => (c.migration.maxDurationHours = { connect: 3, forge: 0.5 }));
    const paths = writeAtlassianArtefacts(new App({ outdir }), config);
    expect(paths).toEqual({ connect: join(outdir, 'atlassian-connect.json'), forge: join(outdir, 'forge-remotes.json') });
    expect(readJson(paths.connect)).toEqual(connectDescriptor(config, notes));
    expect(readJson(paths.forge)).toEqual(forgeRemotes(config));
    expect((readJson(paths.connect) as { dataResidency: unknown }).dataResidency).toEqual({ maxMigrationDurationHours: 3 });
    expect((readJson(paths.forge) as { modules: { 'migration:dataResidency': { maxMigrationDurationHours: number }[] } }).modules['migration:dataResidency'][0]!.maxMigrationDurationHours).toBe(0.5);
  });

  it('writes neither file when one artefact cannot be built', () => {
    const outdir = join(dir, 'refused');
    expect(() => writeAtlassianArtefacts(new App({ outdir }), exampleWith((c) => (c.app.key = '...')))).toThrow(ConfigError);
    expect(existsSync(join(outdir, ATLASSIAN_ARTEFACT_FILES.connect))).toBe(false);
    expect(existsSync(join(outdir, ATLASSIAN_ARTEFACT_FILES.forge))).toBe(false);
  });
});
