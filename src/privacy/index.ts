export { AccessService, type Source, type Token, type Principal, type Bootstrap } from './service.ts';
export { UserService, DEFAULT_LOGIN_POLICY, type User, type SessionPrincipal, type LoginPolicy } from './users-service.ts';
export { AuditLog, type AuditEntry, type AuditQuery } from './audit-service.ts';
export { AccessAdmin, type Actor } from './admin-service.ts';
export type { AuditEntryInput } from './audit.sql.ts';
export { can, isRole, permissionsOf, PERMISSIONS, ROLES, ROLE_DESCRIPTIONS, type Permission, type Role } from './roles.ts';
export { MIN_PASSWORD_LENGTH } from './passwords.ts';
export { loadOrCreateSecret, SECRET_FILE } from './secret.ts';
export { hashCredential, generateSecret, credentialHint, WRITE_KEY_PREFIX, ADMIN_TOKEN_PREFIX } from './credentials.ts';
export { maskValue } from './mask.ts';
export {
  isPersonalField,
  isSealed,
  sealedIdentityHash,
  createSealer,
  sealPayload,
  revealDocument,
  revealPayload,
  mayHoldSealed,
  cannotOpen,
  UNREADABLE,
  type Sealed,
  type Sealer,
  type Section,
  type Opener,
} from './personal-data.ts';
export { PiiKeyring, type PiiKeyInfo } from './pii-keys.ts';
export type { DataKey } from './pii-crypto.ts';
export { PURPOSES, DEFAULT_CONSENT_POLICY, consentPolicyOf, CONSENT_EVENTS, consentOfMessage, mergePreferences, samePreferences, decidePurpose, type Purpose, type Preferences, type ConsentPolicy, type DecisionBasis } from './consent.ts';
export { applyRetention } from './retention-service.ts';
