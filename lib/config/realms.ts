import { RegionInfo } from 'aws-cdk-lib/region-info';

/**
 * The residency locations ("realms") Atlassian offers, in Atlassian's names.
 * `Global` is the unpinned default.
 */
export const REALM_NAMES = ['Global', 'US', 'EU', 'DE', 'AU', 'SG', 'CA', 'IN', 'KR', 'JP', 'GB', 'CH'] as const;

/** A residency location, named as Atlassian names it. */
export type RealmName = (typeof REALM_NAMES)[number];

/** What the catalog knows of one realm. */
export interface RealmInfo {
  /** The realm's name as Atlassian uses it in `regionBaseUrls` and migration hooks. */
  readonly name: RealmName;
  /** Where Atlassian says the realm's data lives. */
  readonly atlassianLocation: string;
  /** The AWS region a realm stack uses when the config names none. */
  readonly primaryRegion: string;
  /** The AWS regions where this realm's data may rest; `'any'` for Global. */
  readonly jurisdiction: readonly string[] | 'any';
}

/** Commercial AWS regions: the only candidates for the unpinned Global realm. */
export const COMMERCIAL_REGIONS: readonly string[] = RegionInfo.regions
  .filter((r) => r.partition === 'aws')
  .map((r) => r.name);

// The one source of truth for realm -> region -> jurisdiction (ATLASSIAN.md, "Realms").
const CATALOG: Record<RealmName, Omit<RealmInfo, 'name'>> = {
  Global: { atlassianLocation: 'not pinned', primaryRegion: 'us-east-1', jurisdiction: 'any' },
  US: { atlassianLocation: 'US East and West', primaryRegion: 'us-east-1', jurisdiction: ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2'] },
  EU: {
    atlassianLocation: 'Frankfurt and Dublin',
    primaryRegion: 'eu-central-1',
    jurisdiction: ['eu-central-1', 'eu-west-1', 'eu-west-3', 'eu-north-1', 'eu-south-1', 'eu-south-2'],
  },
  DE: { atlassianLocation: 'Frankfurt', primaryRegion: 'eu-central-1', jurisdiction: ['eu-central-1'] },
  AU: { atlassianLocation: 'Sydney', primaryRegion: 'ap-southeast-2', jurisdiction: ['ap-southeast-2', 'ap-southeast-4'] },
  SG: { atlassianLocation: 'Singapore', primaryRegion: 'ap-southeast-1', jurisdiction: ['ap-southeast-1'] },
  CA: { atlassianLocation: 'Canada', primaryRegion: 'ca-central-1', jurisdiction: ['ca-central-1', 'ca-west-1'] },
  IN: { atlassianLocation: 'Mumbai', primaryRegion: 'ap-south-1', jurisdiction: ['ap-south-1', 'ap-south-2'] },
  KR: { atlassianLocation: 'Seoul', primaryRegion: 'ap-northeast-2', jurisdiction: ['ap-northeast-2'] },
  JP: { atlassianLocation: 'Tokyo', primaryRegion: 'ap-northeast-1', jurisdiction: ['ap-northeast-1', 'ap-northeast-3'] },
  GB: { atlassianLocation: 'London', primaryRegion: 'eu-west-2', jurisdiction: ['eu-west-2'] },
  CH: { atlassianLocation: 'Zurich', primaryRegion: 'eu-central-2', jurisdiction: ['eu-central-2'] },
};

/** True when `name` is one of Atlassian's realm names (case-sensitive). */
export function isRealmName(name: string): name is RealmName {
  return (REALM_NAMES as readonly string[]).includes(name);
}

/** The catalog entry for a realm. */
export function realmInfo(realm: RealmName): RealmInfo {
  return { name: realm, ...CATALOG[realm] };
}

/** The regions a realm's data may rest in (all commercial regions for Global). */
export function jurisdictionOf(realm: RealmName): readonly string[] {
  const j = CATALOG[realm].jurisdiction;
  return j === 'any' ? COMMERCIAL_REGIONS : j;
}

/** True when `region` lies inside the realm's jurisdiction. */
export function isInJurisdiction(realm: RealmName, region: string): boolean {
  return jurisdictionOf(realm).includes(region);
}
