/**
 * Roles and what they may do. Pure data: the server checks a route's permission against the
 * caller's role, the CLI lists them, the dashboard hides what a role cannot use.
 *
 * - `aggregates:read`  dashboards and aggregate analytics (KPIs, attribution, funnels, journeys, retention)
 * - `people:read`      person-level data (profiles, event streams, people who dropped out of a funnel), masked
 * - `pii:read`         personal data unmasked (e-mail, phone, name, address, IP)
 * - `definitions:write` saved funnels, conversion definitions, segments
 * - `data:read`        raw data operations views (quarantine, import history, sources list)
 * - `data:write`       imports
 * - `sources:manage`   create, rotate and revoke write keys
 * - `tokens:manage`    create and revoke API tokens
 * - `users:manage`     create and remove users, change roles
 * - `audit:read`       the audit log
 * - `privacy:manage`   erasure, export of a person's data, consent reports
 */
export const PERMISSIONS = [
  'aggregates:read',
  'people:read',
  'pii:read',
  'definitions:write',
  'data:read',
  'data:write',
  'sources:manage',
  'tokens:manage',
  'users:manage',
  'audit:read',
  'privacy:manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ['admin', 'analyst', 'marketer', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  // Reads all analytics including people and personal data, manages definitions; no user/key admin.
  analyst: ['aggregates:read', 'people:read', 'pii:read', 'definitions:write', 'data:read'],
  // Reads analytics and people, never personal data.
  marketer: ['aggregates:read', 'people:read'],
  // Dashboards only.
  viewer: ['aggregates:read'],
};

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  admin: 'everything, including users, tokens, write keys, imports, erasure and the audit log',
  analyst: 'all analytics, people and personal data; manages funnels, conversions and segments; no administration',
  marketer: 'analytics and people with personal data masked; no changes',
  viewer: 'dashboards and aggregate analytics only',
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Whether `role` holds `permission` (an unknown role holds nothing). */
export function can(role: string, permission: Permission): boolean {
  return isRole(role) && GRANTS[role].includes(permission);
}

export function permissionsOf(role: string): readonly Permission[] {
  return isRole(role) ? GRANTS[role] : [];
}
