import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { TenantStore } from '../../constructs/tenant-store';
import { startLocalTable } from '../../dev/local-table';

it('creates the local tenant table with the key schema the TenantStore construct deploys', async () => {
  const stack = new Stack(new App(), 'Schema');
  new TenantStore(stack, 'TenantStore', { encryptionKey: new kms.Key(stack, 'Key') });
  const deployed = Object.values(Template.fromStack(stack).findResources('AWS::DynamoDB::Table'))[0]!.Properties;
  const table = await startLocalTable();
  try {
    const local = (await table.client.send(new DescribeTableCommand({ TableName: table.tableName }))).Table!;
    expect(local.KeySchema).toEqual(deployed.KeySchema);
    expect(local.AttributeDefinitions).toEqual(deployed.AttributeDefinitions);
  } finally {
    await table.close();
  }
});
