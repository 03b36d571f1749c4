#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { PreflightError, formatProblem, preflight } from '../lib/preflight';

const USAGE = 'usage: npm run preflight [-- --assembly <dir>]   (default dir: cdk.out; run `npx cdk synth` first)';

// Exit 0 when the account can take the assembly, 1 with one line per problem, 2 when preflight cannot run; never a stack trace.
async function main(): Promise<number> {
  let assembly: string;
  try {
    const { values } = parseArgs({ options: { assembly: { type: 'string', default: 'cdk.out' }, help: { type: 'boolean', short: 'h' } }, strict: true });
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    assembly = values.assembly!;
  } catch (e) {
    process.stderr.write(`preflight: ${(e as Error).message}; ${USAGE}\n`);
    return 2;
  }
  try {
    const result = await preflight({ assembly });
    for (const p of result.problems) process.stdout.write(`${formatProblem(p)}\n`);
    const scope = `${result.stacks.length} stacks in ${result.regions.length} regions (${result.regions.join(', ')}) of account ${result.account}`;
    if (result.problems.length > 0) {
      process.stdout.write(`preflight: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'} for ${scope}; fix them before npx cdk deploy --all\n`);
      return 1;
    }
    process.stdout.write(`preflight OK: ${scope} can take the deployment (Lambda concurrency, bootstrap, hosted zone, zones and endpoints, edge, fixed names)\n`);
    return 0;
  } catch (e) {
    const message = e instanceof PreflightError ? e.message : `unexpected error (${String((e as Error)?.message ?? e).split('\n')[0]})`;
    process.stderr.write(`preflight: ${message}\n`);
    return 2;
  }
}

main().then((code) => (process.exitCode = code));
