import { z } from 'zod';
import { availabilityZoneIdsProblem } from './availability-zones';
import { COMMERCIAL_REGIONS, REALM_NAMES, RealmName, isInJurisdiction, isRealmName, jurisdictionOf, realmInfo } from './realms';

/** Connect scopes; ADMIN and ACT_AS_USER need a written reason (least privilege). */
export const SCOPES = [
  'NONE', 'READ', 'WRITE', 'DELETE', 'PROJECT_ADMIN', 'SPACE_ADMIN', 'ADMIN', 'ACT_AS_USER', 'ACCESS_EMAIL_ADDRESSES',
] as const;
/** Scopes that grant more than an app usually needs; each must be justified in `scopeReasons`. */
export const ELEVATED_SCOPES = ['ADMIN', 'ACT_AS_USER'] as const;

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const HOSTNAME = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const hostname = (what: string) =>
  z.string({ error: `${what} as a string` }).regex(HOSTNAME, {
    error: `${what}: a lower-case DNS name such as app.example.com (no scheme, port, path or trailing dot)`,
  });

/** Connect's default migration window in hours (`dataResidency.maxMigrationDurationHours`). */
export const CONNECT_MIGRATION_HOURS = 2;
/** Forge's default migration window in hours: at 1.5 or less the app moves with the site, without the three-day lead time. */
export const FORGE_MIGRATION_HOURS = 1.5;

const migrationHours = z
  .number({ error: 'a number of hours' })
  .min(0.5, { error: 'at least 0.5 hours (Atlassian allows 0.5 to 24)' })
  .max(24, { error: 'at most 24 hours (Atlassian allows 0.5 to 24)' })
  // Forge's manifest schema declares `multipleOf: 0.5`; Connect takes the same steps.
  .multipleOf(0.5, { error: 'a whole number of half hours, such as 0.5, 2 or 4.5 (Forge allows steps of 0.5)' });

const realmEntry = z.strictObject({
  region: z.string({ error: 'an AWS region name as a string' }).optional(),
  shareStackWith: z.string({ error: 'the name of another configured realm' }).optional(),
  hostname: hostname('the realm host name').optional(),
  availabilityZoneIds: z.array(z.string({ error: 'an AZ id as a string, such as use1-az1' }), { error: 'an array of two AZ ids' }).optional(),
});

const realms = z
  .record(z.string(), realmEntry, { error: 'an object from realm name to realm settings' })
  .superRefine((entries, ctx) => {
    const names = Object.keys(entries);
    if (!names.includes('Global')) {
      ctx.addIssue({ code: 'custom', path: ['Global'], message: 'a Global realm (the unpinned default every app needs)' });
    }
    for (const [name, entry] of Object.entries(entries)) {
      if (!isRealmName(name)) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          params: { found: `an unknown realm ${JSON.stringify(name)}` },
          message: `a realm name, one of ${REALM_NAMES.join(', ')}`,
        });
        continue;
      }
      if (entry.region !== undefined && entry.shareStackWith !== undefined) {
        ctx.addIssue({ code: 'custom', path: [name, 'shareStackWith'], message: 'either region or shareStackWith, not both' });
        continue;
      }
      let regionOk = true;
      if (entry.region !== undefined) {
        if (!COMMERCIAL_REGIONS.includes(entry.region)) {
          regionOk = false;
          ctx.addIssue({ code: 'custom', path: [name, 'region'], message: 'a commercial AWS region such as eu-central-1' });
        } else if (!isInJurisdiction(name, entry.region)) {
          regionOk = false;
          ctx.addIssue({
            code: 'custom',
            path: [name, 'region'],
            message: `a region in ${name}'s jurisdiction (${jurisdictionOf(name).join(', ')})`,
          });
        }
      }
      if (entry.availabilityZoneIds !== undefined) {
        const path = [name, 'availabilityZoneIds'];
        if (entry.shareStackWith !== undefined) {
          ctx.addIssue({ code: 'custom', path, message: `no availabilityZoneIds on a realm that shares a stack (set them on ${entry.shareStackWith}, whose stack it is)` });
        } else if (regionOk) {
          const problem = availabilityZoneIdsProblem(stackRegion(name, entry), entry.availabilityZoneIds);
          if (problem) ctx.addIssue({ code: 'custom', path, message: problem });
        }
      }
      if (entry.shareStackWith !== undefined) checkSharing(name, entry.shareStackWith, entries, ctx);
    }
  });

