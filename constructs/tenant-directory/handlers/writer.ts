// Lambda entry of the edge's directory writer (us-east-1): applies tenant directory requests
// from the realms' relays to the CloudFront KeyValueStore the edge router reads.
import { secretsManagerDirectoryKey } from '../../../runtime/directory/directory-key';
import { directoryRequestHandler, onlyRealms } from '../../../runtime/directory/directory-request';
import { KeyValueStoreDirectory } from '../../../runtime/directory/key-value-store-directory';
import { readSettings } from '../../../runtime/lambda/settings';

const { directoryKvsArn, directoryKeySecretArn, directoryRealms } = readSettings(['directoryKvsArn', 'directoryKeySecretArn', 'directoryRealms']);

/** Lambda handler: a directory request in, its answer out. */
export const handler = directoryRequestHandler(
  onlyRealms(new KeyValueStoreDirectory({ kvsArn: directoryKvsArn, directoryKey: secretsManagerDirectoryKey(directoryKeySecretArn) }), directoryRealms),
);
