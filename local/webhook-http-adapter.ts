import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import { describeError, type Logger } from "../shared/runtime/logging/logger.ts";
import {
  fromApiGatewayResult,
  GATEWAY_ANSWERS,
  gatewayAnswer,
  type HttpResponseParts,
  toApiGatewayEvent,
} from "./lambda/api-gateway-event.ts";
import { createLambdaContext } from "./lambda/lambda-context.ts";

/**
 * Serves a Lambda handler written for an API Gateway REST API's proxy integration over
 * node:http, the way the deployed API does: every method on a configured path reaches the
 * function (another path gets the API's 404), the request becomes a payload-1.0 event, the
 * proxy result becomes the response, and a function that throws, overruns its timeout or
 * answers something else gives API Gateway's 502.
 */
export type RestApiHandler = (
  event: APIGatewayProxyEvent,
  context: Context,
) => Promise<APIGatewayProxyResult>;

export interface WebhookHttpAdapterOptions {
  handler: RestApiHandler;
  /** The API's resources, such as "/events"; each takes any method. */
  paths: readonly string[];
  /**
   * A greedy resource (`{basePath}/{proxy+}`) served by a function of its own: every method
   * of every path under `basePath` (the SCIM endpoint's `/scim/v2/…`).
   */
  proxies?: readonly ProxyResource[];
  port: number;
  host: string;
  region: string;
  logger: Logger;
  functionName?: string;
  /** The function timeout (the deployed webhook has 25 s, infra/constructs/webhook-api.ts). */
  timeoutMs?: number;
  /** Lambda's limit on a synchronous request payload. */
  maxBodyBytes?: number;
}

export interface ProxyResource {
  basePath: string;
  handler: RestApiHandler;
  functionName: string;
  timeoutMs: number;
}

export const WEBHOOK_ADAPTER_DEFAULTS = {
  functionName: "lifecycle-webhook",
  timeoutMs: 25_000,
  maxBodyBytes: 6 * 1024 * 1024,
} as const;

export interface WebhookHttpServer {
  /** The API's base URL, e.g. http://127.0.0.1:4570 (routes are under it). */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

export async function startWebhookHttpAdapter(
  options: WebhookHttpAdapterOptions,
): Promise<WebhookHttpServer> {
  const settings: Settings = {
    ...options,
    functionName: options.functionName ?? WEBHOOK_ADAPTER_DEFAULTS.functionName,
    timeoutMs: options.timeoutMs ?? WEBHOOK_ADAPTER_DEFAULTS.timeoutMs,
    maxBodyBytes: options.maxBodyBytes ?? WEBHOOK_ADAPTER_DEFAULTS.maxBodyBytes,
  };
  const paths = new Set(options.paths);
  const server: Server = createServer((request, response) => {
    serve(request, response, settings, paths).catch((error: unknown) => {
      options.logger.error("The webhook adapter could not answer a request", {
        error: describeError(error),
      });
      if (!response.headersSent) write(response, gatewayAnswer(GATEWAY_ANSWERS.badGateway));
      else response.destroy();
    });
  });
  server.listen(options.port, options.host);
  await once(server, "listening");
  const address = server.address();
  if (address === null || typeof address === "string") {
    server.close();
    throw new Error("the webhook adapter did not report a TCP address");
  }
  return {
    url: `http://${options.host}:${address.port}`,
    port: address.port,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

type Settings = WebhookHttpAdapterOptions &
  Required<Pick<WebhookHttpAdapterOptions, "functionName" | "timeoutMs" | "maxBodyBytes">>;

async function serve(
  request: IncomingMessage,
  response: ServerResponse,
  settings: Settings,
  paths: ReadonlySet<string>,
): Promise<void> {
  const path = (request.url ?? "/").split("?")[0] ?? "/";
  const proxy = settings.proxies?.find(
    (candidate) =>
      path.startsWith(`${candidate.basePath}/`) && path.length > candidate.basePath.length + 1,
  );
  if (!paths.has(path) && proxy === undefined) {
    request.resume();
    write(response, gatewayAnswer(GATEWAY_ANSWERS.notFound));
    return;
  }
  const body = await readBody(request, settings.maxBodyBytes);
  if (body === undefined) {
    write(response, gatewayAnswer(GATEWAY_ANSWERS.tooLarge));
    return;
  }
  const target = proxy ?? settings;
  const event = toApiGatewayEvent(
    {
      method: request.method ?? "GET",
      url: request.url ?? "/",
      headers: request.headersDistinct,
      body,
      sourceIp: request.socket.remoteAddress ?? settings.host,
      host: request.headers.host ?? `${settings.host}`,
      httpVersion: request.httpVersion,
    },
    proxy === undefined ? path : `${proxy.basePath}/{proxy+}`,
    proxy === undefined ? undefined : { proxy: path.slice(proxy.basePath.length + 1) },
  );
  const context = createLambdaContext({
    functionName: target.functionName,
    timeoutMs: target.timeoutMs,
    region: settings.region,
  });
  write(response, await invoke({ ...settings, ...target }, event, context));
}

async function invoke(
  settings: Settings,
  event: APIGatewayProxyEvent,
  context: Context,
): Promise<HttpResponseParts> {
  const timer = new AbortController();
  try {
    const result = await Promise.race([
      settings.handler(event, context),
      sleep(settings.timeoutMs, TIMED_OUT, { signal: timer.signal }),
    ]);
    if (result === TIMED_OUT) {
      settings.logger.error("The function behind the webhook API timed out", {
        functionName: settings.functionName,
        requestId: context.awsRequestId,
        timeoutMs: settings.timeoutMs,
      });
      return gatewayAnswer(GATEWAY_ANSWERS.badGateway);
    }
    return fromApiGatewayResult(result);
  } catch (error) {
    settings.logger.error("The function behind the webhook API failed", {
      functionName: settings.functionName,
      requestId: context.awsRequestId,
      error: describeError(error),
    });
    return gatewayAnswer(GATEWAY_ANSWERS.badGateway);
  } finally {
    timer.abort();
  }
}

/** The whole body, or undefined when it passes the limit (the rest is read and dropped). */
function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    request.on("end", () => resolve(size > maxBytes ? undefined : Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

function write(response: ServerResponse, parts: HttpResponseParts): void {
  response.writeHead(parts.statusCode, {
    ...parts.headers,
    "content-length": String(parts.body.length),
  });
  response.end(parts.body);
}

const TIMED_OUT = Symbol("timed out");
