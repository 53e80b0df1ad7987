import { request as httpRequest } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  startWebhookHttpAdapter,
  type WebhookHttpServer,
} from "../../local/webhook-http-adapter.ts";
import { captureLogs } from "../support/captured-logs.ts";

let server: WebhookHttpServer;
let received: APIGatewayProxyEventV2[] = [];
let answer: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyResultV2> = async () => ({
  statusCode: 204,
});

beforeAll(async () => {
  server = await startWebhookHttpAdapter({
    handler: async (event) => {
      received.push(event);
      return answer(event);
    },
    routes: ["POST /events", "POST /bamboohr"],
    port: 0,
    host: "127.0.0.1",
    region: "us-east-1",
    logger: captureLogs().logger,
    timeoutMs: 150,
    maxBodyBytes: 1024,
  });
});

beforeEach(() => {
  received = [];
  answer = async () => ({ statusCode: 204 });
});

afterAll(async () => {
  await server.stop();
});

/** node:http, to send repeated headers and exact bytes. */
function post(
  path: string,
  body: Buffer,
  rawHeaders: string[],
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, server.url);
    // Raw headers are sent as given: Host and Content-Length are not added for us.
    const headers = [...rawHeaders, "Host", url.host, "Content-Length", String(body.length)];
    const req = httpRequest(url, { method: "POST", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks),
        }),
      );
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("the webhook HTTP adapter (API Gateway HTTP API, payload 2.0, played locally)", () => {
  it("turns a request into a payload-2.0 event: raw path and query, lower-cased joined headers, cookies, text body", async () => {
    const body = Buffer.from('{"hello":"wörld"}');
    await post("/events?b=1&b=2&c=3", body, [
      "Content-Type",
      "application/cloudevents+json",
      "X-Repeated",
      "one",
      "X-Repeated",
      "two",
      "Cookie",
      "a=1; b=2",
      "User-Agent",
      "hr-system/1.0",
    ]);
    expect(received).toHaveLength(1);
    const [event] = received;
    expect(event).toMatchObject({
      version: "2.0",
      routeKey: "POST /events",
      rawPath: "/events",
      rawQueryString: "b=1&b=2&c=3",
      queryStringParameters: { b: "1,2", c: "3" },
      cookies: ["a=1", "b=2"],
      isBase64Encoded: false,
      body: '{"hello":"wörld"}',
      requestContext: {
        routeKey: "POST /events",
        stage: "$default",
        http: {
          method: "POST",
          path: "/events",
          sourceIp: "127.0.0.1",
          userAgent: "hr-system/1.0",
        },
      },
    });
    expect(event?.headers["content-type"]).toBe("application/cloudevents+json");
    expect(event?.headers["x-repeated"]).toBe("one,two");
    expect(event?.headers.cookie).toBeUndefined();
    expect(Object.keys(event?.headers ?? {}).every((name) => name === name.toLowerCase())).toBe(
      true,
    );
  });

  it("passes a binary body base64-encoded, byte for byte", async () => {
    const body = Buffer.from([0xff, 0xfe, 0x00, 0x41]);
    await post("/bamboohr", body, ["Content-Type", "application/octet-stream"]);
    expect(received[0]?.isBase64Encoded).toBe(true);
    expect(Buffer.from(received[0]?.body ?? "", "base64")).toEqual(body);
  });

  it("writes a structured result back: status, headers, cookies, a base64 body decoded", async () => {
    answer = async () => ({
      statusCode: 202,
      headers: { "Content-Type": "application/json", "Retry-After": 5 },
      cookies: ["session=1"],
      body: Buffer.from('{"accepted":["e1"]}').toString("base64"),
      isBase64Encoded: true,
    });
    const response = await post("/events", Buffer.from("{}"), ["Content-Type", "application/json"]);
    expect(response.status).toBe(202);
    expect(response.headers["content-type"]).toBe("application/json");
    expect(response.headers["retry-after"]).toBe("5");
    expect(response.headers["set-cookie"]).toEqual(["session=1"]);
    expect(response.body.toString()).toBe('{"accepted":["e1"]}');
  });

  it("answers a plain string result as a 200 JSON body, as API Gateway infers it", async () => {
    answer = async () => '{"ok":true}';
    const response = await post("/events", Buffer.from("{}"), ["Content-Type", "application/json"]);
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("application/json");
    expect(response.body.toString()).toBe('{"ok":true}');
  });

  it("answers API Gateway's own errors: unknown route, too large, function error, function timeout", async () => {
    const notRouted = await fetch(`${server.url}/events`);
    expect(notRouted.status).toBe(404);
    expect(await notRouted.json()).toEqual({ message: "Not Found" });
    expect(received).toHaveLength(0);

    const tooLarge = await post("/events", Buffer.alloc(2048, 97), ["Content-Type", "text/plain"]);
    expect(tooLarge.status).toBe(413);
    expect(received).toHaveLength(0);

    answer = async () => {
      throw new Error("boom");
    };
    const failed = await post("/events", Buffer.from("{}"), ["Content-Type", "application/json"]);
    expect(failed.status).toBe(500);
    expect(JSON.parse(failed.body.toString())).toEqual({ message: "Internal Server Error" });

    answer = async () => {
      await sleep(400);
      return { statusCode: 202 };
    };
    const slow = await post("/events", Buffer.from("{}"), ["Content-Type", "application/json"]);
    expect(slow.status).toBe(500);
  });
});
