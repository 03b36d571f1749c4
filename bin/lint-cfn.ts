#!/usr/bin/env node
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

// `npm run lint:cfn [-- <template>...]`: cfn-lint over the templates `npx cdk synth` wrote, with the
// project's .cfnlintrc (the same result as running `cfn-lint` in the project root). Arguments,
// if any, go to cfn-lint and replace the config's templates.
const ROOT = join(__dirname, '..');

function main(args: string[]): number {
  // Without cdk.out cfn-lint only says its glob matched nothing; say what to run instead.
  const cdkOut = join(ROOT, 'cdk.out');
  const templates = existsSync(cdkOut) ? readdirSync(cdkOut).filter((f) => f.endsWith('.template.json')) : [];
  if (args.length === 0 && templates.length === 0) {
    process.stderr.write('lint:cfn: no templates in cdk.out/; run `npx cdk synth` first\n');
    return 1;
  }
  // cwd: the project root, where cfn-lint finds .cfnlintrc.
  const lint = spawnSync('cfn-lint', args, { cwd: ROOT, stdio: 'inherit' });
  if ((lint.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    process.stderr.write('lint:cfn: cfn-lint is not installed; install it with `pip install cfn-lint`\n');
    return 1;
  }
  if (lint.error) throw lint.error;
  // cfn-lint is silent when it finds nothing; say what was linted.
  if (lint.status === 0 && args.length === 0) process.stdout.write(`lint:cfn: ${templates.length} templates in cdk.out/, no findings (ignored rules: .cfnlintrc)\n`);
  return lint.status ?? 1;
}

process.exitCode = main(process.argv.slice(2));
