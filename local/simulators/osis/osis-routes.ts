/**
 * The OSIS user operations under a configurable base path, as docs/platforms.md describes them.
 * Every route accepts HTTP Basic or a bearer token.
 */
import type { OsisUser } from "../../../shared/runtime/platforms/osis/osis.ts";
import { readAuthorization } from "../common/authorization.ts";
import {
  emptyResponse,
  jsonResponse,
  type SimulatorRequest,
  type SimulatorResponse,
} from "../common/http-exchange.ts";
import type { Route } from "../common/route-table.ts";
import { credentialRoutes, type OsisSwitches } from "./osis-credential-routes.ts";
import { frameworkError, notImplemented, osisError, readOsisBody } from "./osis-errors.ts";
import { matchesFilter, parseFilter } from "./osis-filter.ts";
import type { OsisCredentialStore } from "./osis-s3-credentials.ts";
import { type OsisUserStore, osisUserProblems } from "./osis-users.ts";

export const DEFAULT_PAGE_LIMIT = 100;
export const MAX_PAGE_LIMIT = 1_000;

export interface OsisRouteContext {
  basePath: string;
  users: OsisUserStore;
  basic: readonly { username: string; password: string }[];
  tokens: readonly string[];
  supportsStatus: boolean;
  /** 201 on the older revision (/osis/api/v1), 200 on the newer one. */
  setActiveStatus: 200 | 201;
  credentials: OsisCredentialStore;
  switches: OsisSwitches;
}

export function osisRoutes(context: OsisRouteContext): Route[] {
  const { basePath: base, users } = context;
  const route = (
    method: string,
    path: string,
    operation: string,
    handle: Route["handle"],
    write = false,
  ): Route => ({
    method,
    path: `${base}${path}`,
    operation,
    write,
    handle: authorized(context, handle),
  });
  const userOf = (request: SimulatorRequest) =>
    users.get(request.params.tenantId ?? "", request.params.userId ?? "");
  const notFound = (request: SimulatorRequest) =>
    frameworkError(404, `user ${request.params.userId} not found`, request.path);

  return [
    route("GET", "/users/query", "queryUsers", (request) => {
      const filter = parseFilter(request.query.get("filter"));
      if (!filter.ok) return osisError(400, "E_BAD_REQUEST", filter.problem);
      return page(
        request,
        users.where((user) => matchesFilter(user, filter.pairs)),
      );
    }),
    route("GET", "/users/:canonicalUserId", "getUserWithCanonicalId", (request) => {
      const user = users.byCanonicalId(request.params.canonicalUserId ?? "");
      return user === undefined
        ? frameworkError(404, `user ${request.params.canonicalUserId} not found`, request.path)
        : jsonResponse(200, user);
    }),
    route(
      "POST",
      "/tenants/:tenantId/users",
      "createUser",
      (request) => createUser(request, users),
      true,
    ),
    route("GET", "/tenants/:tenantId/users", "listUsers", (request) =>
      page(
        request,
        users.where((user) => user.tenant_id === request.params.tenantId),
      ),
    ),
    route("GET", "/tenants/:tenantId/users/:userId", "getUser", (request) => {
      const user = userOf(request);
      return user === undefined ? notFound(request) : jsonResponse(200, user);
    }),
    route("HEAD", "/tenants/:tenantId/users/:userId", "headUser", (request) =>
      emptyResponse(userOf(request) === undefined ? 404 : 200),
    ),
    route(
      "PATCH",
      "/tenants/:tenantId/users/:userId",
      "setActive",
      (request) => setActive(request, context),
      true,
    ),
    route(
      "DELETE",
      "/tenants/:tenantId/users/:userId",
      "deleteUser",
      (request) =>
        users.delete(request.params.tenantId ?? "", request.params.userId ?? "")
          ? emptyResponse(204)
          : notFound(request),
      true,
    ),
    ...credentialRoutes({ ...context, page }, route),
  ];
}

function authorized(context: OsisRouteContext, handle: Route["handle"]): Route["handle"] {
  return (request) => {
    const auth = readAuthorization(request.headers.authorization);
    const accepted =
      auth?.scheme === "basic"
        ? context.basic.some((b) => b.username === auth.username && b.password === auth.password)
        : auth?.scheme === "bearer" && context.tokens.includes(auth.token);
    if (!accepted) {
      return osisError(401, "E_UNAUTHORIZED", "authentication required", {
        "www-authenticate": 'Basic realm="osis"',
      });
    }
    return handle(request);
  };
}

function setActive(request: SimulatorRequest, context: OsisRouteContext): SimulatorResponse {
  if (!context.supportsStatus) {
    return notImplemented("updateUserStatus");
  }
  const read = readOsisUser(request);
  if (!read.ok) return read.answer;
  const body = read.user;
  const updated = context.users.setActive(
    request.params.tenantId ?? "",
    request.params.userId ?? "",
    typeof body.active === "boolean" ? body.active : undefined,
  );
  if (updated === undefined) {
    return frameworkError(404, `user ${request.params.userId} not found`, request.path);
  }
  if (context.switches.keysFollowUser && typeof body.active === "boolean") {
    context.credentials.setUserKeysActive(
      request.params.tenantId ?? "",
      request.params.userId ?? "",
      body.active,
    );
  }
  return jsonResponse(context.setActiveStatus, updated);
}

function createUser(request: SimulatorRequest, users: OsisUserStore): SimulatorResponse {
  const read = readOsisUser(request);
  if (!read.ok) return read.answer;
  const body = read.user;
  if (body.tenant_id !== request.params.tenantId) {
    return osisError(
      400,
      "E_BAD_REQUEST",
      "invalid value for the property tenant_id: it must match the path",
    );
  }
  const userId =
    typeof body.user_id === "string" && body.user_id !== "" ? body.user_id : body.cd_user_id;
  if (users.get(body.tenant_id, userId) !== undefined) {
    return osisError(409, "E_CONFLICT", `user ${userId} already exists`);
  }
  const { canonical_user_id: _ignored, ...rest } = body;
  return jsonResponse(201, users.seed({ ...rest, user_id: userId }));
}

/** The body as an OsisUser, or the 400/415 answer saying why it is not one. */
function readOsisUser(
  request: SimulatorRequest,
): { ok: true; user: OsisUser } | { ok: false; answer: SimulatorResponse } {
  const read = readOsisBody<OsisUser>(request, osisUserProblems);
  return read.ok ? { ok: true, user: read.value } : read;
}

function page(request: SimulatorRequest, matching: unknown[]): SimulatorResponse {
  const offset = integerParam(request, "offset", 0, 0);
  const limit = integerParam(request, "limit", DEFAULT_PAGE_LIMIT, 1);
  if (offset === undefined || limit === undefined || limit > MAX_PAGE_LIMIT) {
    return osisError(
      400,
      "E_BAD_REQUEST",
      `offset must be ≥ 0 and limit from 1 to ${MAX_PAGE_LIMIT}`,
    );
  }
  return jsonResponse(200, {
    items: matching.slice(offset, offset + limit),
    page_info: { limit, offset, total: matching.length },
  });
}

function integerParam(
  request: SimulatorRequest,
  name: string,
  fallback: number,
  min: number,
): number | undefined {
  const raw = request.query.get(name);
  if (raw === null || raw === "") return fallback;
  const value = Number(raw);
  return Number.isInteger(value) && value >= min ? value : undefined;
}
