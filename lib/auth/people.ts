import type { Kysely } from 'kysely';
import { z } from 'zod';
import { isRole, ROLES, type Role } from './roles';

/** Better Auth's user table, as far as the tower reads it (the admin plugin adds `role` and `banned`). */
type UserTable = {
  id: string;
  name: string;
  email: string;
  role: string | null;
  banned: boolean | null;
};

export interface Person {
  id: string;
  name: string;
  email: string;
  role: Role;
  banned: boolean;
}

const personSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  role: z.enum(ROLES),
  banned: z.boolean().nullable().transform((b) => b ?? false),
});

const toPerson = (row: UserTable): Person | null => {
  // A user with a role the tower does not know has no session here, so it is nobody's colleague either.
  if (!isRole(row.role)) return null;
  return personSchema.parse(row);
};

/** Everyone who can sign in, by name. */
export async function listPeople(db: Kysely<object>): Promise<Person[]> {
  const rows = await db
    .withTables<{ user: UserTable }>()
    .selectFrom('user')
    .select(['id', 'name', 'email', 'role', 'banned'])
    .orderBy('name')
    .orderBy('email')
    .execute();
  return rows.map(toPerson).filter((p): p is Person => p !== null);
}

export async function findPerson(db: Kysely<object>, id: string): Promise<Person | null> {
  const row = await db
    .withTables<{ user: UserTable }>()
    .selectFrom('user')
    .select(['id', 'name', 'email', 'role', 'banned'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toPerson(row) : null;
}
