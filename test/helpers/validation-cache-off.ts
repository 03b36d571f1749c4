import { VALIDATION_CACHE_ENV } from '../../lib/compliance/validation-cache';

/** In the calling describe block, validates afresh: a stored report would compare the cache with itself. */
export function withoutValidationCache(): void {
  beforeAll(() => (process.env[VALIDATION_CACHE_ENV] = 'off'));
  afterAll(() => delete process.env[VALIDATION_CACHE_ENV]);
}
