import { isUtf8OrNotCharset } from "../webhook/media-type.ts";

/** The media type of every SCIM answer (RFC 7644 §3.1). */
export const SCIM_MEDIA_TYPE = "application/scim+json";

/** Identity providers send either type; Microsoft Entra and others add `; charset=utf-8`. */
const ACCEPTED_SCIM_TYPES = [SCIM_MEDIA_TYPE, "application/json"];

/** Whether a request body of this Content-Type is read: either type, any case, UTF-8 only. */
export function isAcceptedScimContentType(header: string | undefined): boolean {
  const [type = "", ...parameters] = (header ?? "").split(";").map((part) => part.trim());
  return ACCEPTED_SCIM_TYPES.includes(type.toLowerCase()) && parameters.every(isUtf8OrNotCharset);
}

/** The schema URNs of RFC 7643 and RFC 7644 the endpoint serves or reads. */
export const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
export const ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";
export const LIST_RESPONSE_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
export const PATCH_OP_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const SERVICE_PROVIDER_CONFIG_SCHEMA =
  "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
export const RESOURCE_TYPE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
export const SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema";

/**
 * The product's extension of the User resource: the state of the OSIS user whose `cd_user_id`
 * is the account's login (read-only). In the `urn:<product>:params:scim:schemas:extension:…`
 * form RFC 7643 §3.3 suggests, since the product has no IANA-registered namespace.
 */
export const OSIS_USER_EXTENSION_SCHEMA =
  "urn:hr-lifecycle-sync:params:scim:schemas:extension:osis:2.0:User";
