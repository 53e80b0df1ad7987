import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { SCIM_BASE_PATH } from "../../shared/contract/webhook-routes.ts";
import type { ScimRequest, ScimResponse } from "../../shared/runtime/scim-service/scim-request.ts";

/**
 * API Gateway REST API, Lambda proxy integration (payload 1.0), resource `/scim/v2/{proxy+}`,
 * in and out. Every body arrives base64 (the API treats every media type as binary, for the
 * webhook's signatures). The base URL is the one the client called: the stage (or a custom
 * domain's base path) is what `requestContext.path` holds before the SCIM path.
 */
export function fromApiGatewayEvent(event: APIGatewayProxyEvent): ScimRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    headers[name.toLowerCase()] = value;
  }
  const path = event.path ?? "";
  const under = path.startsWith(SCIM_BASE_PATH) ? path.slice(SCIM_BASE_PATH.length) : path;
  const calledPath = event.requestContext?.path ?? path;
  const prefix = calledPath.endsWith(path) ? calledPath.slice(0, -path.length || undefined) : "";
  const protocol = headers["x-forwarded-proto"] ?? "https";
  const host = event.requestContext?.domainName ?? headers.host ?? "localhost";
  const body = event.body ?? "";
  return {
    method: (event.httpMethod ?? "").toUpperCase(),
    path: under,
    query: event.queryStringParameters ?? {},
    headers,
    body: event.isBase64Encoded ? Buffer.from(body, "base64") : Buffer.from(body, "utf8"),
    baseUrl: `${protocol}://${host}${prefix}${SCIM_BASE_PATH}`,
  };
}

export function toApiGatewayResult(response: ScimResponse): APIGatewayProxyResult {
  return { statusCode: response.status, headers: response.headers, body: response.body };
}
