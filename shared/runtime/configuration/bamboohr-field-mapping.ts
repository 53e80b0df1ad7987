/**
 * Which BambooHR fields feed which parts of a lifecycle event: a setting of the webhook and
 * the consumer (docs/webhook.md). Each names a field by display name, API alias, or
 * `Display name|alias` (bamboohr-fields.ts).
 */
export interface BambooHrFieldMapping {
  /** The field holding the employment status ("Active" / "Inactive"). */
  statusField: string;
  /** Field giving the subject; empty: the employee id. */
  subjectField: string;
  /** Field giving the account platform `externalId`; empty: not sent. */
  externalIdField: string;
  /** Field giving the account platform `login` (preferred over `externalId`); empty: not sent. */
  loginField: string;
  /** Field giving the OSIS `cdUserId`; empty: not sent. */
  osisCdUserField: string;
  /** IANA zone a termination date is read in (BAMBOOHR_TIME_ZONE). */
  timeZone: string;
}

export const DEFAULT_BAMBOOHR_MAPPING: Readonly<BambooHrFieldMapping> = {
  statusField: "Status",
  subjectField: "",
  externalIdField: "Employee #",
  loginField: "",
  osisCdUserField: "",
  timeZone: "UTC",
};
