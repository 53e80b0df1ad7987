/**
 * The account platform's API under {dc}/api/2, as docs/platforms.md describes it. Every route but
 * the token endpoint needs a bearer token the simulator issued, unexpired and unrevoked.
 */
import { readAuthorization } from "../common/authorization.ts";
import {
  emptyResponse,
  isJsonContentType,
  isPlainObject,
  jsonResponse,
  parseJsonBody,
  type SimulatorRequest,
  type SimulatorResponse,
} from "../common/http-exchange.ts";
import type { Route } from "../common/route-table.ts";
import type { AccessTokens } from "./access-tokens.ts";
import { accountPlatformError, oauthError } from "./account-platform-errors.ts";
import type { AccountPlatformUserStore } from "./account-platform-users.ts";

export const DEFAULT_SEARCH_LIMIT = 10;
export const MAX_SEARCH_LIMIT = 1_000;

export interface AccountPlatformRouteContext {
  users: AccountPlatformUserStore;
  tokens: AccessTokens;
  clients: readonly { clientId: string; clientSecret: string }[];
  conflictStatus: 409 | 426;
}

export function accountPlatformRoutes(context: AccountPlatformRouteContext): Route[] {
  const { users, tokens } = context;
  const authorized =
    (handle: (request: SimulatorRequest) => SimulatorResponse) =>
    (request: SimulatorRequest): SimulatorResponse => {
      const auth = readAuthorization(request.headers.authorization);
      if (auth?.scheme !== "bearer" || !tokens.isValid(auth.token)) {
        return accountPlatformError(
          401,
          "Unauthorized: the access token is missing, expired or revoked",
          undefined,
          {
            "www-authenticate": 'Bearer realm="api"',
          },
        );
      }
      return handle(request);
    };

  return [
    {
      method: "POST",
      path: "/api/2/idp/token",
      operation: "token",
      handle: (request) => issueToken(request, context),
    },
    {
      method: "GET",
      path: "/api/2/users/check_login",
      operation: "checkLogin",
      handle: authorized((request) => {
        const username = request.query.get("username")?.toLowerCase();
        if (!username) return accountPlatformError(400, "username is required");
        const taken = users.where((user) => user.login.toLowerCase() === username).length > 0;
        return taken ? accountPlatformError(409, "Login is already taken") : emptyResponse(204);
      }),
    },
    {
      method: "GET",
      path: "/api/2/users/:id",
      operation: "getUser",
      handle: authorized((request) => {
        const user = users.get(request.params.id ?? "");
        return user === undefined ? userNotFound(request) : jsonResponse(200, user);
      }),
    },
    {
      method: "PUT",
      path: "/api/2/users/:id",
      operation: "setEnabled",
      write: true,
      handle: authorized((request) => setEnabled(request, context)),
    },
    {
      method: "GET",
      path: "/api/2/users",
      operation: "listUsers",
      handle: authorized((request) => {
        const externalIds = request.query.get("external_ids");
        const tenantId = request.query.get("tenant_id");
        if (externalIds !== null) {
          if (!tenantId)
            return accountPlatformError(400, "tenant_id is required with external_ids");
          const ids = externalIds
            .split(",")
            .map((id) => id.trim())
            .filter((id) => id !== "");
          return jsonResponse(200, { items: users.withExternalIds(ids, tenantId) });
        }
        if (!tenantId) return accountPlatformError(400, "external_ids or tenant_id is required");
        return jsonResponse(200, { items: users.inTenant(tenantId) });
      }),
    },
    {
      method: "GET",
      path: "/api/2/tenants/:tenantId/users",
      operation: "listTenantUsers",
      // Ids only, every one at once: the platform's examples show no paging parameters.
      handle: authorized((request) =>
        jsonResponse(200, {
          items: users.inTenant(request.params.tenantId ?? "").map((user) => user.id),
        }),
      ),
    },
    {
      method: "GET",
      path: "/api/2/search",
      operation: "search",
      handle: authorized((request) => {
        const text = request.query.get("text");
        if (!text) return accountPlatformError(400, "text is required");
        const limitParam = request.query.get("limit");
        const limit = limitParam === null ? DEFAULT_SEARCH_LIMIT : Number(limitParam);
        if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT) {
          return accountPlatformError(
            400,
            `limit must be an integer from 1 to ${MAX_SEARCH_LIMIT}`,
          );
        }
        const tenant = request.query.get("tenant") || undefined;
        return jsonResponse(200, { items: users.search(text, tenant, limit) });
      }),
    },
  ];
}

function issueToken(
  request: SimulatorRequest,
  context: AccountPlatformRouteContext,
): SimulatorResponse {
  const auth = readAuthorization(request.headers.authorization);
  if (auth?.scheme !== "basic") {
    return oauthError(401, "invalid_client", "client authentication (HTTP Basic) is required", {
      "www-authenticate": 'Basic realm="idp"',
    });
  }
  const known = context.clients.some(
    (client) => client.clientId === auth.username && client.clientSecret === auth.password,
  );
  if (!known) return oauthError(400, "invalid_client", "client authentication failed");
  const mediaType = request.headers["content-type"]?.split(";")[0]?.trim().toLowerCase();
  if (mediaType !== "application/x-www-form-urlencoded") {
    return oauthError(400, "invalid_request", "the body must be application/x-www-form-urlencoded");
  }
  const grantType = new URLSearchParams(request.body).get("grant_type");
  if (grantType !== "client_credentials") {
    return oauthError(
      400,
      "unsupported_grant_type",
      "only grant_type=client_credentials is supported",
    );
  }
  return jsonResponse(200, context.tokens.issue(auth.username), { "cache-control": "no-store" });
}

function setEnabled(
  request: SimulatorRequest,
  context: AccountPlatformRouteContext,
): SimulatorResponse {
  if (!isJsonContentType(request.headers["content-type"])) {
    return accountPlatformError(415, "Unsupported Media Type: the body must be application/json");
  }
  const parsed = parseJsonBody(request.body);
  if (!parsed.ok) return accountPlatformError(400, parsed.problem);
  const body = parsed.value;
  if (!isPlainObject(body)) return accountPlatformError(400, "the body must be a JSON object");
  const { enabled, version } = body;
  if (version === undefined)
    return accountPlatformError(400, "version is required", { field: "version" });
  if (typeof version !== "number" || !Number.isInteger(version)) {
    return accountPlatformError(400, "version must be an integer", { field: "version" });
  }
  if (enabled !== undefined && typeof enabled !== "boolean") {
    return accountPlatformError(400, "enabled must be a boolean", { field: "enabled" });
  }
  const outcome = context.users.update(request.params.id ?? "", enabled, version);
  switch (outcome.kind) {
    case "not-found":
      return userNotFound(request);
    case "stale-version":
      return accountPlatformError(
        context.conflictStatus,
        "Version conflict: the object was changed by someone else",
        { sent: version, current: outcome.current },
      );
    case "updated":
      return jsonResponse(200, outcome.user);
  }
}

function userNotFound(request: SimulatorRequest): SimulatorResponse {
  return accountPlatformError(404, "User not found", { id: request.params.id });
}
