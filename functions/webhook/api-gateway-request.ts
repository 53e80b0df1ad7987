import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { WebhookRequest } from "../../shared/webhook/webhook-request.ts";
import type { WebhookResponse } from "../../shared/webhook/webhook-responses.ts";

/**
 * API Gateway HTTP API (payload 2.0) in and out. The body stays the bytes that were signed:
 * a base64 body is decoded to bytes, a text body encoded back to its UTF-8 bytes, and no body
 * parser runs. Header names are lower-cased (API Gateway does so already; tests may not).
 */
export function fromApiGatewayEvent(event: APIGatewayProxyEventV2): WebhookRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    headers[name.toLowerCase()] = value;
  }
  const body = event.body ?? "";
  return {
    method: event.requestContext?.http?.method ?? "",
    path: event.rawPath ?? "",
    headers,
    rawBody: event.isBase64Encoded ? Buffer.from(body, "base64") : Buffer.from(body, "utf8"),
  };
}

export function toApiGatewayResult(response: WebhookResponse): APIGatewayProxyStructuredResultV2 {
  return { statusCode: response.status, headers: response.headers, body: response.body };
}
