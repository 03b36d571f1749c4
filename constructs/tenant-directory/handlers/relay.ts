// Lambda entry of a realm's directory relay: takes tenant directory requests from the app's
// functions (which have no route out of their VPC) and passes them on to the edge's
// directory writer in us-east-1. It holds no data and no key; it may only invoke the writer.
import { directoryRequestHandler, onlyRealms } from '../../../runtime/directory/directory-request';
import { FunctionDirectory } from '../../../runtime/directory/function-directory';
import { readSettings } from '../../../runtime/lambda/settings';

const { directoryFunction, directoryRealms } = readSettings(['directoryFunction', 'directoryRealms']);

/** Lambda handler: a directory request in, the writer's answer out. */
export const handler = directoryRequestHandler(onlyRealms(new FunctionDirectory({ functionName: directoryFunction }), directoryRealms));
