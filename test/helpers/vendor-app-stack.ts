import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { RealmStack } from '../../lib/stacks/realm-stack';

/** The test fixture's vendor app (not the example), as a library user names it. */
export const VENDOR_APP_ENTRY = join(__dirname, '..', 'fixtures', 'vendor-app', 'app.ts');

/** An EU realm stack hosting the fixture vendor app, as a Forge remote too, in `app`. */
export function vendorAppStack(app: App): RealmStack {
  return new RealmStack(app, 'Vendor-EU', {
    env: { region: 'eu-central-1' },
    appKey: 'com.acme.board',
    app: { entry: VENDOR_APP_ENTRY },
    realms: ['EU'],
    hostnames: ['eu.board.acme.com'],
    hostedZone: { id: 'Z0123456789ABCDEFGHIJ', name: 'acme.com' },
    baseUrls: ['https://board.acme.com', 'https://eu.board.acme.com'],
    forgeAppId: 'ari:cloud:ecosystem::app/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  });
}
