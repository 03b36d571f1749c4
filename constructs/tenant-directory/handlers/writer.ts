// Lambda entry of the edge's directory writer (us-east-1): applies the realms' slot requests
// (tenant ids hashed in their realm) to the CloudFront KeyValueStore the edge router reads.
import { secretsManagerDirectoryKey } from '../../../runtime/directory/directory-key';
import { KeyValueStoreDirectory } from '../../../runtime/directory/key-value-store-directory';
import { slotRequestHandler } from '../../../runtime/directory/slot-request';
import { readSettings } from '../../../runtime/lambda/settings';

const { directoryKvsArn, directoryKeySecretArn, directoryRealms } = readSettings(['directoryKvsArn', 'directoryKeySecretArn', 'directoryRealms']);

/** Lambda handler: a slot request in, its answer out. */
export const handler = slotRequestHandler(new KeyValueStoreDirectory({ kvsArn: directoryKvsArn, directoryKey: secretsManagerDirectoryKey(directoryKeySecretArn) }), directoryRealms);
