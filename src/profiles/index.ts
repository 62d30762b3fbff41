export { getProfile, findPersonId, type Profile, type TimelineEvent } from './service.ts';
export { ErasureService, type ErasureReport, type PersonExport } from './erasure-service.ts';
export { refreshConsent, personConsent, consentReport, type PersonConsent, type ConsentReport } from './consent-service.ts';
export { consentAllowsSql, consentDecisionsSql, consentRefusalProbeSql, onlyRefusalsExclude } from './consent.sql.ts';
export { consentFilter, type PersonFilter } from './consent-filter.ts';
