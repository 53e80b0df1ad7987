/**
 * A member of a SCIM message or query by its name in any case: SCIM attribute names are
 * case-insensitive (RFC 7643 §2.1), and clients write `operations` as well as `Operations`.
 */
export function memberOf<T>(object: Readonly<Record<string, T>>, name: string): T | undefined {
  const wanted = name.toLowerCase();
  const key = Object.keys(object).find((candidate) => candidate.toLowerCase() === wanted);
  return key === undefined ? undefined : object[key];
}
