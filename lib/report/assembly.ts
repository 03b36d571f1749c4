import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Manifest } from 'aws-cdk-lib/cloud-assembly-schema';
import type { AssemblyManifest, PolicyValidationReportJson } from 'aws-cdk-lib/cloud-assembly-schema';
import { Json } from './json';

/** A trust report cannot be made from what it was given; the message says what is missing and where. */
export class ReportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportError';
  }
}

/** One resource of a synthesized template. */
export interface TemplateResource {
  /** The CloudFormation type, such as `AWS::DynamoDB::Table`. */
  readonly Type: string;
  /** Its properties, as synthesized (intrinsics unresolved). */
  readonly Properties?: Record<string, Json>;
  /** `Retain`, `RetainExceptOnCreate`, `Delete` or `Snapshot`, where set. */
  readonly DeletionPolicy?: string;
}

/** One CloudFormation stack of the assembly, with its template. */
export interface AssemblyStack {
  /** The artifact id (the stack's name unless `stackName` was set). */
  readonly id: string;
  /** The CloudFormation stack name. */
  readonly stackName: string;
  /** The stack's region, or undefined for an environment-agnostic stack. */
  readonly region: string | undefined;
  /** The stack's account, or undefined for an account-agnostic stack. */
  readonly account: string | undefined;
  /** The bootstrap stack version the manifest requires for deploying this stack, where it says. */
  readonly requiresBootstrapStackVersion: number | undefined;
  /** The SSM parameter holding the bootstrap stack version (`/cdk-bootstrap/<qualifier>/version`), where the manifest says. */
  readonly bootstrapStackVersionSsmParameter: string | undefined;
  /** The template's `Parameters`. */
  readonly parameters: Readonly<Record<string, Json>>;
  /** The template's `Rules` (CDK's `CheckBootstrapVersion`, for one). */
  readonly rules: Readonly<Record<string, Json>>;
  /** Stack-level tags recorded in the manifest. */
  readonly tags: Readonly<Record<string, string>>;
  /** The template's `Description`. */
  readonly description: string | undefined;
  /** The template's resources by logical id. */
  readonly resources: Readonly<Record<string, TemplateResource>>;
  /** Construct path (below the stack) of each logical id, where the assembly records it. */
  readonly paths: ReadonlyMap<string, string>;
}

/** The stacks of a cloud assembly. */
export interface StackAssembly {
  /** The assembly directory's own name (never its absolute path). */
  readonly name: string;
  /** The cloud assembly schema version of `manifest.json`. */
  readonly version: string;
  /** Every stack, nested assemblies (Stages) included, in manifest order. */
  readonly stacks: readonly AssemblyStack[];
}

/** What the trust report reads: the stacks and the compliance packs' validation report. */
export interface Assembly extends StackAssembly {
  /** `validation-report.json`: every plugin's findings and acknowledgements. */
  readonly validation: PolicyValidationReportJson;
}

/** Name of the compliance packs' report in the assembly directory. */
export const VALIDATION_REPORT_FILE = 'validation-report.json';

/**
 * Reads a synthesized cloud assembly (`manifest.json`, each stack's template and
 * metadata, and `validation-report.json`).
 * @throws ReportError naming the missing or unreadable file
 */
export function readAssembly(dir: string): Assembly {
  const assembly = readStackAssembly(dir);
  const reportFile = join(dir, VALIDATION_REPORT_FILE);
  if (!existsSync(reportFile)) {
    throw new ReportError(`${reportFile}: not found; expected the compliance report (synthesize with applyCompliance attached)`);
  }
  let validation: PolicyValidationReportJson;
  try {
    validation = Manifest.loadValidationReport(reportFile);
  } catch (e) {
    throw new ReportError(`${reportFile}: unreadable (${firstLine(e)}); expected a policy validation report`);
  }
  if (!Array.isArray(validation?.pluginReports)) {
    throw new ReportError(`${reportFile}: found no pluginReports array; expected a policy validation report`);
  }
  return { ...assembly, validation };
}

/**
 * Reads the stacks of a synthesized cloud assembly (`manifest.json`, each stack's template
 * and metadata), without the compliance report.
 * @throws ReportError naming the missing or unreadable file
 */
