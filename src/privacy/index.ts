export { AccessService, type Source, type Principal, type Bootstrap } from './service.ts';
export { loadOrCreateSecret, SECRET_FILE } from './secret.ts';
export { hashCredential, generateSecret, credentialHint, WRITE_KEY_PREFIX, ADMIN_TOKEN_PREFIX } from './credentials.ts';
export { maskTraits, maskValue, isPersonalKey } from './mask.ts';
