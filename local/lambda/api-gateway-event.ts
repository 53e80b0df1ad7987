import { randomUUID } from "node:crypto";
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { LOCAL_ACCOUNT_ID } from "./lambda-context.ts";

/**
 * What an API Gateway REST API's Lambda proxy integration (payload format 1.0) hands the
 * function, and how it turns the function's answer into an HTTP response. Header names keep
 * the case they were sent in (node:http lower-cases them, as many clients send them);
 * `headers` holds each header's last value and `multiValueHeaders` every value. The API lists
 * every media type as binary (infra/constructs/webhook-api.ts), so a body always arrives
 * base64-encoded, byte for byte, and an empty body as `null`.
 */
export interface HttpRequestParts {
  method: string;
  /** The request target: path and query, as received. */
  url: string;
  /** Every value of each header, as received (node:http's `headersDistinct`). */
  headers: Readonly<Record<string, readonly string[] | undefined>>;
  body: Buffer;
  sourceIp: string;
  /** The Host the caller used, for `requestContext.domainName`. */
  host: string;
  httpVersion: string;
}

/** The deployed stage's name: the first segment of the webhook URL's path. */
export const LOCAL_STAGE = "webhooks";

export function toApiGatewayEvent(
  request: HttpRequestParts,
  resource: string,
  pathParameters: Record<string, string> | undefined = undefined,
): APIGatewayProxyEvent {
  const [path = "/", rawQueryString = ""] = splitOnce(request.url, "?");
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || value.length === 0) continue;
    headers[name] = value[value.length - 1] ?? "";
    multiValueHeaders[name] = [...value];
  }
  const query = queryParameters(rawQueryString);
  const now = Date.now();
  return {
    resource,
    path,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
    queryStringParameters: query?.last ?? null,
    multiValueQueryStringParameters: query?.all ?? null,
    pathParameters: pathParameters ?? null,
    stageVariables: null,
    requestContext: {
      accountId: LOCAL_ACCOUNT_ID,
      apiId: "local",
      authorizer: null,
      domainName: request.host,
      domainPrefix: request.host.split(".")[0] ?? request.host,
      httpMethod: request.method,
      path: `/${LOCAL_STAGE}${path}`,
      protocol: `HTTP/${request.httpVersion}`,
      requestId: randomUUID(),
      requestTimeEpoch: now,
      resourceId: "local",
      resourcePath: resource,
      stage: LOCAL_STAGE,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.sourceIp,
        user: null,
        userAgent: headers["user-agent"] ?? null,
        userArn: null,
      },
    },
    isBase64Encoded: request.body.length > 0,
    body: request.body.length > 0 ? request.body.toString("base64") : null,
  };
}

export interface HttpResponseParts {
  statusCode: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/**
 * The function's result as API Gateway sends it on: status, `headers` and `multiValueHeaders`
 * merged, a base64 body decoded. Anything that is not such a result is API Gateway's 502
 * (a malformed Lambda proxy response).
 */
export function fromApiGatewayResult(result: unknown): HttpResponseParts {
  if (!isProxyResult(result)) return gatewayAnswer(GATEWAY_ANSWERS.badGateway);
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) {
    headers[name.toLowerCase()] = String(value);
  }
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) {
    headers[name.toLowerCase()] = values.map(String);
  }
  const body = Buffer.from(result.body ?? "", result.isBase64Encoded ? "base64" : "utf8");
  return { statusCode: result.statusCode, headers, body };
}

/**
 * API Gateway's own answers, made without invoking the function (the stack sets the unknown
 * path's answer to 404, where a REST API would otherwise say 403 "Missing Authentication Token").
 */
export const GATEWAY_ANSWERS = {
  notFound: { statusCode: 404, message: "Not Found" },
  tooLarge: { statusCode: 413, message: "Request Entity Too Large" },
  /** A function that failed, timed out or answered something that is not a proxy result. */
  badGateway: { statusCode: 502, message: "Internal server error" },
} as const;

export function gatewayAnswer(answer: { statusCode: number; message: string }): HttpResponseParts {
  return {
    statusCode: answer.statusCode,
    headers: { "content-type": "application/json" },
    body: Buffer.from(JSON.stringify({ message: answer.message })),
  };
}

function isProxyResult(result: unknown): result is APIGatewayProxyResult {
  return (
    typeof result === "object" &&
    result !== null &&
    "statusCode" in result &&
    typeof result.statusCode === "number"
  );
}

function splitOnce(value: string, separator: string): [string, string] {
  const index = value.indexOf(separator);
  return index === -1 ? [value, ""] : [value.slice(0, index), value.slice(index + 1)];
}

function queryParameters(
  raw: string,
): { last: Record<string, string>; all: Record<string, string[]> } | undefined {
  if (raw === "") return undefined;
  const last: Record<string, string> = Object.create(null);
  const all: Record<string, string[]> = Object.create(null);
  for (const [name, value] of new URLSearchParams(raw)) {
    last[name] = value;
    all[name] = [...(all[name] ?? []), value];
  }
  return { last, all };
}
