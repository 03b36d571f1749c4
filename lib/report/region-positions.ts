/** Approximate longitude and latitude of an AWS region, for placing it on the residency map. */
export interface RegionPosition {
  /** Degrees east (negative: west). */
  readonly lon: number;
  /** Degrees north (negative: south). */
  readonly lat: number;
  /** The city, for the map's label. */
  readonly city: string;
}

/** Approximate positions of the commercial regions' metro areas: the map only needs a west-to-east, north-to-south order. */
export const REGION_POSITIONS: Readonly<Record<string, RegionPosition>> = {
  'us-east-1': { lon: -77, lat: 39, city: 'N. Virginia' },
  'us-east-2': { lon: -83, lat: 40, city: 'Ohio' },
  'us-west-1': { lon: -122, lat: 37, city: 'N. California' },
  'us-west-2': { lon: -120, lat: 46, city: 'Oregon' },
  'ca-central-1': { lon: -74, lat: 46, city: 'Montreal' },
  'ca-west-1': { lon: -114, lat: 51, city: 'Calgary' },
  'mx-central-1': { lon: -100, lat: 21, city: 'Querétaro' },
  'sa-east-1': { lon: -47, lat: -24, city: 'São Paulo' },
  'eu-west-1': { lon: -6, lat: 53, city: 'Ireland' },
  'eu-west-2': { lon: 0, lat: 51, city: 'London' },
  'eu-west-3': { lon: 2, lat: 49, city: 'Paris' },
  'eu-central-1': { lon: 9, lat: 50, city: 'Frankfurt' },
  'eu-central-2': { lon: 9, lat: 47, city: 'Zurich' },
  'eu-north-1': { lon: 18, lat: 59, city: 'Stockholm' },
  'eu-south-1': { lon: 9, lat: 45, city: 'Milan' },
  'eu-south-2': { lon: -1, lat: 41, city: 'Spain' },
  'il-central-1': { lon: 35, lat: 32, city: 'Tel Aviv' },
  'me-central-1': { lon: 54, lat: 24, city: 'UAE' },
  'me-south-1': { lon: 50, lat: 26, city: 'Bahrain' },
  'af-south-1': { lon: 18, lat: -34, city: 'Cape Town' },
  'ap-south-1': { lon: 73, lat: 19, city: 'Mumbai' },
  'ap-south-2': { lon: 78, lat: 17, city: 'Hyderabad' },
  'ap-southeast-1': { lon: 104, lat: 1, city: 'Singapore' },
  'ap-southeast-2': { lon: 151, lat: -34, city: 'Sydney' },
  'ap-southeast-3': { lon: 107, lat: -6, city: 'Jakarta' },
  'ap-southeast-4': { lon: 145, lat: -38, city: 'Melbourne' },
  'ap-southeast-5': { lon: 102, lat: 3, city: 'Malaysia' },
  'ap-southeast-7': { lon: 101, lat: 14, city: 'Thailand' },
  'ap-east-1': { lon: 114, lat: 22, city: 'Hong Kong' },
  'ap-northeast-1': { lon: 140, lat: 36, city: 'Tokyo' },
  'ap-northeast-2': { lon: 127, lat: 38, city: 'Seoul' },
  'ap-northeast-3': { lon: 135, lat: 35, city: 'Osaka' },
};

/** The position of a region, or undefined for a region the table does not know (the report flags it). */
export function regionPosition(region: string | undefined): RegionPosition | undefined {
  return region === undefined ? undefined : REGION_POSITIONS[region];
}
