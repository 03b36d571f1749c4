import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnElement } from 'aws-cdk-lib';
import { vendorAppStack } from '../helpers/vendor-app-stack';

// Bundling on: the app function's generated entry, with the vendor fixture, as `cdk synth` bundles it.
// A string of the runtime's HttpError, which the vendor module throws and the runtime's error handler tests with instanceof.
const MARKER = 'HttpError takes a 4xx status';

describe("the app function's generated entry", () => {
  const outdir = mkdtempSync(join(tmpdir(), 'app-handler-bundle-'));
  const app = new App({ outdir });
  const stack = vendorAppStack(app);
  const template = app.synth().getStackByName(stack.stackName).template;
  const bundleOf = (fn: { function: { node: { defaultChild?: unknown } } }) => {
    const logicalId = stack.getLogicalId(fn.function.node.defaultChild as CfnElement);
    const key = String(template.Resources[logicalId].Properties.Code.S3Key).replace(/\.zip$/, '');
    return readFileSync(join(outdir, `asset.${key}`, 'index.js'), 'utf8');
  };
  const appBundle = bundleOf(stack.secureApi.appFunction);

  it("bundles the vendor's module: its routes and handlers are in the app function's code", () => {
    for (const text of ['/api/items/:id', '/webhooks/comment', 'items-resolver', 'no such item']) expect(appBundle).toContain(text);
  });

  it('holds one copy of the runtime, shared by the vendor module and the generated entry', () => {
    expect(appBundle.split(MARKER).length - 1).toBe(1);
  });

  it('keeps vendor code out of the authorizers: they get route data only', () => {
    const connect = bundleOf(stack.secureApi.connectAuthorizerFunction);
    expect(connect).not.toContain('no such item');
    expect(connect).not.toContain('/webhooks/comment');
  });
});
