import { Stack, Token } from 'aws-cdk-lib';
import { AppModel, MARKER, Part } from './app-model';

/**
 * A rendered CloudFormation value as one string: literals as they are, `Fn::Join` and
 * `Fn::Sub` evaluated, the stack's own region for `AWS::Region`, `aws` for `AWS::Partition`
 * and markers (`⟦n⟧`, see {@link AppModel}) for everything else: references, imports,
 * account ids and intrinsics that cannot be evaluated before deployment.
 */
export function flatten(value: unknown, stack: Stack, model: AppModel): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return model.marker({ kind: 'unknown', what: 'a list' });
  const obj = value as Record<string, any>;
  const keys = Object.keys(obj);
  if (keys.length !== 1) return model.marker({ kind: 'unknown', what: 'an object' });
  const [fn] = keys as [string];
  const arg = obj[fn];
  switch (fn) {
    case 'Ref':
      return typeof arg === 'string' ? ref(arg, stack, model) : model.marker({ kind: 'unknown', what: 'Ref' });
    case 'Fn::GetAtt': {
      const id = Array.isArray(arg) ? arg[0] : typeof arg === 'string' ? arg.split('.')[0] : undefined;
      return typeof id === 'string' ? model.marker({ kind: 'local', stack, logicalId: id }) : model.marker({ kind: 'unknown', what: 'Fn::GetAtt' });
    }
    case 'Fn::Join':
      if (Array.isArray(arg) && typeof arg[0] === 'string' && Array.isArray(arg[1])) {
        return arg[1].map((v: unknown) => flatten(v, stack, model)).join(arg[0]);
      }
      return model.marker({ kind: 'unknown', what: 'Fn::Join' });
    case 'Fn::Sub':
      return sub(arg, stack, model);
    case 'Fn::ImportValue': {
      const name = flatten(arg, stack, model);
      return model.marker(MARKER.test(name) ? { kind: 'unknown', what: `Fn::ImportValue ${name}` } : { kind: 'import', name });
    }
    default:
      return model.marker({ kind: 'unknown', what: fn });
  }
}

/** Every marker in `text`, with the part it stands for. */
export function partsIn(text: string, model: AppModel): Array<{ index: number; part: Part; at: number; length: number }> {
  return [...text.matchAll(new RegExp(MARKER.source, 'g'))].map((m) => ({ index: Number(m[1]), part: model.part(Number(m[1])), at: m.index!, length: m[0].length }));
}

/**
 * `text` for people: each marker as `<LogicalId.Attribute>` (as cdk-nag prints references),
 * `<import:Name>`, `<AWS::AccountId>` or `<?what>`.
 */
export function printable(text: string, model: AppModel): string {
  return text.replace(new RegExp(MARKER.source, 'g'), (_, n: string) => {
    const part = model.part(Number(n));
    switch (part.kind) {
      case 'ref': {
        const target = part.target as any;
        const id = typeof target.logicalId === 'string' ? Stack.of(part.target).resolve(target.logicalId) : part.target.node.path;
        return `<${id}.${part.attribute}>`;
      }
      case 'local':
        return `<${part.logicalId}>`;
      case 'import':
        return `<import:${part.name}>`;
      case 'pseudo':
        return `<${part.name}>`;
      case 'unknown':
        return `<?${part.what}>`;
    }
  });
}

function ref(name: string, stack: Stack, model: AppModel): string {
  switch (name) {
    case 'AWS::Region':
      return Token.isUnresolved(stack.region) ? model.marker({ kind: 'unknown', what: 'AWS::Region' }) : stack.region;
    case 'AWS::Partition':
      return 'aws';
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
    case 'AWS::NoValue':
      return '';
    default:
      return name.startsWith('AWS::') ? model.marker({ kind: 'pseudo', name }) : model.marker({ kind: 'local', stack, logicalId: name });
  }
}

function sub(arg: unknown, stack: Stack, model: AppModel): string {
  const [template, vars] = Array.isArray(arg) ? [arg[0], arg[1] ?? {}] : [arg, {}];
  if (typeof template !== 'string' || typeof vars !== 'object') return model.marker({ kind: 'unknown', what: 'Fn::Sub' });
  return template.replace(/\$\{([^}!][^}]*)\}/g, (_, name: string) => {
    if (Object.prototype.hasOwnProperty.call(vars, name)) return flatten((vars as Record<string, unknown>)[name], stack, model);
    if (name.includes('.')) return model.marker({ kind: 'local', stack, logicalId: name.split('.')[0]! });
    return ref(name, stack, model);
  });
}
