import { ACCOUNT_USER_KEY_PREFIX } from "../../contract/ledger-keys.ts";

/**
 * The person an account platform user is: `ACCOUNTUSER#<user id>` holds the subject of the
 * first event that resolved that user (the consumer writes it, only if absent, and never for a
 * SCIM subject). The SCIM function reads it to send its events under that subject, so one
 * person's HR and SCIM decisions are judged in one order by one timeline.
 */
export const accountUserKey = (accountUserId: string): string =>
  `${ACCOUNT_USER_KEY_PREFIX}${accountUserId}`;

/** The subjects the SCIM function makes up for a user the ledger knows under no other. */
export const SCIM_SUBJECT_PREFIX = "scim:";

/** Whether the consumer remembers this subject for its account user (SCIM's own never are). */
export function isRememberedSubject(subject: string): boolean {
  return !subject.startsWith(SCIM_SUBJECT_PREFIX);
}
