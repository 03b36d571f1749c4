import { CfnElement, CfnOutput, CfnResource, DefaultTokenResolver, IFragmentConcatenator, IPostProcessor, IResolvable, IResolveContext, Reference, Stack, Token, Tokenization } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { RealmName } from '../../config/realms';
import { isMetadataOnly, jurisdictionOfRealms, realmsOfStack } from '../realm-tags';
import { flatten } from './flatten';

/**
 * Something a rendered value refers to that is not a literal: a construct (`ref`), a
 * resource of the same template by logical id (`local`), an export (`import`), a pseudo
 * parameter that does not matter for residency (`pseudo`), or anything else (`unknown`).
 */
export type Part =
  | { readonly kind: 'ref'; readonly target: IConstruct; readonly attribute: string }
  | { readonly kind: 'local'; readonly stack: Stack; readonly logicalId: string }
  | { readonly kind: 'import'; readonly name: string }
  | { readonly kind: 'pseudo'; readonly name: string }
  | { readonly kind: 'unknown'; readonly what: string };

/** What the residency rules know of one stack. */
export interface StackFacts {
  /** The stack's region; `undefined` when it is a token (an environment-agnostic stack). */
  readonly region: string | undefined;
  /** The realms {@link tagRealm} recorded. */
  readonly realms: readonly RealmName[];
  /** Where the realms' data may rest (intersection); `undefined` without realms. */
  readonly jurisdiction: ReadonlySet<string> | undefined;
  /** Declared metadata-only by {@link tagMetadataOnly}. */
  readonly metadataOnly: boolean;
}

/** A resource as CloudFormation will see it, with references kept as markers (see {@link AppModel.marker}). */
export interface RenderedResource {
  readonly Type: string;
  readonly Properties: Record<string, any>;
  readonly Metadata?: Record<string, any>;
}

/** Opening and closing characters of a marker: `⟦12⟧` stands for part 12. */
export const MARKER = /⟦(\d+)⟧/;

const models = new WeakMap<IConstruct, AppModel>();

/**
 * What the pack rules read about the whole app: every resource rendered exactly as it will
 * be deployed (property overrides included) but with each reference kept as a marker that
 * names its target construct, so a rule can tell which stack, and so which region, a value
 * points at, even across stacks and regions; each stack's region and realms; and bucket and
 * table names and export names across the app. Built once per validation of an app.
 */
export class AppModel {
  /** The model of the app `scope` belongs to (built on first use). */
  public static of(scope: IConstruct): AppModel {
    const root = scope.node.root;
    let model = models.get(root);
    if (!model) models.set(root, (model = new AppModel(root)));
    return model;
  }

  /** Forgets the model of `scope`'s app, so the next use sees the tree as it is now. */
  public static reset(scope: IConstruct): void {
    models.delete(scope.node.root);
  }

  private readonly parts: Part[] = [];
  private readonly rendered = new WeakMap<CfnResource, RenderedResource>();
  private readonly facts = new WeakMap<Stack, StackFacts>();
  private names?: { buckets: Map<string, Stack[]>; tables: Map<string, Stack[]>; exports: Map<string, Stack> };

  private constructor(private readonly root: IConstruct) {}

  /** A marker string standing for `part` inside rendered values. */
  public marker(part: Part): string {
    this.parts.push(part);
    return `⟦${this.parts.length - 1}⟧`;
  }

  /** The part a marker index stands for. */
  public part(index: number): Part {
    const part = this.parts[index];
    if (!part) throw new Error(`AppModel: found marker ${index}; expected one this model issued`);
    return part;
  }

  /** `node` rendered as its template entry, references as markers. */
  public render(node: CfnResource): RenderedResource {
    let r = this.rendered.get(node);
    if (!r) {
      const stack = Stack.of(node);
      const resolved = Tokenization.resolve(node._toCloudFormation(), { scope: stack, resolver: new MarkingResolver(this), preparing: false });
      const entry = Object.values<any>(resolved?.Resources ?? {})[0] ?? {};
      r = { Type: entry.Type ?? node.cfnResourceType, Properties: entry.Properties ?? {}, Metadata: entry.Metadata };
      this.rendered.set(node, r);
    }
    return r;
  }

