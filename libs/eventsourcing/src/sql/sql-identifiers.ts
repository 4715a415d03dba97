const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Schema names are interpolated into SQL, so only plain lowercase identifiers are allowed. */
export function assertSqlIdentifier(name: string, what = 'schema'): string {
  if (!IDENTIFIER.test(name)) throw new Error(`invalid ${what} name "${name}": use [a-z_][a-z0-9_]*`);
  return name;
}

/** A LIKE pattern matching strings that start with `prefix`, with wildcards escaped. */
export function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
