/**
 * The refusal reason (for the log) of an error `jose` throws while verifying an RS256 token:
 * the signed-install and Forge Invocation Token paths name their refusals alike.
 */
export function joseRefusalReason(error: unknown): string {
  const { code, claim, reason } = (error ?? {}) as { code?: string; claim?: string; reason?: string };
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (claim === 'nbf') return 'not yet valid';
      return reason === 'missing' ? `missing ${claim}` : `${claim} not accepted`;
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'alg not RS256';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'bad signature';
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return 'kid not in the key set';
    case 'ERR_JWKS_TIMEOUT':
    case 'ERR_JWKS_INVALID':
      return 'key set unavailable';
    default:
      return 'malformed token';
  }
}