function checkSharing(
  name: RealmName,
  owner: string,
  entries: Record<string, z.infer<typeof realmEntry>>,
  ctx: z.RefinementCtx,
): void {
  const path = [name, 'shareStackWith'];
  const target = entries[owner];
  if (!isRealmName(owner) || target === undefined || owner === name) {
    ctx.addIssue({ code: 'custom', path, message: 'another realm configured in this file' });
  } else if (target.shareStackWith !== undefined) {
    ctx.addIssue({ code: 'custom', path, message: `a realm with its own stack (${owner} itself shares ${target.shareStackWith}'s)` });
  } else {
    const region = stackRegion(owner, target);
    if (!isInJurisdiction(name, region)) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: `a stack in ${name}'s jurisdiction (${jurisdictionOf(name).join(', ')}), but ${owner}'s stack is in ${region}`,
      });
    }
  }
}

const scopes = z
  .array(z.enum(SCOPES, { error: `a Connect scope, one of ${SCOPES.join(', ')}` }), { error: 'an array of Connect scopes' })
  .min(1, { error: 'at least one scope (use NONE for an app that calls no product API)' });

const retention = z.strictObject({
  logDays: z
    .number({ error: 'a number of days' })
    .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
      error: `a CloudWatch Logs retention period in days: one of ${LOG_RETENTION_DAYS.join(', ')}`,
    })
    .default(365),
  backupDays: z
    .number({ error: 'a number of days' })
    .int({ error: 'a whole number of days' })
    .min(7, { error: 'at least 7 days of backups' })
    .max(3650, { error: 'at most 3650 days of backups' })
    .default(35),
});

const secret = z.strictObject({
  name: z.string({ error: 'a secret name' }).regex(/^[a-z0-9][a-z0-9-]{0,62}$/, {
    error: 'a secret name of lower-case letters, digits and dashes (at most 63)',
  }),
  description: z.string({ error: 'a description as a string' }).min(10, { error: 'a description of at least 10 characters' }),
});

