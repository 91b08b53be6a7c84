import { v7 } from 'uuid';

/** Opaque, instance-unique, time-ordered ids with a type prefix: `inv_0190…`. */
export function newId(prefix: string): string {
  return `${prefix}_${v7().replaceAll('-', '')}`;
}
