/**
 * ts-proto enums are numeric (`MANAGER_KIND_COMMUNE = 1`); the domain speaks lowercase names
 * (`commune`). UNSPECIFIED maps to undefined so validation reports "is required"; a value the
 * server does not know keeps its raw name so validation reports it as not an option.
 */
export function fromProtoEnum(values: Record<string, string | number>, prefix: string, value: number | undefined): string | undefined {
  if (value === undefined || value === 0) return undefined;
  const name = values[value];
  if (typeof name !== 'string' || !name.startsWith(prefix)) return `unknown value ${value}`;
  return name.slice(prefix.length).toLowerCase();
}

export function toProtoEnum(values: Record<string, string | number>, prefix: string, value: string): number {
  const number = values[`${prefix}${value.toUpperCase()}`];
  if (typeof number !== 'number') throw new Error(`no ${prefix}* value for "${value}" in the contract`);
  return number;
}