/** The schema of `residency.config.json`. */
export const configSchema = z
  .strictObject({
    $schema: z.string().optional(),
    app: z.strictObject({
      // Not dots alone: the Forge remote key is derived from the last dot-separated segment.
      key: z.string({ error: 'the app key as a string' }).regex(/^(?=.*[^.])[a-zA-Z0-9._-]{1,64}$/, {
        error: 'an Atlassian app key: 1-64 letters, digits, dots, dashes or underscores, not only dots',
      }),
      name: z.string({ error: 'the app name as a string' }).min(1, { error: 'a non-empty app name' }).max(80, {
        error: 'an app name of at most 80 characters',
      }),
      account: z.string({ error: 'an AWS account id as a string' }).regex(/^\d{12}$/, { error: 'a 12-digit AWS account id' }).optional(),
      // The Forge app whose remote this is: its invocation tokens carry aud ari:cloud:ecosystem::app/<id>.
      forgeAppId: z
        .string({ error: 'the Forge app id as a string' })
        .regex(/^(ari:cloud:ecosystem::app\/)?[A-Za-z0-9-]{1,64}$/, { error: 'a Forge app id: its UUID, or ari:cloud:ecosystem::app/<UUID>' })
        .optional(),
      // Assets of the app's Connect iframes, served by the edge under /static/; resolved against the config file's folder.
      staticDir: z.string({ error: 'a folder path as a string, relative to the config file' }).min(1, { error: 'a non-empty folder path, relative to the config file' }).optional(),
      // The vendor's module (`export default defineApp(...)`), relative to the config file; loaded at synth.
      entry: z
        .string({ error: 'the path of the app module as a string' })
        .regex(/\.(ts|mts|cts|js|mjs|cjs)$/, { error: 'the path of a TypeScript or JavaScript module, such as examples/notes/app.ts' })
        .optional(),
    }),
    domain: z
      .strictObject({
        name: hostname('the global host name'),
        hostedZone: z.strictObject({
          id: z.string({ error: 'a Route 53 hosted zone id as a string' }).regex(/^Z[A-Z0-9]{1,31}$/, {
            error: 'a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ',
          }),
          name: hostname('the hosted zone name'),
        }),
      })
      .superRefine(
        (d, ctx) => {
          if (!inZone(d.name, d.hostedZone.name)) {
            ctx.addIssue({ code: 'custom', path: ['name'], message: `a name inside the hosted zone ${d.hostedZone.name}` });
          }
        },
        // Only once both names are well formed, so a malformed name gets one line, not two.
        { when: (p) => p.issues.length === 0 },
      ),
    realms,
    scopes,
    scopeReasons: z
      .partialRecord(z.enum(ELEVATED_SCOPES, { error: `one of ${ELEVATED_SCOPES.join(', ')}` }), z.string().min(20, {
        error: 'a reason of at least 20 characters a customer can read',
      }))
      .default({}),
    retention: retention.default({ logDays: 365, backupDays: 35 }),
    secrets: z.array(secret, { error: 'an array of app secrets' }).default([]),
    migration: z
      .strictObject({
        // Connect's `dataResidency.maxMigrationDurationHours` and Forge's `migration:dataResidency` module each get their own window.
        maxDurationHours: z
          .strictObject(
            { connect: migrationHours.default(CONNECT_MIGRATION_HOURS), forge: migrationHours.default(FORGE_MIGRATION_HOURS) },
            { error: `an object { "connect": hours, "forge": hours } (defaults ${CONNECT_MIGRATION_HOURS} and ${FORGE_MIGRATION_HOURS}, Atlassian's own)` },
          )
          .default({ connect: CONNECT_MIGRATION_HOURS, forge: FORGE_MIGRATION_HOURS }),
        // Each realm stack runs at most this many tenant migrations out of it at once (E0004 beyond).
        maxConcurrent: z
          .number({ error: 'a number of migrations' })
          .int({ error: 'a whole number of migrations' })
          .min(1, { error: 'at least 1 concurrent migration' })
          .max(100, { error: 'at most 100 concurrent migrations' })
          .default(5),
      })
      .default({ maxDurationHours: { connect: CONNECT_MIGRATION_HOURS, forge: FORGE_MIGRATION_HOURS }, maxConcurrent: 5 }),
    tenants: z
      .strictObject({
        shredAfterDays: z
          .number({ error: 'a number of days' })
          .int({ error: 'a whole number of days' })
          .min(1, { error: 'at least 1 day (a tenant that reinstalls at once keeps its data)' })
          .max(365, { error: 'at most 365 days (uninstalled tenants must not be kept indefinitely)' })
          .default(30),
      })
      .default({ shredAfterDays: 30 }),
    functions: z
      .strictObject({
        // Off by default: every function reserving takes a region below the 100 unreserved executions Lambda keeps.
        reservedConcurrency: z
          .number({ error: 'a number of concurrent executions' })
          .int({ error: 'a whole number of concurrent executions' })
          .min(1, { error: 'at least 1 concurrent execution (leave the key out to reserve none)' })
          .max(1000, { error: 'at most 1000 concurrent executions per function (the default account limit of a region)' })
          .optional(),
      })
      .default({}),
    edge: z
      .strictObject({
        // Where the global edge's access logs rest; they hold request metadata only (no query strings, cookies or referers).
        logRegion: z
          .string({ error: 'an AWS region name as a string' })
          .refine((r) => COMMERCIAL_REGIONS.includes(r), { error: 'a commercial AWS region such as eu-central-1' })
          .optional(),
      })
      .default({}),
  })
  .superRefine((c, ctx) => {
    for (const scope of ELEVATED_SCOPES) {
      if (c.scopes.includes(scope) && !c.scopeReasons[scope]) {
        ctx.addIssue({
          code: 'custom',
          path: ['scopes', c.scopes.indexOf(scope)],
          message: `a scope below ${scope}, or a reason for it in scopeReasons.${scope}`,
        });
      }
    }
    const seen = new Map<string, string>([[c.domain.name, 'domain.name']]);
    for (const [name, entry] of Object.entries(c.realms)) {
      const host = entry.hostname ?? defaultHostname(name, c.domain.name);
      const path = ['realms', name, 'hostname'];
      if (!inZone(host, c.domain.hostedZone.name)) {
        ctx.addIssue({ code: 'custom', path, message: `a host name inside the hosted zone ${c.domain.hostedZone.name}` });
      }
      const clash = seen.get(host);
      if (clash) {
        ctx.addIssue({ code: 'custom', path, message: `a base URL of its own (https://${host} is already used by ${clash})` });
      }
      seen.set(host, `realms.${name}`);
    }
    const names = c.secrets.map((s) => s.name);
    names.forEach((n, i) => {
      if (names.indexOf(n) !== i) ctx.addIssue({ code: 'custom', path: ['secrets', i, 'name'], message: 'a secret name not used before' });
    });
  }, { when: (p) => !p.issues.some((i) => ['app', 'domain', 'realms', 'scopes', 'secrets'].includes(String(i.path?.[0]))) });

/** The config as written, after defaults. */
export type ConfigInput = z.output<typeof configSchema>;

/** The region of the stack a realm owns: the configured one, else the realm's primary region. */
export function stackRegion(owner: RealmName, entry: { readonly region?: string }): string {
  return entry.region ?? realmInfo(owner).primaryRegion;
}

/** A realm's regional host name when the config gives none: `<realm>.<domain>`. */
export function defaultHostname(realm: string, domain: string): string {
  return `${realm.toLowerCase()}.${domain}`;
}

function inZone(host: string, zone: string): boolean {
  return host === zone || host.endsWith(`.${zone}`);
}
