import * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * The one Lambda runtime of the code base: the newest Node.js runtime the pinned
 * aws-cdk-lib (2.276) knows, which AwsSolutions-L1 demands. Bundling targets derive from it.
 */
export const LAMBDA_RUNTIME: lambda.Runtime = lambda.Runtime.NODEJS_24_X;

/**
 * The X-Ray actions a traced function needs (what CDK's `tracing` option grants): its role
 * holds them, and the private network's X-Ray endpoint allows no others.
 */
export const XRAY_WRITE_ACTIONS: readonly string[] = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'];
