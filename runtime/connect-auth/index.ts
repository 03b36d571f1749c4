// Connect request authentication: who sent a request, and that the token was made for it.
export { AuthError } from './auth-error';
export { CONTEXT_QSH, computeQsh } from './qsh';
export { MAX_TOKEN_BYTES, extractToken } from './token';
export { type ConnectClaims, type VerifyConnectOptions, verifyConnectJwt } from './verify-connect';
export { type InstallClaims, type VerifyInstallOptions, verifyInstallJwt } from './verify-install';
export { type InstallKeySourceOptions, createInstallKeySource, isPlainKid } from './install-keys';
export {
  FORGE_INVOCATION_ISSUER,
  FORGE_JWKS_URL,
  type ForgeInvocationClaims,
  type VerifyForgeOptions,
  extractForgeToken,
  forgeAudience,
  forgeKeySet,
  verifyForgeInvocationToken,
} from './forge-invocation-token';
