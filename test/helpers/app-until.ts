import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * Runs the CDK app entry (bin/app.ts) as `npx cdk synth` does, context from CDK_CONTEXT_JSON, until
 * its stderr holds `enough` of the lines that `keep` selects: what the app prints while building
 * the tree, before it validates and synthesizes. Then it is stopped (validation and the assembly are
 * other tests' business) and those lines are returned. Rejects when it exits first, or after 120 s.
 */
export function appStderrLines(context: Record<string, unknown>, keep: (line: string) => boolean, enough: number, env: NodeJS.ProcessEnv = {}): Promise<string[]> {
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), 'bin/app.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, CDK_CONTEXT_JSON: JSON.stringify(context) },
  });
  return new Promise((resolve, reject) => {
    let stderr = '';
    // Whole lines only: the last one is complete once a newline follows it.
    const found = () => stderr.split('\n').slice(0, -1).filter(keep);
    const timer = setTimeout(() => child.kill(), 120_000);
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (found().length >= enough) {
        clearTimeout(timer);
        child.kill();
        resolve(found());
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bin/app.ts exited ${code} after printing ${found().length} of ${enough} expected lines:\n${stderr.slice(-2000)}`));
    });
  });
}
