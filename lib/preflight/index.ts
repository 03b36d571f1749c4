// `preflight`: can the caller's account take the synthesized assembly? One file per check.
export { PreflightOptions, PreflightResult, preflight } from './preflight';
export { PreflightClients, defaultClients } from './clients';
export { PreflightCheck, PreflightError, PreflightProblem, formatProblem } from './problem';
export { AMAZON_CAA_ISSUERS, caaAllowsAmazon } from './hosted-zone';
export { DEFAULT_BOOTSTRAP_PARAMETER, bootstrapCommand } from './bootstrap';
export { LAMBDA_CONCURRENCY_QUOTA, LAMBDA_MIN_UNRESERVED } from './lambda-concurrency';
export { PreflightCliIo, preflightCli } from './cli';
