import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stage } from 'aws-cdk-lib';
import { loadAppEntry } from '../../constructs/app-entry/load-app-entry';
import { ResidencyConfig } from '../config/load';
import { ConnectDescriptor, connectDescriptor } from './connect-descriptor';
import { ForgeRemotesOptions, forgeRemotes } from './forge-remotes';
import { routeSpecs } from '../../runtime/app/define-app';

/** File names of the generated Atlassian artefacts inside the cloud assembly directory. */
export const ATLASSIAN_ARTEFACT_FILES = {
  /** The Connect descriptor ({@link connectDescriptor}). */
  connect: 'atlassian-connect.json',
  /** The Forge manifest fragment ({@link forgeRemotes}). */
  forge: 'forge-remotes.json',
} as const;

/**
 * The Connect descriptor the app publishes: the one artefact both written to cdk.out by
 * {@link writeAtlassianArtefacts} and served by the edge at `/atlassian-connect.json`.
 */
export function publishedConnectDescriptor(config: ResidencyConfig): ConnectDescriptor {
  return connectDescriptor(config, loadAppEntry(config.app.entry));
}

/** Where {@link writeAtlassianArtefacts} wrote each artefact. */
export interface AtlassianArtefactPaths {
  /** Path of `atlassian-connect.json`. */
  readonly connect: string;
  /** Path of `forge-remotes.json`. */
  readonly forge: string;
}

/**
 * Writes the Connect descriptor and the Forge remotes fragment into the app's cloud
 * assembly directory (`app.outdir`, which follows `cdk synth -o`), creating it if needed.
 *
 * Call it from the CDK app entry once the config is loaded and the stacks are added. The
 * files are written at once, not during `app.synth()`: the `cdk` CLI synthesizes the app
 * implicitly when the entry exits, and aws-cdk-lib offers third parties no hook into that
 * step. `forge` passes the app's routes (for the endpoint modules). Both artefacts are built before either is written, so a config the artefacts
 * refuse leaves nothing behind.
 * The descriptor's modules are those of the config's app (`app.entry`).
 * @throws ConfigError when the config cannot yield an artefact (see {@link forgeRemotes})
 * @throws AppEntryError when `app.entry` is not an app
 */
export function writeAtlassianArtefacts(app: Stage, config: ResidencyConfig, forge?: ForgeRemotesOptions): AtlassianArtefactPaths {
  const artefacts = {
    connect: publishedConnectDescriptor(config),
    // The Forge endpoints follow the configured app's Forge routes unless the caller says otherwise.
    forge: forgeRemotes(config, forge ?? { routes: routeSpecs(loadAppEntry(config.app.entry), { forgeRemote: true }) }),
  };
  mkdirSync(app.outdir, { recursive: true });
  const paths = {
    connect: join(app.outdir, ATLASSIAN_ARTEFACT_FILES.connect),
    forge: join(app.outdir, ATLASSIAN_ARTEFACT_FILES.forge),
  };
  writeFileSync(paths.connect, `${JSON.stringify(artefacts.connect, null, 2)}\n`);
  writeFileSync(paths.forge, `${JSON.stringify(artefacts.forge, null, 2)}\n`);
  return paths;
}
