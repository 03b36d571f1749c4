import { writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readAssembly } from './assembly';
import { TrustReport } from './model';
import { renderMarkdown } from './render-md';
import { TrustReportOptions, buildTrustReport } from './trust-report';

export * from './assembly';
export * from './costs';
export * from './findings';
export * from './flows';
export * from './keys';
export * from './mermaid';
export * from './model';
export * from './privacy-answers';
export * from './render-md';
export * from './stack-realms';
export * from './stores';
export * from './trust-report';
export * from './unit-prices';

/** What {@link writeTrustReport} wrote. */
export interface WrittenTrustReport {
  /** The report. */
  readonly report: TrustReport;
  /** Path of `trust-report.md`. */
  readonly markdownFile: string;
  /** Path of `trust-report.json`. */
  readonly jsonFile: string;
}

/**
 * Reads the cloud assembly in `dir` and writes `trust-report.md` and `trust-report.json`
 * beside it. Absolute paths of the build (the working directory, the assembly, home and
 * temp directories) are scrubbed from every text taken from the assembly.
 * @throws ReportError when the assembly is missing or unreadable
 */
export function writeTrustReport(dir: string, options: TrustReportOptions = {}): WrittenTrustReport {
  const assembly = readAssembly(dir);
  const roots = [resolve(dir), process.cwd(), homedir(), tmpdir(), ...(options.scrubRoots ?? [])];
  const report = buildTrustReport(assembly, { ...options, scrubRoots: roots });
  const markdownFile = join(dir, 'trust-report.md');
  const jsonFile = join(dir, 'trust-report.json');
  writeFileSync(markdownFile, renderMarkdown(report));
  writeFileSync(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
  return { report, markdownFile, jsonFile };
}
