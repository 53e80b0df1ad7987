import type { ScimType } from "../errors/scim-request-error.ts";
import { ERROR_SCHEMA } from "./scim-media.ts";

export interface ScimErrorBody {
  schemas: [typeof ERROR_SCHEMA];
  /** A string, as RFC 7644 §3.12 writes it: identity providers compare `"404"`, not `404`. */
  status: string;
  scimType?: ScimType;
  detail: string;
}

/** The error body of RFC 7644 §3.12; `scimType` only when the refusal has one. */
export function scimErrorBody(
  status: number,
  scimType: ScimType | undefined,
  detail: string,
): ScimErrorBody {
  return {
    schemas: [ERROR_SCHEMA],
    status: String(status),
    ...(scimType === undefined ? {} : { scimType }),
    detail,
  };
}