  /** Region, realms and jurisdiction of `stack`. */
  public stackFacts(stack: Stack): StackFacts {
    let f = this.facts.get(stack);
    if (!f) {
      const realms = realmsOfStack(stack);
      f = {
        region: Token.isUnresolved(stack.region) ? undefined : stack.region,
        realms,
        jurisdiction: jurisdictionOfRealms(realms),
        metadataOnly: isMetadataOnly(stack),
      };
      this.facts.set(stack, f);
    }
    return f;
  }

  /**
   * A store name as the name index holds it: markers for the account id (one account for
   * the whole app) written as `<AWS::AccountId>`; undefined when it holds any other marker,
   * whose value is not known before deployment.
   */
  public canonicalName(text: string): string | undefined {
    let known = true;
    const name = text.replace(new RegExp(MARKER.source, 'g'), (_, n: string) => {
      const part = this.part(Number(n));
      if (part.kind === 'pseudo' && part.name === 'AWS::AccountId') return '<AWS::AccountId>';
      known = false;
      return '';
    });
    return known ? name : undefined;
  }

  /** The stacks that define a bucket with this name (literal, or canonical: see {@link canonicalName}). */
  public stacksWithBucket(name: string): readonly Stack[] {
    return this.nameIndex().buckets.get(name) ?? [];
  }

  /** The stacks that define a DynamoDB table with this literal name. */
  public stacksWithTable(name: string): readonly Stack[] {
    return this.nameIndex().tables.get(name) ?? [];
  }

  /** The stack exporting a value under this name, if one in the app does. */
  public stackExporting(name: string): Stack | undefined {
    return this.nameIndex().exports.get(name);
  }

  /** The resource with this logical id in `stack`'s template. */
  public resourceInStack(stack: Stack, logicalId: string): CfnResource | undefined {
    for (const c of stack.node.findAll()) {
      if (CfnResource.isCfnResource(c) && Stack.of(c) === stack && stack.resolve((c as CfnElement).logicalId) === logicalId) return c;
    }
    return undefined;
  }

  private nameIndex() {
    if (!this.names) {
      const buckets = new Map<string, Stack[]>();
      const tables = new Map<string, Stack[]>();
      const exports = new Map<string, Stack>();
      const add = (map: Map<string, Stack[]>, value: unknown, stack: Stack) => {
        if (value === undefined) return;
        const name = this.canonicalName(flatten(value, stack, this));
        if (name !== undefined && name !== '') map.set(name, [...(map.get(name) ?? []), stack]);
      };
      for (const c of this.root.node.findAll()) {
        if (CfnResource.isCfnResource(c)) {
          const type = c.cfnResourceType;
          if (type === 'AWS::S3::Bucket') add(buckets, this.render(c).Properties.BucketName, Stack.of(c));
          if (type === 'AWS::DynamoDB::Table' || type === 'AWS::DynamoDB::GlobalTable') add(tables, this.render(c).Properties.TableName, Stack.of(c));
        } else if (c instanceof CfnOutput && c.exportName !== undefined) {
          const name = Stack.of(c).resolve(c.exportName);
          if (typeof name === 'string') exports.set(name, Stack.of(c));
        }
      }
      this.names = { buckets, tables, exports };
    }
    return this.names;
  }
}

// Resolves like CloudFormation rendering, except that every Reference (Ref, GetAtt, a
// cross-stack or cross-region reference) becomes a marker naming its target construct.
class MarkingResolver extends DefaultTokenResolver {
  constructor(private readonly model: AppModel) {
    super(new JoinConcat());
  }

  public override resolveToken(t: IResolvable, context: IResolveContext, postProcessor: IPostProcessor): any {
    if (Reference.isReference(t)) return this.model.marker({ kind: 'ref', target: t.target, attribute: t.displayName });
    return super.resolveToken(t, context, postProcessor);
  }
}

class JoinConcat implements IFragmentConcatenator {
  public join(left: any, right: any): any {
    if (left === undefined) return right;
    if (right === undefined) return left;
    if (typeof left === 'string' && typeof right === 'string') return left + right;
    return { 'Fn::Join': ['', [left, right]] };
  }
}
