#!/usr/bin/env node
import { relative } from 'node:path';
import { App } from 'aws-cdk-lib';
import { AppEntryError, loadAppEntry } from '../constructs/app-entry/load-app-entry';
import { ConfigError, DEFAULT_CONFIG_PATH, loadConfig } from '../lib/config';
import { applyCompliance } from '../lib/compliance/apply';
import { addResidencyStacks } from '../lib/stacks/residency-app';
import { describeReservations, reservedConcurrencyByRegion } from '../lib/stacks/reserved-concurrency';
import { ACCEPT_FORGE_REMOTES_CONTEXT, checkForgeRemotesLock, forgeRemotesLockPath, writeAtlassianArtefacts } from '../lib/atlassian';
import { timePhase, writeSynthTimings } from '../lib/synth-timings';

// Since the process started: node and tsx start, and loading the modules above.
const startMs = performance.now();

// No creation stack trace per CloudFormation element in the assembly metadata (half its size;
// `npx cdk synth --debug` records them; not in cdk.json, where the CLI warns of `aws:` keys), and
// no tree.json (2.4 MB at 12 realms, read by nothing that deploys or checks the app).
const app = new App({ treeMetadata: false, context: { 'aws:cdk:disable-creation-stack-traces': true } });
const path: string = app.node.tryGetContext('config') ?? DEFAULT_CONFIG_PATH;
try {
  timePhase('tree', () => {
    const config = loadConfig(path);
    // The vendor's app first, so a bad entry stops synth before any stack or file is made (named as the config names it).
    const shown = relative(process.cwd(), config.app.entry);
    loadAppEntry(config.app.entry, `${path}: app.entry ${shown.startsWith('..') ? config.app.entry : shown}`);
    addResidencyStacks(app, config);
    // What the functions reserve, per region, so an operator can check the account's Lambda limits before deploying.
    for (const line of describeReservations(reservedConcurrencyByRegion(app))) process.stderr.write(`${line}\n`);
    // cdk.out/atlassian-connect.json and cdk.out/forge-remotes.json, from the same config.
    writeAtlassianArtefacts(app, config);
    // A Forge remote's realms and URLs against the committed lock file: a change is a major Forge version.
    const accept = String(app.node.tryGetContext(ACCEPT_FORGE_REMOTES_CONTEXT)) === 'true';
    const lock = checkForgeRemotesLock(config, forgeRemotesLockPath(path), { accept });
    if (lock.message) process.stderr.write(`${lock.message}\n`);
  });
} catch (e) {
  if (!(e instanceof ConfigError) && !(e instanceof AppEntryError)) throw e;
  // A config or app problem is the user's to fix: print what and where, not a stack trace.
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
}
applyCompliance(app);
try {
  timePhase('synth', () => app.synth());
} finally {
  writeSynthTimings({ start: startMs });
}
