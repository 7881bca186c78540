/** Private: matching dotted parameter/module names against prefixes. */

/** Whether `name` is `prefix` or lies under it (`fc` matches `fc.weight`, not `fc2.weight`). */
export function under(name: string, prefix: string): boolean {
  return name === prefix || name.startsWith(`${prefix}.`);
}

/** Whether `name` lies under any of `prefixes`. */
export function underAny(name: string, prefixes: readonly string[]): boolean {
  return prefixes.some((p) => under(name, p));
}
