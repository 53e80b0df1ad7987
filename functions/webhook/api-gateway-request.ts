import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import type { WebhookRequest } from "../../shared/runtime/webhook/webhook-request.ts";
import type { WebhookResponse } from "../../shared/runtime/webhook/webhook-responses.ts";

/**
 * API Gateway REST API, Lambda proxy integration (payload 1.0), in and out. The body stays the
 * bytes that were signed: the API treats every media type as binary, so a body arrives base64
 * and is decoded to bytes (a text body, from a test or another API, is encoded back to its
 * UTF-8 bytes); no body parser runs. Header names are lower-cased; a repeated header keeps its
 * values joined by commas, as HTTP allows.
 */
export function fromApiGatewayEvent(event: APIGatewayProxyEvent): WebhookRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    headers[name.toLowerCase()] = value;
  }
  for (const [name, values] of Object.entries(event.multiValueHeaders ?? {})) {
    if (values !== undefined && values.length > 0) headers[name.toLowerCase()] = values.join(",");
  }
  const body = event.body ?? "";
  return {
    method: event.httpMethod ?? "",
    path: event.path ?? "",
    headers,
    rawBody: event.isBase64Encoded ? Buffer.from(body, "base64") : Buffer.from(body, "utf8"),
  };
}

export function toApiGatewayResult(response: WebhookResponse): APIGatewayProxyResult {
  return { statusCode: response.status, headers: response.headers, body: response.body };
}
