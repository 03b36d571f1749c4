/** A CloudFormation template value: anything JSON, read defensively. */
export type Json = unknown;

/** The value at `keys` below `value`, or undefined where any step is missing or not an object. */
export function at(value: Json, ...keys: (string | number)[]): Json {
  let v = value;
  for (const k of keys) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, Json>)[k];
  }
  return v;
}

/** `value` when it is a string, else undefined. */
export function str(value: Json): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** `value` when it is a number (or a numeric string, as templates often carry), else undefined. */
export function num(value: Json): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/** `value` when it is an array, else an empty array. */
export function list(value: Json): Json[] {
  return Array.isArray(value) ? value : [];
}

/** True when `value` is true or the string "true" (CloudFormation accepts both). */
export function isTrue(value: Json): boolean {
  return value === true || value === 'true';
}

/**
 * The logical ids a value refers to through `Ref` or `Fn::GetAtt`, anywhere inside it
 * (so an ARN built with `Fn::Join` around a `GetAtt` still names its resource).
 */
export function referencedIds(value: Json): string[] {
  const found = new Set<string>();
  const walk = (v: Json): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (v === null || typeof v !== 'object') return;
    const o = v as Record<string, Json>;
    if (typeof o.Ref === 'string' && !o.Ref.startsWith('AWS::')) found.add(o.Ref);
    const getAtt = o['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') found.add(getAtt[0]);
    if (typeof getAtt === 'string') found.add(getAtt.split('.')[0]!);
    Object.values(o).forEach(walk);
  };
  walk(value);
  return [...found];
}

/** The region inside an ARN (`arn:aws:kms:eu-central-1:...`), or undefined when it has none. */
export function regionOfArn(arn: string): string | undefined {
  const parts = arn.split(':');
  return parts[0] === 'arn' && parts.length >= 6 && parts[3] ? parts[3] : undefined;
}
