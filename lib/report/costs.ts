import { AssemblyStack, TemplateResource } from './assembly';
import { at, isTrue, list, num } from './json';
import { HOURS_PER_MONTH, PRICE_TABLE_SOURCE, PriceName, UNIT_PRICES } from './unit-prices';

/** What one tenant is assumed to do in a month; every per-tenant figure follows from these. */
export interface TenantAssumptions {
  /** API requests per tenant per month. */
  readonly requestsPerMonth: number;
  /** Lambda invocations per request (an authorizer and the app function). */
  readonly invocationsPerRequest: number;
  /** Average duration of one invocation, in milliseconds. */
  readonly averageDurationMs: number;
  /** Tenant-table read request units per request. */
  readonly tableReadsPerRequest: number;
  /** Tenant-table write request units per request. */
  readonly tableWritesPerRequest: number;
  /** Data the tenant keeps in the tenant table, in KB. */
  readonly storedKb: number;
  /** Data the tenant keeps in object storage, in KB. */
  readonly objectKb: number;
  /** Log bytes written per request (access, execution and function logs together). */
  readonly logBytesPerRequest: number;
}

/** The assumptions used when none are given: a small, active tenant. */
export const DEFAULT_TENANT_ASSUMPTIONS: TenantAssumptions = {
  requestsPerMonth: 10_000,
  invocationsPerRequest: 2,
  averageDurationMs: 100,
  tableReadsPerRequest: 2,
  tableWritesPerRequest: 0.2,
  storedKb: 256,
  objectKb: 1024,
  logBytesPerRequest: 2048,
};

/** One line of an estimate: quantity times unit price. */
export interface CostLine {
  /** What is priced. */
  readonly item: string;
  /** How many units. */
  readonly quantity: number;
  /** The unit price's name in the price table. */
  readonly price: PriceName;
  /** Unit price in USD. */
  readonly unitPriceUsd: number;
  /** quantity x unit price, USD per month. */
  readonly monthlyUsd: number;
}

/** The estimate for one stack. */
export interface StackCost {
  /** The stack. */
  readonly stack: string;
  /** What must be paid whether or not there are tenants, USD per month. */
  readonly fixedMonthlyUsd: number;
  /** The lines of the fixed cost. */
  readonly fixed: readonly CostLine[];
  /** What one more tenant adds, USD per month. */
  readonly perTenantMonthlyUsd: number;
  /** The lines of the per-tenant cost. */
  readonly perTenant: readonly CostLine[];
}

/** The cost estimate: stated as an estimate, with its price table and assumptions. */
export interface CostEstimate {
  /** Always true: these are list-price estimates, not a bill. */
  readonly estimate: true;
  /** Always USD. */
  readonly currency: 'USD';
  /** Where the unit prices come from. */
  readonly priceTable: typeof PRICE_TABLE_SOURCE;
  /** Per-tenant assumptions. */
  readonly assumptions: TenantAssumptions;
  /** One estimate per stack. */
  readonly stacks: readonly StackCost[];
}

/** A stack to price, and whether it stores tenant data (a realm stack) or only routes requests (the edge). */
export interface PricedStack {
  /** The stack. */
  readonly stack: AssemblyStack;
  /** True for a realm stack: tenant storage lines apply. */
  readonly holdsTenantData: boolean;
}

/** Estimates the fixed monthly and the per-tenant monthly cost of each stack from its template. */
export function estimateCosts(stacks: readonly PricedStack[], assumptions: TenantAssumptions = DEFAULT_TENANT_ASSUMPTIONS): CostEstimate {
  return {
    estimate: true,
    currency: 'USD',
    priceTable: PRICE_TABLE_SOURCE,
    assumptions,
    stacks: stacks.map(({ stack: s, holdsTenantData }) => {
      const fixed = fixedLines(s);
      const perTenant = tenantLines(s, assumptions, holdsTenantData);
      return { stack: s.stackName, fixedMonthlyUsd: total(fixed), fixed, perTenantMonthlyUsd: total(perTenant), perTenant };
    }),
  };
}

function fixedLines(s: AssemblyStack): CostLine[] {
  const endpoints = ofType(s, 'AWS::EC2::VPCEndpoint').filter((r) => r.Properties?.VpcEndpointType === 'Interface');
  const acls = ofType(s, 'AWS::WAFv2::WebACL');
  return [
    line('KMS customer managed keys', ofType(s, 'AWS::KMS::Key').length, 'kmsKeyMonth'),
    line('Secrets Manager secrets', ofType(s, 'AWS::SecretsManager::Secret').length, 'secretMonth'),
    line('WAF web ACLs', acls.length, 'wafWebAclMonth'),
    line('WAF rules and rule groups', acls.reduce((n, a) => n + list(a.Properties?.Rules).length, 0), 'wafRuleMonth'),
    line('VPC interface endpoint AZ-hours', endpoints.reduce((n, e) => n + Math.max(1, list(e.Properties?.SubnetIds).length), 0) * HOURS_PER_MONTH, 'interfaceEndpointAzHour'),
    line('NAT gateway hours', ofType(s, 'AWS::EC2::NatGateway').length * HOURS_PER_MONTH, 'natGatewayHour'),
  ].filter((l) => l.quantity > 0);
}

