#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ReportError, writeTrustReport } from '../lib/report';

const USAGE = 'usage: npm run report [-- --assembly <dir>]   (default dir: cdk.out)';

// Everything that can go wrong is the user's to fix: one line naming what and where, never a stack trace.
function main(): number {
  let assembly: string;
  try {
    const { values } = parseArgs({ options: { assembly: { type: 'string', default: 'cdk.out' }, help: { type: 'boolean', short: 'h' } }, strict: true });
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    assembly = values.assembly!;
  } catch (e) {
    process.stderr.write(`trust report: ${(e as Error).message}; ${USAGE}\n`);
    return 1;
  }
  try {
    const { report, markdownFile, jsonFile, htmlFile } = writeTrustReport(assembly);
    process.stdout.write(`wrote ${markdownFile}, ${jsonFile} and ${htmlFile}: ${report.realms.length} realms, ${report.findings.acknowledged.length} acknowledged findings, ${report.flags.length} flagged\n`);
    return 0;
  } catch (e) {
    const message = e instanceof ReportError ? e.message : `unexpected error (${String((e as Error)?.message ?? e).split('\n')[0]})`;
    process.stderr.write(`trust report: ${message}\n`);
    return 1;
  }
}

process.exitCode = main();
