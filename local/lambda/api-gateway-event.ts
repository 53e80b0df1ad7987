import { randomUUID } from "node:crypto";
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyResultV2,
  APIGatewayProxyStructuredResultV2,
} from "aws-lambda";
import { LOCAL_ACCOUNT_ID } from "./lambda-context.ts";

/**
 * What an API Gateway HTTP API (payload format 2.0) hands a Lambda integration, and how it
 * turns the function's answer into an HTTP response. Header names are lower-cased and repeated
 * headers joined with commas; cookies are taken out of the headers into `cookies`; the body is
 * passed as text when it is textual UTF-8, else base64 with `isBase64Encoded`.
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

export function toApiGatewayEvent(
  request: HttpRequestParts,
  routeKey: string,
): APIGatewayProxyEventV2 {
  const [rawPath = "/", rawQueryString = ""] = splitOnce(request.url, "?");
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (lower === "cookie") {
      cookies = value.join("; ").split(/;\s*/).filter(Boolean);
      continue;
    }
    headers[lower] = value.join(",");
  }
  const textual = isTextual(headers["content-type"]) && isUtf8(request.body);
  const now = new Date();
  const event: APIGatewayProxyEventV2 = {
    version: "2.0",
    routeKey,
    rawPath,
    rawQueryString,
    headers,
    requestContext: {
      accountId: LOCAL_ACCOUNT_ID,
      apiId: "local",
      domainName: request.host,
      domainPrefix: request.host.split(".")[0] ?? request.host,
      http: {
        method: request.method,
        path: rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.sourceIp,
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: randomUUID(),
      routeKey,
      stage: "$default",
      time: apiGatewayTime(now),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: request.body.length > 0 && !textual,
  };
  if (cookies !== undefined) event.cookies = cookies;
  const query = queryParameters(rawQueryString);
  if (query !== undefined) event.queryStringParameters = query;
  if (request.body.length > 0) {
    event.body = textual ? request.body.toString("utf8") : request.body.toString("base64");
  }
  return event;
}

export interface HttpResponseParts {
  statusCode: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/**
 * A structured result is used as given; any other value is, as API Gateway infers it, a 200
 * with a JSON body (a string is sent as it is).
 */
export function fromApiGatewayResult(
  result: APIGatewayProxyResultV2 | undefined,
): HttpResponseParts {
  if (isStructured(result)) {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(result.headers ?? {})) {
      headers[name.toLowerCase()] = String(value);
    }
    if (result.cookies !== undefined && result.cookies.length > 0) {
      headers["set-cookie"] = result.cookies;
    }
    const body = Buffer.from(result.body ?? "", result.isBase64Encoded ? "base64" : "utf8");
    return { statusCode: result.statusCode ?? 200, headers, body };
  }
  const body = typeof result === "string" ? result : JSON.stringify(result ?? null);
  return {
    statusCode: 200,
    headers: { "content-type": "application/json" },
    body: Buffer.from(body, "utf8"),
  };
}

/** API Gateway's own answers, made without invoking the function. */
export const GATEWAY_ANSWERS = {
  notFound: { statusCode: 404, message: "Not Found" },
  tooLarge: { statusCode: 413, message: "Request Entity Too Large" },
  internalError: { statusCode: 500, message: "Internal Server Error" },
} as const;

export function gatewayAnswer(answer: { statusCode: number; message: string }): HttpResponseParts {
  return {
    statusCode: answer.statusCode,
    headers: { "content-type": "application/json" },
    body: Buffer.from(JSON.stringify({ message: answer.message })),
  };
}

function isStructured(
  result: APIGatewayProxyResultV2 | undefined,
): result is APIGatewayProxyStructuredResultV2 {
  return typeof result === "object" && result !== null && "statusCode" in result;
}

const TEXT_TYPES = [
  /^text\//,
  /^application\/(json|xml|javascript|x-www-form-urlencoded)\b/,
  /\+(json|xml)\b/,
];

function isTextual(contentType: string | undefined): boolean {
  if (contentType === undefined) return true;
  const type = contentType.toLowerCase();
  return TEXT_TYPES.some((pattern) => pattern.test(type));
}

function isUtf8(body: Buffer): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(body);
    return true;
  } catch {
    return false;
  }
}

function splitOnce(value: string, separator: string): [string, string] {
  const index = value.indexOf(separator);
  return index === -1 ? [value, ""] : [value.slice(0, index), value.slice(index + 1)];
}

function queryParameters(raw: string): Record<string, string> | undefined {
  if (raw === "") return undefined;
  const parameters: Record<string, string> = Object.create(null);
  for (const [name, value] of new URLSearchParams(raw)) {
    parameters[name] = Object.hasOwn(parameters, name) ? `${parameters[name]},${value}` : value;
  }
  return parameters;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "23/Nov/2026:09:30:00 +0000", the format of `requestContext.time`. */
function apiGatewayTime(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}
