import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { ESBUILD_OPTIONS } from '../../constructs/app-function';
import { DIRECTORY_HANDLERS } from '../../constructs/tenant-directory';

describe('directory writer bundle', () => {
  it('signs its KeyValueStore requests with SigV4A when bundled as deployed, and refuses a request carrying a tenant id', () => {
    const outfile = join(mkdtempSync(join(tmpdir(), 'writer-')), 'index.js');
    buildSync({ ...ESBUILD_OPTIONS, target: 'node20', entryPoints: [DIRECTORY_HANDLERS.writer], outfile, logLevel: 'silent' });
    const run = spawnSync(process.execPath, [join(__dirname, '..', 'helpers', 'run-writer-bundle.cjs'), outfile], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(0);
    const { answer, refusal, requests } = JSON.parse(run.stdout);
    expect(answer).toEqual({ realm: null }); // the tenant's bucket is absent: not in the directory
    // A lookup by slot needs no key: the one request is the KVS read, signed with SigV4A.
    expect(requests[0]).toMatchObject({ scheme: 'AWS4-ECDSA-P256-SHA256', regionSet: '*' });
    expect(requests[0].path).toMatch(/^\/key-value-stores\/arn%3Aaws%3Acloudfront%3A%3A123456789012%3Akey-value-store%2F0a1b2c3d-[^/]+\/keys\/AbC$/);
    expect(refusal).toEqual({ error: 'directory writer request: carries a tenantId; the writer takes only a bucket and fingerprint hashed in the realm' });
    expect(requests).toHaveLength(1); // the refused request reached neither Secrets Manager nor the store
  });
});
