import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { at, str } from '../report/json';
import { PreflightContext, RegionalStack, byRegion } from './context';
import { PreflightProblem, absentOn, read } from './problem';

/** The SSM parameter CDK's default bootstrap stack writes its version to. */
export const DEFAULT_BOOTSTRAP_PARAMETER = '/cdk-bootstrap/hnb659fds/version';

/**
 * Every region a stack deploys to (us-east-1 for the edge stack included) is bootstrapped with
 * at least the version the assembly requires: SSM GetParameter `/cdk-bootstrap/<qualifier>/version`.
 */
export async function checkBootstrap(ctx: PreflightContext): Promise<PreflightProblem[]> {
  const problems: PreflightProblem[] = [];
  for (const [region, stacks] of byRegion(ctx.stacks)) {
    // Stacks of one region may use different qualifiers (different bootstrap stacks): one read per parameter.
    const parameters = new Map<string, number>();
    for (const s of stacks) {
      const name = parameterOf(s);
      parameters.set(name, Math.max(parameters.get(name) ?? 0, requiredVersion(s)));
    }
    for (const [name, required] of parameters) {
      const answer = await read(region, 'bootstrap', 'ssm:GetParameter', () =>
        ctx.clients.ssm(region).send(new GetParameterCommand({ Name: name })).catch(absentOn('ParameterNotFound')),
      );
      if (!answer.ok) {
        problems.push(answer.problem);
        continue;
      }
      const command = bootstrapCommand(ctx.account, region, name);
      const found = answer.value?.Parameter?.Value;
      if (found === undefined) {
        problems.push({ region, check: 'bootstrap', found: `no CDK bootstrap stack (no SSM parameter ${name})`, expected: `bootstrap version ${required} or newer`, fix: `run ${command}` });
      } else if (!(Number(found) >= required)) {
        problems.push({ region, check: 'bootstrap', found: `bootstrap version ${found} (${name})`, expected: `version ${required} or newer`, fix: `run ${command} to upgrade it` });
      }
    }
  }
  return problems;
}

function parameterOf(s: RegionalStack): string {
  return s.bootstrapStackVersionSsmParameter ?? str(at(s.parameters, 'BootstrapVersion', 'Default')) ?? DEFAULT_BOOTSTRAP_PARAMETER;
}

/** The larger of the manifest's `requiresBootstrapStackVersion` and what the template's BootstrapVersion rule rejects. */
export function requiredVersion(s: RegionalStack): number {
  let required = s.requiresBootstrapStackVersion ?? 0;
  // CDK's rule: Fn::Not [ Fn::Contains [ ["1", ..., "N-1"], Ref BootstrapVersion ] ].
  for (const rule of Object.values(s.rules)) {
    const assertions = at(rule, 'Assertions');
    for (const assertion of Array.isArray(assertions) ? assertions : []) {
      const refused = at(assertion, 'Assert', 'Fn::Not', 0, 'Fn::Contains', 0);
      if (!Array.isArray(refused) || at(assertion, 'Assert', 'Fn::Not', 0, 'Fn::Contains', 1, 'Ref') !== 'BootstrapVersion') continue;
      for (const v of refused) required = Math.max(required, Number(v) + 1);
    }
  }
  return required;
}

/** `npx cdk bootstrap aws://ACCOUNT/REGION`, with the qualifier when it is not the default one. */
export function bootstrapCommand(account: string, region: string, parameter = DEFAULT_BOOTSTRAP_PARAMETER): string {
  const qualifier = /^\/cdk-bootstrap\/([^/]+)\/version$/.exec(parameter)?.[1];
  const flag = qualifier && parameter !== DEFAULT_BOOTSTRAP_PARAMETER ? ` --qualifier ${qualifier}` : '';
  return `npx cdk bootstrap aws://${account}/${region}${flag}`;
}
