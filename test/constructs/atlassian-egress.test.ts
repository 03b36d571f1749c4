import { CfnElement, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { AppFunction } from '../../constructs/app-function';
import { EGRESS_TIMEOUT } from '../../constructs/atlassian-egress';
import { ATLASSIAN_API_HOSTS, EGRESS_DEADLINE_MS } from '../../runtime/atlassian-api';
import { ENV } from '../../runtime/lambda/environment';
import { exampleStacks } from '../helpers/example-app';

const { stacks, templates } = exampleStacks();
const eu = stacks.find((s) => s.realms[0] === 'EU')!;
const resources = templates.get(eu)!.toJSON().Resources as Record<string, any>;
const id = (stack: Stack, c: IConstruct) => stack.getLogicalId((c instanceof CfnElement ? c : c.node.defaultChild) as CfnElement);
const props = (fn: AppFunction) => resources[id(eu, fn.function)].Properties;
const statements = (fn: AppFunction): any[] =>
  resources[id(eu, fn.role)].Properties.ManagedPolicyArns.flatMap((arn: { Ref: string }) => resources[arn.Ref].Properties.PolicyDocument.Statement);
const egress = eu.atlassianEgress.function;

describe('AtlassianEgress in a realm stack', () => {
  it('runs outside the VPC with no data permission: only its logs and X-Ray', () => {
    expect(props(egress).VpcConfig).toBeUndefined();
    expect(egress.dataPolicy).toBeUndefined();
    const actions = statements(egress).flatMap((s) => [s.Action].flat());
    expect([...new Set(actions)].sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  });

  it('carries no tenant setting in its environment, only the Atlassian hosts it reaches', () => {
    expect(props(egress).Environment.Variables).toEqual({ [ENV.egressHosts]: JSON.stringify(ATLASSIAN_API_HOSTS) });
  });

  it('is what the app function may invoke, named in its environment, over the VPC Lambda endpoint', () => {
    const app = eu.secureApi.appFunction;
    expect(props(app).Environment.Variables[ENV.egressFunction]).toEqual({ Ref: id(eu, egress.function) });
    expect(statements(app)).toContainEqual(expect.objectContaining({ Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [id(eu, egress.function), 'Arn'] } }));
    expect(eu.network.lambdaEndpoint).toBeDefined();
  });

  it('nests its times under the app function: call deadline < egress function < app function', () => {
    expect(EGRESS_DEADLINE_MS).toBeLessThan(EGRESS_TIMEOUT.toMilliseconds());
    expect(props(egress).Timeout * 1000).toBe(EGRESS_TIMEOUT.toMilliseconds());
    expect(props(egress).Timeout).toBeLessThan(props(eu.secureApi.appFunction).Timeout);
  });
});
