export type Role = 'admin' | 'finance' | 'sales' | 'viewer';

/** The least role each kind of change needs (mirrors the API's access levels; the API still decides). */
const LEVEL: Record<Role, number> = { viewer: 0, sales: 1, finance: 2, admin: 3 };

export type Ability = 'draft' | 'finance' | 'admin';

export function can(role: Role | undefined, ability: Ability): boolean {
  if (!role) return false;
  const need = ability === 'draft' ? 1 : ability === 'finance' ? 2 : 3;
  return LEVEL[role] >= need;
}
