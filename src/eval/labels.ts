/**
 * Which types get a row, in which order, and how the official table names them.
 *
 * The official script has fixed n2c2 lists and always prints all of them (a type outside them still counts in the
 * overall rows, it just gets no row). medrex does the same when every gold type is an n2c2 type; for any other
 * corpus the rows are the types present, n2c2 types first in the script's order, then the rest alphabetically.
 */

/** Entity types in the order of the official script's rows. */
export const N2C2_ENTITY_TYPES: readonly string[] = [
  'Drug',
  'Strength',
  'Duration',
  'Route',
  'Form',
  'ADE',
  'Dosage',
  'Reason',
  'Frequency',
];

/** Relation types in the order of the official script's rows (the type as written in the `.ann` file). */
export const N2C2_RELATION_TYPES: readonly string[] = [
  'Strength-Drug',
  'Dosage-Drug',
  'Duration-Drug',
  'Frequency-Drug',
  'Form-Drug',
  'Route-Drug',
  'Reason-Drug',
  'ADE-Drug',
];

/**
 * True when the types use nothing but n2c2 types; no types at all counts as n2c2 (the script's default rows).
 * Pass gold types when gold has any: a system that predicts a stray type does not turn an n2c2 evaluation into
 * something else.
 */
export function looksLikeN2c2(entityTypes: ReadonlySet<string>, relationTypes: ReadonlySet<string>): boolean {
  const inList = (list: readonly string[]) => (t: string) => list.includes(t);
  return [...entityTypes].every(inList(N2C2_ENTITY_TYPES)) && [...relationTypes].every(inList(N2C2_RELATION_TYPES));
}

export interface RowTypes {
  /** Rows of the official table: the whole n2c2 list for an n2c2 corpus (as the script prints it), otherwise the
   * types found in gold and system, n2c2 ones first in the script's order, then the rest alphabetically. */
  official: string[];
  /** Rows of the additions: the official rows, then any other type found (e.g. a stray system type). */
  all: string[];
}

export function rowTypes(found: ReadonlySet<string>, n2c2Order: readonly string[], isN2c2: boolean): RowTypes {
  const known = isN2c2 ? [...n2c2Order] : n2c2Order.filter((t) => found.has(t));
  const others = [...found].filter((t) => !n2c2Order.includes(t)).sort();
  return { official: isN2c2 ? known : [...known, ...others], all: [...known, ...others] };
}

/** Python's `str.capitalize()`: first character upper case, the rest lower case. */
export function pythonCapitalize(s: string): string {
  return s.length === 0 ? s : s[0].toUpperCase() + s.slice(1).toLowerCase();
}

/** The official row label of an entity type (`ADE` prints as `Ade`). */
export function entityLabel(type: string): string {
  return pythonCapitalize(type);
}

/**
 * The official row label of a relation type: `Strength-Drug` prints as `Strength -> Drug`. A type without a hyphen
 * (which the script cannot handle) is printed as written; text after a second hyphen is kept (the script drops it).
 */
export function relationLabel(type: string): string {
  const hyphen = type.indexOf('-');
  if (hyphen < 0) return type;
  return `${type.slice(0, hyphen)} -> ${pythonCapitalize(type.slice(hyphen + 1))}`;
}
