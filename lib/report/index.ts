import { writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readAssembly } from './assembly';
import { TrustReport } from './model';
import { renderHtml } from './render-html';
import { renderMarkdown } from './render-md';
import { TrustReportOptions, buildTrustReport } from './trust-report';

export * from './assembly';
export * from './costs';
export * from './findings';
export * from './html-escape';
export * from './inventory';
export * from './flows';
export * from './keys';
export * from './mermaid';
export * from './model';
export * from './privacy-answers';
export * from './region-positions';
export * from './render-html';
export * from './render-md';
export * from './residency-map';
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
  /** Path of `trust-report.html`. */
  readonly htmlFile: string;
}

/**
 * Reads the cloud assembly in `dir` and writes `trust-report.md`, `trust-report.json` and `trust-report.html`
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
  const htmlFile = join(dir, 'trust-report.html');
  writeFileSync(markdownFile, renderMarkdown(report));
  writeFileSync(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(htmlFile, renderHtml(report));
  return { report, markdownFile, jsonFile, htmlFile };
}
