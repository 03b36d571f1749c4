import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { acknowledge } from '../../constructs/acknowledge';
import { AtlassianAppSecurityChecks } from '../../lib/compliance/app-security/pack';
import { DataResidencyChecks } from '../../lib/compliance/data-residency/pack';
import { tagMetadataOnly, tagRealm } from '../../lib/compliance/realm-tags';

interface Suppressed {
  ruleName: string;
  acknowledgedId: string;
  acknowledgedAt: string;
  reason: string;
  violatingConstructs: Array<{ constructPath: string }>;
}

// Our packs attached the way applyCompliance attaches them, synthesized as the CLI does.
function appWithPacks() {
  const outdir = mkdtempSync(join(tmpdir(), 'residency-packs-'));
  const app = new App({ outdir, context: { '@aws-cdk/core:appMode': 'inmemory', '@aws-cdk/core:explicitStackTags': true } });
  Validations.of(app).addPlugins(new DataResidencyChecks(app), new AtlassianAppSecurityChecks(app));
  const suppressed = (plugin: string): Suppressed[] =>
    JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')).pluginReports.find((r: any) => r.pluginName === plugin)?.suppressedViolations ?? [];
  return { app, suppressed };
}

const partitionKey = { name: 'pk', type: dynamodb.AttributeType.STRING };

describe('DataResidency and AtlassianAppSecurity in synthesis', () => {
  it('fail synthesis with the rule and the resource in the report', () => {
    const { app } = appWithPacks();
    const eu = new Stack(app, 'Eu', { env: { region: 'eu-central-1' } });
    tagRealm(eu, 'EU');
    new dynamodb.TableV2(eu, 'Tenants', { partitionKey, replicas: [{ region: 'us-east-1' }] });
    expect(() => app.synth()).toThrow(/DataResidency-DynamoDBReplicasInJurisdiction\[Region::us-east-1\][\s\S]*Eu\/Tenants\/Resource/);
  });

  it('accept an acknowledgement by the namespaced (granular) id and record it with its reason', () => {
    const { app, suppressed } = appWithPacks();
    const eu = new Stack(app, 'Eu', { env: { region: 'eu-central-1' } });
    tagRealm(eu, 'EU');
    const key = new kms.Key(eu, 'Key', { multiRegion: true });
    const reason = 'Test: a multi-Region primary key whose replicas are governed by a separate, reviewed process.';
    acknowledge(key.node.defaultChild!, reason, 'DataResidency::DataResidency-KMSKeyNotMultiRegion');
    app.synth();
    expect(suppressed('DataResidency').map((s) => [s.acknowledgedId, s.acknowledgedAt, s.reason])).toEqual([
      ['DataResidency::DataResidency-KMSKeyNotMultiRegion', 'Eu/Key/Resource', reason],
    ]);
  });

  it('record a metadata-only stack as one acknowledgement per store, on the store, with the declared reason', () => {
    const { app, suppressed } = appWithPacks();
    const edge = new Stack(app, 'Edge', { env: { region: 'us-east-1' } });
    const reason = 'Routing metadata only: CloudFront configuration and the hashed tenant directory, no tenant data.';
    tagMetadataOnly(edge, reason);
    const key = new kms.Key(edge, 'Key', { enableKeyRotation: true });
    new logs.LogGroup(edge, 'Logs', { encryptionKey: key });
    app.synth();
    expect(suppressed('DataResidency').flatMap((s) => s.violatingConstructs.map((c) => [s.acknowledgedId, c.constructPath, s.acknowledgedAt, s.reason]))).toEqual([
      ['DataResidency::DataResidency-StatefulResourceHasRealm', 'Edge/Key/Resource', 'Edge/Key/Resource', reason],
      ['DataResidency::DataResidency-StatefulResourceHasRealm', 'Edge/Logs/Resource', 'Edge/Logs/Resource', reason],
    ]);
  });

  it('still refuse the stores of a stack with neither realm nor declaration', () => {
    const { app } = appWithPacks();
    const loose = new Stack(app, 'Loose', { env: { region: 'us-east-1' } });
    new logs.LogGroup(loose, 'Logs', { encryptionKey: new kms.Key(loose, 'Key', { enableKeyRotation: true }) });
    expect(() => app.synth()).toThrow(/DataResidency-StatefulResourceHasRealm/);
  });
});
