import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { STATEFUL_REMOVAL_POLICY } from '../removal-policy';
import { TABLE_LAYOUT } from '../../runtime/tenants/table-layout';

/** Props of {@link TenantStore}. */
export interface TenantStoreProps {
  /** The realm key that encrypts the table. */
  readonly encryptionKey: kms.IKey;
  /**
   * A fixed table name, for a table that functions in other regions reach by name (migrations).
   * @default - a name CloudFormation generates
   */
  readonly tableName?: string;
  /**
   * What happens to the table when it leaves the stack.
   * @default STATEFUL_REMOVAL_POLICY (kept on update and delete, removed when the first create rolls back)
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The realm's tenant table: every item is keyed by tenant (`pk`; installation claims by
 * installation) and encrypted with the realm key; point-in-time recovery and deletion
 * protection on, retained when the stack goes, and never replicated (a `Table`, not a
 * global table). DynamoDB TTL on `expiresAt` deletes an uninstalled tenant's wrapped data
 * key after its grace period, which crypto-shreds the tenant.
 */
export class TenantStore extends Construct {
  /** Name of the partition key: the tenant's partition (or an installation claim). */
  public static readonly PARTITION_KEY = TABLE_LAYOUT.partitionKey;
  /** Name of the sort key: the item within the partition (record, wrapped key, data item). */
  public static readonly SORT_KEY = TABLE_LAYOUT.sortKey;
  /** Name of the TTL attribute (epoch seconds): set on an uninstalled tenant's items. */
  public static readonly TTL_ATTRIBUTE = TABLE_LAYOUT.ttlAttribute;

  /** The DynamoDB table. */
  public readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: TenantStoreProps) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Resource', {
      tableName: props.tableName,
      partitionKey: { name: TenantStore.PARTITION_KEY, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TenantStore.SORT_KEY, type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: TenantStore.TTL_ATTRIBUTE,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.encryptionKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: props.removalPolicy ?? STATEFUL_REMOVAL_POLICY,
    });
  }

  /** Lets `grantee` read tenant items (and decrypt them with the realm key). */
  public grantReadData(grantee: iam.IGrantable): iam.Grant {
    return this.table.grantReadData(grantee);
  }

  /** Lets `grantee` read and write tenant items. */
  public grantReadWriteData(grantee: iam.IGrantable): iam.Grant {
    return this.table.grantReadWriteData(grantee);
  }
}
