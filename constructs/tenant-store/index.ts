import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** Props of {@link TenantStore}. */
export interface TenantStoreProps {
  /** The realm key that encrypts the table. */
  readonly encryptionKey: kms.IKey;
  /**
   * What happens to the table when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The realm's tenant table: every item is keyed by tenant (`pk`) and encrypted with
 * the realm key; point-in-time recovery and deletion protection on, retained when the
 * stack goes, and never replicated (a `Table`, not a global table).
 */
export class TenantStore extends Construct {
  /** Name of the partition key: the tenant id. */
  public static readonly PARTITION_KEY = 'pk';
  /** Name of the sort key: the item id within a tenant. */
  public static readonly SORT_KEY = 'sk';

  /** The DynamoDB table. */
  public readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: TenantStoreProps) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Resource', {
      partitionKey: { name: TenantStore.PARTITION_KEY, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TenantStore.SORT_KEY, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.encryptionKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
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
