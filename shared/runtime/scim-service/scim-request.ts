import { scimErrorBody } from "../scim/scim-error-body.ts";
import { SCIM_MEDIA_TYPE } from "../scim/scim-media.ts";
import type { ScimFailure } from "./scim-failures.ts";

/** One SCIM request, as the function's entry hands it over (no Lambda types). */
export interface ScimRequest {
  method: string;
  /** The path under the endpoint's base, such as `/Users/4f…` (each segment still encoded). */
  path: string;
  /** Query parameters, decoded. */
  query: Readonly<Record<string, string | undefined>>;
  /** Header names lower-cased. */
  headers: Readonly<Record<string, string | undefined>>;
  body: Buffer;
  /** The endpoint's base URL as the client called it (the resources' `meta.location`). */
  baseUrl: string;
}

export interface ScimResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A SCIM answer: `application/scim+json`, whatever type the client sent. */
export function scimResponse(
  status: number,
  body: object | undefined,
  headers: Record<string, string> = {},
): ScimResponse {
  return {
    status,
    headers: body === undefined ? headers : { "content-type": SCIM_MEDIA_TYPE, ...headers },
    body: body === undefined ? "" : JSON.stringify(body),
  };
}

/** An RFC 7644 §3.12 error answer, with `Retry-After` when the client should come back. */
export function scimErrorResponse(
  failure: ScimFailure,
  headers: Record<string, string> = {},
): ScimResponse {
  const retry: Record<string, string> =
    failure.retryAfterSeconds === undefined
      ? {}
      : { "retry-after": String(failure.retryAfterSeconds) };
  return scimResponse(
    failure.status,
    scimErrorBody(failure.status, failure.scimType, failure.detail),
    { ...retry, ...headers },
  );
}
