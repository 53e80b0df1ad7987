import { ScimRequestError } from "../errors/scim-request-error.ts";
import { describeError, type Logger } from "../logging/logger.ts";
import { matchesBearerToken } from "../scim/bearer-token.ts";
import {
  resourceTypeById,
  resourceTypes,
  schemaById,
  schemas,
  serviceProviderConfig,
} from "../scim/discovery.ts";
import { isAcceptedScimContentType, SCIM_MEDIA_TYPE } from "../scim/scim-media.ts";
import { scimFailureOf } from "./scim-failures.ts";
import {
  type ScimRequest,
  type ScimResponse,
  scimErrorResponse,
  scimResponse,
} from "./scim-request.ts";
import {
  createUser,
  deleteUser,
  getUser,
  listUsers,
  patchUser,
  replaceUser,
  type ScimUserOperationsDependencies,
  type UserOperationContext,
} from "./scim-user-operations.ts";

export interface ScimRequestHandlerDependencies extends ScimUserOperationsDependencies {
  /** The bearer tokens accepted now (the secret's, cached); none: every request is refused. */
  tokens(): Promise<readonly string[]>;
  logger: Logger;
}

type Operation = (context: UserOperationContext, id: string) => Promise<ScimResponse>;

/** What answers a path: by its first segment, then whether an id follows. */
interface Resource {
  collection: Readonly<Record<string, Operation>>;
  item: Readonly<Record<string, Operation>>;
}

const discovery = (
  all: (baseUrl: string) => object,
  byId?: (baseUrl: string, id: string) => object | undefined,
): Resource => ({
  collection: { GET: async ({ request }) => scimResponse(200, all(request.baseUrl)) },
  item:
    byId === undefined
      ? {}
      : {
          GET: async ({ request }, id) => {
            const found = byId(request.baseUrl, id);
            if (found === undefined) throw new ScimRequestError(404, undefined, `No ${id} here`);
            return scimResponse(200, found);
          },
        },
});

/** The endpoint's resources (names compared in any case); Groups are not served. */
const RESOURCES: ReadonlyMap<string, Resource> = new Map([
  ["serviceproviderconfig", discovery(serviceProviderConfig)],
  ["resourcetypes", discovery(resourceTypes, resourceTypeById)],
  ["schemas", discovery(schemas, schemaById)],
  [
    "users",
    {
      collection: { GET: listUsers, POST: createUser },
      item: { GET: getUser, PUT: replaceUser, PATCH: patchUser, DELETE: deleteUser },
    },
  ],
]);

const WITH_BODY = new Set(["POST", "PUT", "PATCH"]);

/**
 * One SCIM request, in order: 1. the bearer token (401 before anything else is read);
 * 2. the route (404 for what is not served, Groups included; 405 with `Allow` for a method a
 * path does not take); 3. the body's media type and JSON (415, 400 `invalidSyntax`); 4. the
 * operation. Every failure is an RFC 7644 §3.12 error body (scim-failures.ts).
 */
export async function handleScimRequest(
  request: ScimRequest,
  deps: ScimRequestHandlerDependencies,
  signal: AbortSignal,
): Promise<ScimResponse> {
  try {
    if (!matchesBearerToken(request.headers.authorization, await deps.tokens())) {
      return scimErrorResponse(
        { status: 401, detail: "A valid bearer token is required" },
        { "www-authenticate": 'Bearer realm="scim"' },
      );
    }
    const routed = route(request);
    if ("allow" in routed) {
      const detail = `${request.method} is not served here; use ${routed.allow}`;
      return scimErrorResponse({ status: 405, detail }, { allow: routed.allow });
    }
    const { operation, id } = routed;
    const body = WITH_BODY.has(request.method) ? readBody(request) : undefined;
    const response = await operation({ request, body, signal, deps }, id ?? "");
    deps.logger.info("SCIM request answered", { ...described(request), status: response.status });
    return response;
  } catch (error) {
    const failure = scimFailureOf(error);
    const log = failure.status >= 500 ? deps.logger.error : deps.logger.info;
    log.call(deps.logger, "SCIM request refused", {
      ...described(request),
      status: failure.status,
      ...(failure.status >= 500 ? { error: describeError(error) } : { detail: failure.detail }),
    });
    return scimErrorResponse(failure);
  }
}

function route(
  request: ScimRequest,
): { operation: Operation; id: string | undefined } | { allow: string } {
  const segments = request.path.split("/").filter((segment) => segment !== "");
  const [name = "", encodedId, ...rest] = segments;
  const resource = RESOURCES.get(name.toLowerCase());
  if (resource === undefined || rest.length > 0) {
    const what = name.toLowerCase() === "groups" ? "Groups are not supported" : "Not served";
    throw new ScimRequestError(404, undefined, `${what}: ${request.path}`);
  }
  const id = encodedId === undefined ? undefined : decodedSegment(encodedId);
  const operations = id === undefined ? resource.collection : resource.item;
  const operation = operations[request.method];
  if (operation === undefined) {
    const allow = Object.keys(operations).join(", ");
    if (allow === "") throw new ScimRequestError(404, undefined, `Not served: ${request.path}`);
    return { allow };
  }
  return { operation, id };
}

function readBody(request: ScimRequest): unknown {
  if (!isAcceptedScimContentType(request.headers["content-type"])) {
    throw new ScimRequestError(
      415,
      undefined,
      `The body must be ${SCIM_MEDIA_TYPE} or application/json (UTF-8)`,
    );
  }
  try {
    return JSON.parse(request.body.toString("utf8"));
  } catch {
    throw new ScimRequestError(400, "invalidSyntax", "The body is not JSON");
  }
}

function decodedSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ScimRequestError(404, undefined, `No resource ${segment}`);
  }
}

/** What a log line says of a request: never the token, the body or the query's values. */
function described(request: ScimRequest) {
  return { method: request.method, path: request.path };
}
