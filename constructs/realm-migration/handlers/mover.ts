// Lambda entry of a realm's migration function: runs the migration hooks the app function
// passes on (after verifying their tokens) on the realm's MigrationEngine, which reaches
// every realm's stores in its own region and flips the tenant directory on commit (by the
// tenant's slot, hashed here under the directory key: no tenant id leaves the realm). The
// work runs on its own: each invocation works a minute, then invokes the function again.
import { secretsManagerDirectoryKey } from '../../../runtime/directory/directory-key';
import { HashedFunctionDirectory } from '../../../runtime/directory/hashed-function-directory';
import { migrationEngineFromEnvironment } from '../../../runtime/lambda/realm-stores';
import { readSettings } from '../../../runtime/lambda/settings';
import { LambdaContinuation, migrationCallHandler } from '../../../runtime/migration';

const { directoryFunction, directoryKeySecretArn } = readSettings(['directoryFunction', 'directoryKeySecretArn']);

/** Lambda handler: one migration call in, its result (or the engine's refusal) out. */
export const handler = migrationCallHandler(
  migrationEngineFromEnvironment(
    new HashedFunctionDirectory({ functionName: directoryFunction, directoryKey: secretsManagerDirectoryKey(directoryKeySecretArn) }),
    process.env,
    // The copy and the deletions go on in invocations the function sends itself.
    new LambdaContinuation().continue,
  ),
);
