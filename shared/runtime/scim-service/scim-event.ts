import { randomUUID } from "node:crypto";
import type { LifecycleEvent } from "../events/lifecycle-event.ts";
import { SCIM_SOURCE } from "../events/source-ownership.ts";
import type { ScimPerson } from "./scim-directory.ts";

/**
 * The lifecycle event an identity provider's decision becomes: the same event every producer
 * sends, under the person's subject (the ledger's, so HR's and SCIM's decisions share one
 * order), naming the account platform user by id and the OSIS user by its `cd_user_id` when
 * there is one. Its `time` is when the SCIM function received the request.
 */
export function scimEvent(
  person: ScimPerson,
  active: boolean,
  options: { now: number; osisCdTenantId: string; reason: string },
): LifecycleEvent {
  const { account, osis } = person;
  return {
    specversion: "1.0",
    id: randomUUID(),
    source: SCIM_SOURCE,
    type: active ? "user.onboarded" : "user.offboarded",
    time: new Date(options.now).toISOString(),
    subject: person.subject,
    datacontenttype: "application/json",
    data: {
      accountPlatform: { userId: account.id },
      ...(osis === undefined
        ? {}
        : { osis: { cdUserId: osis.user.cd_user_id, cdTenantId: options.osisCdTenantId } }),
      reason: options.reason,
    },
  };
}
