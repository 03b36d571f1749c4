import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { at } from '../report/json';
import { PreflightContext, RegionalStack, resolveString, resourcesOf } from './context';
import { PreflightProblem, Read, absentOn, errorName, read } from './problem';

/** What a fixed name finds in the account. */
type Holder = 'none' | 'this-account' | 'another-account' | 'another-region';

/**
 * A table or bucket with a fixed name that already exists and is not the stack's own is a
 * leftover (they are retained when a stack is deleted), and CloudFormation would fail to create
 * it: DynamoDB DescribeTable, S3 HeadBucket, CloudFormation DescribeStackResources.
 */
export async function checkFixedNames(ctx: PreflightContext): Promise<PreflightProblem[]> {
  const problems: PreflightProblem[] = [];
  const named = [
    ...resourcesOf(ctx.stacks, 'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable').map((r) => ({ ...r, kind: 'table', name: resolveString(at(r.resource.Properties, 'TableName'), ctx, r.stack.region) })),
    ...resourcesOf(ctx.stacks, 'AWS::S3::Bucket').map((r) => ({ ...r, kind: 'bucket', name: resolveString(at(r.resource.Properties, 'BucketName'), ctx, r.stack.region) })),
  ];
  for (const { stack, logicalId, kind, name } of named) {
    if (!name) continue; // CloudFormation generates the name: nothing can collide
    const holder = kind === 'table' ? await tableHolder(stack, name, ctx) : await bucketHolder(stack, name, ctx);
    if (!holder.ok) {
      problems.push(holder.problem);
      continue;
    }
    if (holder.value === 'none') continue;
    const what = `${kind} ${name}`;
    if (holder.value === 'another-account') {
      problems.push({ region: stack.region, check: 'fixed-names', found: `${what} owned by another account (HeadBucket answers 403, as it does when s3:ListBucket is denied to the caller)`, expected: `the name free for ${stack.stackName}`, fix: 'bucket names are global: use another app key (it derives the names), or grant s3:ListBucket' });
      continue;
    }
    const deployed = await ctx.deployed(stack, 'fixed-names');
    if (!deployed.ok) {
      problems.push(deployed.problem);
      continue;
    }
    if (deployed.value.exists && deployed.value.physicalIds.get(logicalId) === name) continue;
    problems.push({
      region: stack.region,
      check: 'fixed-names',
      found: `${what}${holder.value === 'another-region' ? ' in another region' : ''} that is not part of ${deployed.value.exists ? 'the deployed' : 'any deployed'} stack ${stack.stackName}`,
      expected: `no ${kind} of that name (a leftover of an earlier deployment; stateful resources are retained on stack delete)`,
      fix: `delete it if its data is not needed, or bring it into the stack with npx cdk import ${stack.stackName}`,
    });
  }
  return problems;
}

function tableHolder(stack: RegionalStack, name: string, ctx: PreflightContext): Promise<Read<Holder>> {
  return read(stack.region, 'fixed-names', 'dynamodb:DescribeTable', () =>
    ctx.clients
      .dynamoDb(stack.region)
      .send(new DescribeTableCommand({ TableName: name }))
      .then((): Holder => 'this-account')
      .catch(absentOn('ResourceNotFoundException'))
      .then((h) => h ?? 'none'),
  );
}

// HeadBucket answers 404 for a free name, 403 for another account's bucket, 301 for one in another region.
function bucketHolder(stack: RegionalStack, name: string, ctx: PreflightContext): Promise<Read<Holder>> {
  return read(stack.region, 'fixed-names', 's3:ListBucket', () =>
    ctx.clients
      .s3(stack.region)
      .send(new HeadBucketCommand({ Bucket: name }))
      .then((): Holder => 'this-account')
      .catch((e): Holder => {
        const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if (status === 404 || errorName(e) === 'NotFound') return 'none';
        if (status === 403 || errorName(e) === 'Forbidden') return 'another-account';
        if (status === 301) return 'another-region';
        throw e;
      }),
  );
}
