// zod/mini, not zod: the same validator at 17 KB minified instead of 450 KB, for the Lambda bundles.
import * as z from 'zod/mini';
import { AuthError } from '../connect-auth/auth-error';
import { parseJsonBody } from '../http/json-body';

const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
const httpsUrl = z.string().check(z.maxLength(2048), z.regex(/^https:\/\/[^\s/?#]+(\/[^\s]*)?$/));

/** The body of Atlassian's `installed` hook (fields the app relies on; others are ignored). */
const installedBody = z.object({
  key: text(80),
  clientKey: text(256),
  sharedSecret: z.string().check(z.minLength(16), z.maxLength(512)),
  baseUrl: httpsUrl,
  displayUrl: z.optional(httpsUrl),
  productType: z.optional(text(64)),
  description: z.optional(z.string().check(z.maxLength(1024))),
  installationId: z.optional(text(512)),
  eventType: z.literal('installed'),
});

/** The body of the `uninstalled`, `enabled` and `disabled` hooks. */
const lifecycleBody = z.object({
  key: text(80),
  clientKey: text(256),
  eventType: z.enum(['uninstalled', 'enabled', 'disabled']),
});

/** A validated `installed` body. */
export type InstalledBody = z.infer<typeof installedBody>;
/** A validated `uninstalled`, `enabled` or `disabled` body. */
export type LifecycleBody = z.infer<typeof lifecycleBody>;

/**
 * Parses and validates the JSON body of the `installed` hook.
 * @throws AuthError 400 naming the first field that is missing or malformed (never echoing values)
 */
export function parseInstalledBody(body: string | undefined, appKey: string): InstalledBody {
  return parseBody(installedBody, body, appKey);
}

/**
 * Parses the body of the `uninstalled`, `enabled` or `disabled` hook and checks its event type.
 * @throws AuthError 400 when the body is malformed or is for another event
 */
export function parseLifecycleBody(body: string | undefined, appKey: string, event: LifecycleBody['eventType']): LifecycleBody {
  const parsed = parseBody(lifecycleBody, body, appKey);
  if (parsed.eventType !== event) throw new AuthError(`body eventType ${parsed.eventType} on the ${event} hook`, 400);
  return parsed;
}

function parseBody<T extends { key: string }>(schema: z.ZodMiniType<T>, body: string | undefined, appKey: string): T {
  const result = schema.safeParse(parseJsonBody(body, 'lifecycle body'));
  if (!result.success) {
    const fields = [...new Set(result.error.issues.map((i) => i.path.join('.') || '(body)'))];
    throw new AuthError(`lifecycle body: missing or malformed ${fields.join(', ')}`, 400);
  }
  if (result.data.key !== appKey) throw new AuthError('lifecycle body is for another app key', 400);
  return result.data;
}
