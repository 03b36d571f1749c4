import { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { IConstruct } from 'constructs';

/** What the app function may do with tenant items (transactions need the same per-item actions). */
export const APP_TABLE_ACTIONS = ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'ConditionCheckItem'] as const;
/** What the Connect authorizer may do with tenant items: read only. */
export const AUTHORIZER_TABLE_ACTIONS = ['GetItem', 'Query'] as const;

/**
 * Item actions on the tenant table, and `kms:Decrypt` of its customer managed key. DynamoDB
 * unwraps a CMK table's key with the caller's credentials (CDK's own table grants add
 * `kms:Decrypt` for this reason), so the caller needs it, but only through DynamoDB in
 * this region and only for this table (DynamoDB's encryption context names it).
 */
export function tableStatements(scope: IConstruct, table: dynamodb.ITable, key: kms.IKey, actions: readonly string[]): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({ actions: actions.map((a) => `dynamodb:${a}`), resources: [table.tableArn] }),
    decryptViaService(scope, key, 'dynamodb', { 'kms:EncryptionContext:aws:dynamodb:tableName': table.tableName }),
  ];
}

/**
 * Tenant data keys under the realm key: only with the encryption context the runtime
 * always passes (`app` and the owner `realm` fixed, a `tenant` present), so the
 * permission cannot unwrap anything else the realm key protects.
 */
export function dataKeyStatement(key: kms.IKey, appKey: string, realm: string, actions: readonly ('kms:GenerateDataKey' | 'kms:Decrypt')[]): iam.PolicyStatement {
  return new iam.PolicyStatement({
    actions: [...actions],
    resources: [key.keyArn],
    conditions: {
      StringEquals: { 'kms:EncryptionContext:app': appKey, 'kms:EncryptionContext:realm': realm },
      Null: { 'kms:EncryptionContext:tenant': 'false' },
    },
  });
}

/**
 * Reading the named secrets, and decrypting them with the realm key only through Secrets
 * Manager in this region and only for these secrets (its encryption context names the secret).
 */
export function secretStatements(scope: IConstruct, secrets: readonly secretsmanager.ISecret[], key: kms.IKey): iam.PolicyStatement[] {
  if (secrets.length === 0) return [];
  const arns = secrets.map((s) => s.secretArn);
  return [
    new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: arns }),
    decryptViaService(scope, key, 'secretsmanager', { 'kms:EncryptionContext:SecretARN': arns }),
  ];
}

/** `kms:Decrypt` (or `actions`) on the realm key only through `service` in this region and only for the given encryption context. */
export function decryptViaService(scope: IConstruct, key: kms.IKey, service: string, context: Record<string, string | string[]>, actions: readonly string[] = ['kms:Decrypt']): iam.PolicyStatement {
  return new iam.PolicyStatement({
    actions: [...actions],
    resources: [key.keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `${service}.${Stack.of(scope).region}.amazonaws.com`, ...context } },
  });
}
