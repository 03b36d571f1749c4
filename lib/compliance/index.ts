export * from './apply';
export * from './control-tower';
export * from './data-residency/pack';
export * from './data-residency/rules';
export * from './app-security/pack';
export * from './app-security/rules';
export * from './realm-tags';
export { PackRule, RulePack, RuleSpec, RuleView, defineRule } from './rule-pack';
export { AUTHENTICATED_IN_HANDLER, markAuthenticatedInHandler } from '../../constructs/secure-api/acknowledgements';
