/**
 * OSIS's S3 credential operations (listCredentials, updateCredentialStatus, deleteCredential)
 * under the base path, with the request and answer shapes docs/platforms.md gives them.
 */
import type { OsisS3Credential } from "../../../shared/runtime/platforms/osis/osis-credentials.ts";
import {
  emptyResponse,
  jsonResponse,
  type SimulatorRequest,
  type SimulatorResponse,
} from "../common/http-exchange.ts";
import { frameworkError, notImplemented, osisError, readOsisBody } from "./osis-errors.ts";
import { type OsisCredentialStore, osisCredentialProblems } from "./osis-s3-credentials.ts";

/** The behaviours real backends differ in, switchable at start and over the control surface. */
export interface OsisSwitches {
  /** updateUserStatus sets every key of the user to the user's `active` too (one backend). */
  keysFollowUser: boolean;
  /** false → updateCredentialStatus answers 501 (another backend). */
  credentialStatusSupported: boolean;
}

export interface CredentialRouteContext {
  credentials: OsisCredentialStore;
  switches: OsisSwitches;
  /** The PageOf… answer for one list (offset, limit; 400 when they are bad). */
  page(request: SimulatorRequest, matching: unknown[]): SimulatorResponse;
}

/** `route(method, path, operation, handle, write)` as osis-routes.ts builds them. */
type RouteMaker<R> = (
  method: string,
  path: string,
  operation: string,
  handle: (request: SimulatorRequest) => SimulatorResponse,
  write?: boolean,
) => R;

export function credentialRoutes<R>(context: CredentialRouteContext, route: RouteMaker<R>): R[] {
  const { credentials } = context;
  return [
    route("GET", "/tenants/:tenantId/users/:userId/s3credentials", "listCredentials", (request) =>
      context.page(
        request,
        credentials.ofUser(request.params.tenantId ?? "", request.params.userId ?? ""),
      ),
    ),
    route(
      "PATCH",
      "/s3credentials/:accessKey",
      "updateCredentialStatus",
      (request) => updateStatus(request, context),
      true,
    ),
    route(
      "DELETE",
      "/s3credentials/:accessKey",
      "deleteCredential",
      (request) => {
        const owner = ownerQuery(request);
        if (!owner.ok) return owner.answer;
        const found = ownedCredential(request, credentials, owner);
        if (!found.ok) return found.answer;
        credentials.delete(found.credential.access_key);
        return emptyResponse(204);
      },
      true,
    ),
  ];
}

/** Only `active` takes effect; the body must still be a whole OsisS3Credential. */
function updateStatus(
  request: SimulatorRequest,
  context: CredentialRouteContext,
): SimulatorResponse {
  if (!context.switches.credentialStatusSupported) return notImplemented("updateCredentialStatus");
  const owner = ownerQuery(request);
  if (!owner.ok) return owner.answer;
  const read = readOsisBody<OsisS3Credential>(request, osisCredentialProblems);
  if (!read.ok) return read.answer;
  const body = read.value;
  if (body.access_key !== request.params.accessKey) {
    return osisError(
      400,
      "E_BAD_REQUEST",
      "invalid value for the property access_key: it must match the path",
    );
  }
  const found = ownedCredential(request, context.credentials, owner);
  if (!found.ok) return found.answer;
  const updated =
    typeof body.active === "boolean"
      ? context.credentials.setActive(found.credential.access_key, body.active)
      : found.credential;
  return jsonResponse(200, updated);
}

type Owner = { ok: true; tenantId: string; userId: string };

/** "Parameters tenant_id and user_id are always in request": 400 without them. */
function ownerQuery(request: SimulatorRequest): Owner | { ok: false; answer: SimulatorResponse } {
  const tenantId = request.query.get("tenant_id") ?? "";
  const userId = request.query.get("user_id") ?? "";
  if (tenantId === "" || userId === "") {
    return {
      ok: false,
      answer: osisError(
        400,
        "E_BAD_REQUEST",
        "the query parameters tenant_id and user_id are required",
      ),
    };
  }
  return { ok: true, tenantId, userId };
}

/** The path's credential when it belongs to the query's user; 404 (framework body) otherwise. */
function ownedCredential(
  request: SimulatorRequest,
  credentials: OsisCredentialStore,
  owner: Owner,
): { ok: true; credential: OsisS3Credential } | { ok: false; answer: SimulatorResponse } {
  const credential = credentials.get(request.params.accessKey ?? "");
  if (
    credential === undefined ||
    credential.tenant_id !== owner.tenantId ||
    credential.user_id !== owner.userId
  ) {
    return {
      ok: false,
      answer: frameworkError(404, `credential ${request.params.accessKey} not found`, request.path),
    };
  }
  return { ok: true, credential };
}
