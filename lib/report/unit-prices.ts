/** One list price. */
export interface UnitPrice {
  /** Price in US dollars. */
  readonly usd: number;
  /** The unit the price is for. */
  readonly per: string;
  /** The pricing page it comes from. */
  readonly source: string;
}

/** When the unit prices were taken from the AWS pricing pages: the year, as no finer date was recorded. */
export const PRICE_DATE = '2025';

/** Where the unit prices come from and how far to trust them. */
export const PRICE_TABLE_SOURCE = {
  /** The file that holds the table, as the report cites it. */
  file: 'lib/report/unit-prices.ts',
  /** The region the prices are for; most other regions cost the same or up to about 30% more. */
  region: 'us-east-1 (US East, N. Virginia)',
  /** When the figures were taken from the AWS pricing pages. */
  asOf: `${PRICE_DATE} list prices (on-demand, no free tier, no discounts); not re-checked online when the report runs`,
  /** The price date, as {@link PRICE_DATE}. */
  priceDate: PRICE_DATE,
} as const;


const page = (service: string): string => `https://aws.amazon.com/${service}/pricing/`;

/**
 * The unit prices the cost estimate uses: one place to update when AWS changes a price.
 * Hours per month are 730.
 */
export const UNIT_PRICES = {
  kmsKeyMonth: { usd: 1.0, per: 'customer managed key per month', source: page('kms') },
  secretMonth: { usd: 0.4, per: 'secret per month', source: page('secrets-manager') },
  wafWebAclMonth: { usd: 5.0, per: 'web ACL per month', source: page('waf') },
  wafRuleMonth: { usd: 1.0, per: 'rule or rule group per web ACL per month', source: page('waf') },
  wafPerMillionRequests: { usd: 0.6, per: 'million requests inspected', source: page('waf') },
  interfaceEndpointAzHour: { usd: 0.01, per: 'VPC interface endpoint per AZ-hour', source: page('privatelink') },
  natGatewayHour: { usd: 0.045, per: 'NAT gateway hour', source: page('vpc') },
  dynamoWritePerMillion: { usd: 0.625, per: 'million on-demand write request units', source: page('dynamodb') },
  dynamoReadPerMillion: { usd: 0.125, per: 'million on-demand read request units', source: page('dynamodb') },
  dynamoGbMonth: { usd: 0.25, per: 'GB-month of table storage', source: page('dynamodb') },
  dynamoPitrGbMonth: { usd: 0.2, per: 'GB-month of continuous backup (point-in-time recovery)', source: page('dynamodb') },
  backupGbMonth: { usd: 0.1, per: 'GB-month of AWS Backup warm storage (DynamoDB)', source: page('backup') },
  s3GbMonth: { usd: 0.023, per: 'GB-month of S3 Standard storage', source: page('s3') },
  logsIngestGb: { usd: 0.5, per: 'GB of CloudWatch Logs ingested', source: page('cloudwatch') },
  logsStoreGbMonth: { usd: 0.03, per: 'GB-month of CloudWatch Logs stored', source: page('cloudwatch') },
  lambdaPerMillion: { usd: 0.2, per: 'million Lambda invocations', source: page('lambda') },
  lambdaGbSecondArm: { usd: 0.0000133334, per: 'Lambda GB-second (arm64)', source: page('lambda') },
  lambdaGbSecondX86: { usd: 0.0000166667, per: 'Lambda GB-second (x86_64)', source: page('lambda') },
  apiGatewayRestPerMillion: { usd: 3.5, per: 'million REST API requests (first 333 million)', source: page('api-gateway') },
  cloudFrontPer10kHttps: { usd: 0.01, per: '10,000 HTTPS requests (North America and Europe)', source: page('cloudfront') },
  cloudFrontFunctionPerMillion: { usd: 0.1, per: 'million CloudFront Function invocations', source: page('cloudfront') },
} as const satisfies Record<string, UnitPrice>;

/** The name of a unit price in {@link UNIT_PRICES}. */
export type PriceName = keyof typeof UNIT_PRICES;

/** Hours in a month, as AWS bills them. */
export const HOURS_PER_MONTH = 730;
