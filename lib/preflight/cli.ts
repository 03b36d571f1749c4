import { parseArgs } from 'node:util';
import { PreflightClients } from './clients';
import { preflight } from './preflight';
import { PreflightError, formatProblem } from './problem';

const USAGE = 'usage: npm run preflight [-- --assembly <dir>]   (default dir: cdk.out; run `npx cdk synth` first)';

/** Where the command writes, and the clients it reads with (tests inject both). */
export interface PreflightCliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly clients?: Partial<PreflightClients>;
}

/**
 * `npm run preflight`: one line per problem and exit code 1, a one-line summary and 0 when
 * clean, one line on stderr and 2 when it cannot run (bad arguments, assembly or credentials).
 */
export async function preflightCli(argv: readonly string[], io: PreflightCliIo): Promise<number> {
  let assembly: string;
  try {
    const { values } = parseArgs({ args: [...argv], options: { assembly: { type: 'string', default: 'cdk.out' }, help: { type: 'boolean', short: 'h' } }, strict: true });
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    assembly = values.assembly!;
  } catch (e) {
    io.err(`preflight: ${(e as Error).message}; ${USAGE}`);
    return 2;
  }
  try {
    const result = await preflight({ assembly, clients: io.clients });
    for (const p of result.problems) io.out(formatProblem(p));
    const scope = `${result.stacks.length} stacks in ${result.regions.length} regions (${result.regions.join(', ')}) of account ${result.account}`;
    if (result.problems.length > 0) {
      io.out(`preflight: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'} for ${scope}; fix them before npx cdk deploy --all`);
      return 1;
    }
    io.out(`preflight OK: ${scope} can take the deployment (Lambda concurrency, bootstrap, hosted zone, zones and endpoints, edge, fixed names)`);
    return 0;
  } catch (e) {
    // Never a stack trace: what could not run, in one line.
    const message = e instanceof PreflightError ? e.message : `unexpected error (${String((e as Error)?.message ?? e).split('\n')[0]})`;
    io.err(`preflight: ${message}`);
    return 2;
  }
}