export function readStackAssembly(dir: string): StackAssembly {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ReportError(`${dir}: no such directory; expected a cloud assembly (run \`npx cdk synth\` first, or pass --assembly <dir>)`);
  }
  const manifestFile = join(dir, 'manifest.json');
  if (!existsSync(manifestFile)) {
    throw new ReportError(`${manifestFile}: not found; expected the manifest of a cloud assembly (run \`npx cdk synth\` first)`);
  }
  const manifest = loadManifest(manifestFile);
  const stacks = readStacks(dir, manifestFile, manifest);
  if (stacks.length === 0) throw new ReportError(`${manifestFile}: found no CloudFormation stacks; expected at least one stack`);
  return { name: dir.split(/[\\/]/).filter(Boolean).pop() ?? dir, version: manifest.version, stacks };
}

function loadManifest(file: string): AssemblyManifest {
  try {
    return Manifest.loadAssemblyManifest(file);
  } catch (e) {
    throw new ReportError(`${file}: unreadable (${firstLine(e)}); expected a cloud assembly manifest`);
  }
}

function readStacks(dir: string, manifestFile: string, manifest: AssemblyManifest): AssemblyStack[] {
  const stacks: AssemblyStack[] = [];
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    const props = (artifact.properties ?? {}) as Record<string, unknown>;
    if (artifact.type === 'cdk:cloud-assembly' && typeof props.directoryName === 'string') {
      const nested = join(dir, props.directoryName);
      const nestedFile = join(nested, 'manifest.json');
      if (!existsSync(nestedFile)) throw new ReportError(`${nestedFile}: not found; expected the manifest of nested assembly ${id}`);
      stacks.push(...readStacks(nested, nestedFile, loadManifest(nestedFile)));
    }
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    if (typeof props.templateFile !== 'string') throw new ReportError(`${manifestFile}: stack ${id} names no templateFile`);
    const template = readJson(join(dir, props.templateFile), `the template of stack ${id} named in manifest.json`);
    const resources = (template as { Resources?: unknown }).Resources;
    if (resources === null || typeof resources !== 'object') {
      throw new ReportError(`${join(dir, props.templateFile)}: found no Resources object; expected a CloudFormation template`);
    }
    const metadata = artifact.additionalMetadataFile
      ? readJson(join(dir, artifact.additionalMetadataFile), `the metadata of stack ${id} named in manifest.json`)
      : (artifact.metadata ?? {});
    const stackName = typeof props.stackName === 'string' ? props.stackName : id;
    stacks.push({
      id,
      stackName,
      region: regionOf(artifact.environment),
      account: accountOf(artifact.environment),
      requiresBootstrapStackVersion: typeof props.requiresBootstrapStackVersion === 'number' ? props.requiresBootstrapStackVersion : undefined,
      bootstrapStackVersionSsmParameter: typeof props.bootstrapStackVersionSsmParameter === 'string' ? props.bootstrapStackVersionSsmParameter : undefined,
      parameters: objectOf((template as { Parameters?: unknown }).Parameters),
      rules: objectOf((template as { Rules?: unknown }).Rules),
      tags: (props.tags as Record<string, string> | undefined) ?? {},
      description: typeof (template as { Description?: unknown }).Description === 'string' ? (template as { Description: string }).Description : undefined,
      resources: resources as Record<string, TemplateResource>,
      paths: logicalIdPaths(metadata, artifact.displayName ?? id),
    });
  }
  return stacks;
}

function accountOf(environment: string | undefined): string | undefined {
  const account = /^aws:\/\/([^/]+)\//.exec(environment ?? '')?.[1];
  return account && account !== 'unknown-account' ? account : undefined;
}

function objectOf(value: unknown): Record<string, Json> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, Json>) : {};
}

function regionOf(environment: string | undefined): string | undefined {
  const region = /^aws:\/\/[^/]+\/(.+)$/.exec(environment ?? '')?.[1];
  return region && region !== 'unknown-region' ? region : undefined;
}

// The metadata maps construct paths to `aws:cdk:logicalId`; invert it, paths relative to the stack.
function logicalIdPaths(metadata: unknown, stackPath: string): Map<string, string> {
  const paths = new Map<string, string>();
  for (const [path, entries] of Object.entries((metadata ?? {}) as Record<string, unknown>)) {
    if (!Array.isArray(entries)) continue;
    for (const entry of entries as Array<{ type?: unknown; data?: unknown }>) {
      if (entry?.type === 'aws:cdk:logicalId' && typeof entry.data === 'string') {
        paths.set(entry.data, path.replace(new RegExp(`^/${escapeRegExp(stackPath)}/`), ''));
      }
    }
  }
  return paths;
}

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ReportError(`${file}: not found; expected ${what}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ReportError(`${file}: not JSON (${firstLine(e)}); expected ${what}`);
  }
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0]!;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
