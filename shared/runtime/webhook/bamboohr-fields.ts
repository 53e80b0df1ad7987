/**
 * One BambooHR field under both of its names: the display name field-based deliveries use as a
 * key ("Employee #"), and the API alias that event-based `changedFields` and the employee API
 * use ("employeeNumber"). A mapping setting names a field either way, or both as
 * `Display name|apiAlias`; a single name of a standard field finds the other in the table below.
 */
export interface BambooHrField {
  displayName: string;
  alias: string;
}

/** BambooHR's standard fields a lifecycle mapping plausibly reads (display name, API alias). */
const STANDARD_FIELDS: readonly (readonly [string, string])[] = [
  ["Status", "status"],
  ["Employee #", "employeeNumber"],
  ["Work Email", "workEmail"],
  ["Home Email", "homeEmail"],
  ["First Name", "firstName"],
  ["Last Name", "lastName"],
  ["Preferred Name", "preferredName"],
  ["Termination Date", "terminationDate"],
  ["Hire Date", "hireDate"],
  ["Job Title", "jobTitle"],
  ["Department", "department"],
  ["Division", "division"],
  ["Location", "location"],
  ["Employment Status", "employmentHistoryStatus"],
];

/** The field a setting names; a custom field given by one name is that name both ways. */
export function bambooHrField(setting: string): BambooHrField {
  const [first = "", second] = setting.split("|").map((part) => part.trim());
  if (second !== undefined) return { displayName: first, alias: second };
  const standard = STANDARD_FIELDS.find(([name, alias]) => name === first || alias === first);
  return standard
    ? { displayName: standard[0], alias: standard[1] }
    : { displayName: first, alias: first };
}

/** Whether a list of field names (either kind, as a delivery gives them) names the field. */
export function namesField(names: readonly string[], field: BambooHrField): boolean {
  return names.includes(field.displayName) || names.includes(field.alias);
}

/** BambooHR's termination date: read with every employee, for a change that takes effect later. */
export const TERMINATION_DATE = bambooHrField("Termination Date");
