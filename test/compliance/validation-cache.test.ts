import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { applyCompliance } from '../../lib/compliance';
import { VALIDATION_CACHE_ENV } from '../../lib/compliance/validation-cache';
import { parseConfig } from '../../lib/config';
import { REALM_NAMES } from '../../lib/config/realms';
import { addResidencyStacks } from '../../lib/stacks/residency-app';
import { exampleConfigJson } from '../helpers/example-config';
import { NO_BUNDLING } from '../helpers/example-app';

// The example app with all 12 realms, every pack attached, synthesized with the cache as `cache` says.
function validationReport(cache: string): string {
  process.env[VALIDATION_CACHE_ENV] = cache;
  try {
    const outdir = mkdtempSync(join(tmpdir(), 'residency-cache-'));
    const app = new App({ outdir, context: { ...NO_BUNDLING, '@aws-cdk/core:validationReportJson': true } });
    addResidencyStacks(app, parseConfig({ ...exampleConfigJson(), realms: Object.fromEntries(REALM_NAMES.map((r) => [r, {}])) }));
    applyCompliance(app);
    app.synth();
    return readFileSync(join(outdir, 'validation-report.json'), 'utf8');
  } finally {
    delete process.env[VALIDATION_CACHE_ENV];
  }
}

describe('the validation cache, on the 12-realm example', () => {
  const cache = mkdtempSync(join(tmpdir(), 'residency-validation-cache-'));
  // From one line, so the reports' creation traces match: cold (filling the cache), then warm. A cold synth
  // validates every template and reports that report as is, as an uncached synth does (only its parts are
  // stored), so the warm report, merged from the stored parts alone, is what must equal it.
  const [cold, warm] = [cache, cache].map(validationReport);
  const stored = Object.fromEntries(readdirSync(cache).map((kind) => [kind, readdirSync(join(cache, kind)).length]));

  it('stores each template once per template check and each tree pack once', () => {
    const templates = 12 + 2; // the realm stacks, Edge and EdgeLogs
    expect(stored).toMatchObject({ 'cdk-validator-cfnguard': templates, 'cloudformation-validate': templates, 'tree-AwsSolutions': 1, 'tree-DataResidency': 1 });
  });

  it('reports, warm from the cache, exactly what the validating (cold, uncached) synth reported', () => {
    expect(JSON.parse(cold).pluginReports.length).toBeGreaterThan(5);
    expect(warm).toEqual(cold);
  });
});