function tenantLines(s: AssemblyStack, a: TenantAssumptions, holdsTenantData: boolean): CostLine[] {
  const requests = a.requestsPerMonth;
  // Only realm stacks run functions per request; an edge stack's functions (custom resources) run at deploy time.
  const functions = holdsTenantData ? ofType(s, 'AWS::Lambda::Function') : [];
  const tables = holdsTenantData ? ofType(s, 'AWS::DynamoDB::Table').concat(ofType(s, 'AWS::DynamoDB::GlobalTable')) : [];
  const has = (type: string): boolean => ofType(s, type).length > 0;
  // Priced at the largest function of the stack: an upper bound, not a guess at which one runs.
  const biggest = functions.reduce<TemplateResource | undefined>((m, f) => (memoryOf(f) > (m ? memoryOf(m) : 0) ? f : m), undefined);
  const arm = biggest !== undefined && list(biggest.Properties?.Architectures).includes('arm64');
  const storedGb = a.storedKb / 1024 / 1024;
  const invocations = requests * a.invocationsPerRequest;
  const logGb = (requests * a.logBytesPerRequest) / 1e9;
  return [
    line('API Gateway requests (millions)', has('AWS::ApiGateway::RestApi') ? requests / 1e6 : 0, 'apiGatewayRestPerMillion'),
    line('WAF inspected requests (millions)', has('AWS::WAFv2::WebACL') ? requests / 1e6 : 0, 'wafPerMillionRequests'),
    line('CloudFront HTTPS requests (10,000s)', has('AWS::CloudFront::Distribution') ? requests / 1e4 : 0, 'cloudFrontPer10kHttps'),
    line('CloudFront Function invocations (millions)', has('AWS::CloudFront::Function') ? requests / 1e6 : 0, 'cloudFrontFunctionPerMillion'),
    line('Lambda invocations (millions)', biggest ? invocations / 1e6 : 0, 'lambdaPerMillion'),
    line(`Lambda GB-seconds at ${biggest ? memoryOf(biggest) : 0} MB`, biggest ? (invocations * a.averageDurationMs * memoryOf(biggest)) / 1000 / 1024 : 0, arm ? 'lambdaGbSecondArm' : 'lambdaGbSecondX86'),
    line('DynamoDB read request units (millions)', tables.length ? (requests * a.tableReadsPerRequest) / 1e6 : 0, 'dynamoReadPerMillion'),
    line('DynamoDB write request units (millions)', tables.length ? (requests * a.tableWritesPerRequest) / 1e6 : 0, 'dynamoWritePerMillion'),
    line('DynamoDB storage (GB-month)', tables.length ? storedGb : 0, 'dynamoGbMonth'),
    line('DynamoDB point-in-time recovery (GB-month)', tables.some((t) => isTrue(at(t.Properties, 'PointInTimeRecoverySpecification', 'PointInTimeRecoveryEnabled'))) ? storedGb : 0, 'dynamoPitrGbMonth'),
    line(`AWS Backup copies of the table (GB-month, daily copies kept ${backupDays(s)} days)`, tables.length ? storedGb * backupDays(s) : 0, 'backupGbMonth'),
    line('S3 storage (GB-month)', holdsTenantData && has('AWS::S3::Bucket') ? a.objectKb / 1024 / 1024 : 0, 's3GbMonth'),
    line('CloudWatch Logs ingested (GB)', functions.length ? logGb : 0, 'logsIngestGb'),
    line(`CloudWatch Logs stored (GB-month, kept ${logMonths(s)} months)`, functions.length ? logGb * logMonths(s) : 0, 'logsStoreGbMonth'),
  ].filter((l) => l.quantity > 0);
}

function line(item: string, quantity: number, price: PriceName): CostLine {
  const unitPriceUsd = UNIT_PRICES[price].usd;
  return { item, quantity: round(quantity), price, unitPriceUsd, monthlyUsd: round(quantity * unitPriceUsd) };
}

function ofType(s: AssemblyStack, type: string): TemplateResource[] {
  return Object.values(s.resources).filter((r) => r.Type === type);
}

function memoryOf(f: TemplateResource): number {
  return num(f.Properties?.MemorySize) ?? 128;
}

// The longest daily-backup retention of the stack's plans (0 when there is no plan).
function backupDays(s: AssemblyStack): number {
  const rules = ofType(s, 'AWS::Backup::BackupPlan').flatMap((p) => list(at(p.Properties, 'BackupPlan', 'BackupPlanRule')));
  return Math.max(0, ...rules.map((r) => num(at(r, 'Lifecycle', 'DeleteAfterDays')) ?? 0));
}

// Months a log event is kept: the longest retention of the stack's log groups (never-expire counted as a year).
function logMonths(s: AssemblyStack): number {
  const days = ofType(s, 'AWS::Logs::LogGroup').map((g) => num(g.Properties?.RetentionInDays) ?? 365);
  return round((Math.max(30, ...days.map((d) => Math.min(d, 365))) * 12) / 365);
}

function total(lines: readonly CostLine[]): number {
  return round(lines.reduce((n, l) => n + l.monthlyUsd, 0));
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
