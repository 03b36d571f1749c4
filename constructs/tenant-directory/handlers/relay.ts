// Lambda entry of a realm's directory relay: takes tenant directory requests from the app's
// functions (which have no route out of their VPC), hashes each tenant id here under the
// directory key, and sends the edge's writer in us-east-1 only the slot and realm name.
import { secretsManagerDirectoryKey } from '../../../runtime/directory/directory-key';
import { directoryRequestHandler, onlyRealms } from '../../../runtime/directory/directory-request';
import { HashedFunctionDirectory } from '../../../runtime/directory/hashed-function-directory';
import { readSettings } from '../../../runtime/lambda/settings';

const { directoryFunction, directoryRealms, directoryKeySecretArn } = readSettings(['directoryFunction', 'directoryRealms', 'directoryKeySecretArn']);

/** Lambda handler: a directory request in, the writer's answer out. */
export const handler = directoryRequestHandler(
  onlyRealms(new HashedFunctionDirectory({ functionName: directoryFunction, directoryKey: secretsManagerDirectoryKey(directoryKeySecretArn) }), directoryRealms),
);
