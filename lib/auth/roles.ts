import { createAccessControl } from 'better-auth/plugins/access';
import { adminAc, defaultStatements } from 'better-auth/plugins/admin/access';

export const ROLES = ['executive', 'ops_lead', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  executive: 'Executive',
  ops_lead: 'Ops lead',
  analyst: 'Analyst',
  admin: 'Admin',
};

/** What each role may do. Everyone watches the board; acting and administering are narrower. */
const statements = {
  ...defaultStatements,
  board: ['view'],
  exceptions: ['view', 'act'],
  reports: ['view', 'save'],
  settings: ['manage'],
} as const;

export const accessControl = createAccessControl(statements);

export const roleGrants = {
  executive: accessControl.newRole({ board: ['view'], exceptions: ['view'], reports: ['view'] }),
  ops_lead: accessControl.newRole({ board: ['view'], exceptions: ['view', 'act'], reports: ['view'] }),
  analyst: accessControl.newRole({ board: ['view'], exceptions: ['view'], reports: ['view', 'save'] }),
  admin: accessControl.newRole({
    ...adminAc.statements,
    board: ['view'],
    exceptions: ['view', 'act'],
    reports: ['view', 'save'],
    settings: ['manage'],
  }),
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Ops leads and admins work exceptions and act in the core; executives and analysts follow them. */
export function canActOnExceptions(role: Role): boolean {
  return (roleGrants[role].statements as { exceptions?: readonly string[] }).exceptions?.includes('act') ?? false;
}
