import { ENV } from '../../../runtime/lambda/environment';
import { readSettings } from '../../../runtime/lambda/settings';

describe('readSettings', () => {
  it('reads the settings a realm stack passes', () => {
    const env = { [ENV.appKey]: 'com.example.app', [ENV.baseUrls]: '["https://app.example.com","https://eu.app.example.com"]', [ENV.shredAfterDays]: '30' };
    expect(readSettings(['appKey', 'baseUrls', 'shredAfterDays'], env)).toEqual({
      appKey: 'com.example.app',
      baseUrls: ['https://app.example.com', 'https://eu.app.example.com'],
      shredAfterDays: 30,
    });
  });

  it('names every missing or malformed variable at once', () => {
    const env = { [ENV.baseUrls]: '["http://insecure.example.com"]', [ENV.shredAfterDays]: 'soon' };
    expect(() => readSettings(['appKey', 'baseUrls', 'shredAfterDays'], env)).toThrow(
      `cdk-residency runtime settings: ${ENV.appKey} is not set; ${ENV.baseUrls} is not a JSON array of https URLs; ${ENV.shredAfterDays} is not a whole number of days`,
    );
  });
});
