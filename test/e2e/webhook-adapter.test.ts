import { request as httpRequest } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { APIGatewayProxyEvent } from "aws-lambda";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  startWebhookHttpAdapter,
  type WebhookHttpServer,
} from "../../local/webhook-http-adapter.ts";
import { captureLogs } from "../support/captured-logs.ts";

let server: WebhookHttpServer;
let received: APIGatewayProxyEvent[] = [];
/** `unknown`: a test may answer what a function should not, to see API Gateway's 502. */
let answer: (event: APIGatewayProxyEvent) => Promise<unknown> = async () => ({
  statusCode: 204,
});

beforeAll(async () => {
  server = await startWebhookHttpAdapter({
    handler: async (event) => {
      received.push(event);
      // The adapter checks the shape at run time, as API Gateway does.
      return answer(event) as Promise<{ statusCode: number; body: string }>;
    },
    paths: ["/events", "/bamboohr"],
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

describe("the webhook HTTP adapter (API Gateway REST API, proxy payload 1.0, played locally)", () => {
  it("turns a request into a payload-1.0 event: path and query, headers last and all, body base64", async () => {
    const body = Buffer.from('{"hello":"wörld"}');
    await post("/events?b=1&b=2&c=3", body, [
      "Content-Type",
      "application/cloudevents+json",
      "X-Repeated",
      "one",
      "X-Repeated",
      "two",
      "User-Agent",
      "hr-system/1.0",
    ]);
    expect(received).toHaveLength(1);
    const [event] = received;
    expect(event).toMatchObject({
      resource: "/events",
      path: "/events",
      httpMethod: "POST",
      queryStringParameters: { b: "2", c: "3" },
      multiValueQueryStringParameters: { b: ["1", "2"], c: ["3"] },
      isBase64Encoded: true,
      requestContext: {
        resourcePath: "/events",
        httpMethod: "POST",
        stage: "webhooks",
        path: "/webhooks/events",
        identity: { sourceIp: "127.0.0.1", userAgent: "hr-system/1.0" },
      },
    });
    expect(Buffer.from(event?.body ?? "", "base64").toString("utf8")).toBe('{"hello":"wörld"}');
    expect(event?.headers["content-type"]).toBe("application/cloudevents+json");
    expect(event?.headers["x-repeated"]).toBe("two");
    expect(event?.multiValueHeaders["x-repeated"]).toEqual(["one", "two"]);
  });

  it("passes a binary body base64-encoded, byte for byte", async () => {
    const body = Buffer.from([0xff, 0xfe, 0x00, 0x41]);
    await post("/bamboohr", body, ["Content-Type", "application/octet-stream"]);
    expect(received[0]?.isBase64Encoded).toBe(true);
    expect(Buffer.from(received[0]?.body ?? "", "base64")).toEqual(body);
  });

  it("hands every method of a configured path to the function (it answers 405 itself)", async () => {
    const response = await fetch(`${server.url}/bamboohr`, { method: "PUT", body: "x" });
    expect(response.status).toBe(204);
    expect(received[0]?.httpMethod).toBe("PUT");
    expect((await fetch(`${server.url}/events`)).status).toBe(204);
    expect(received[1]).toMatchObject({ httpMethod: "GET", body: null, isBase64Encoded: false });
  });

  it("writes a proxy result back: status, headers and multi-value headers, a base64 body decoded", async () => {
    answer = async () => ({
      statusCode: 202,
      headers: { "Content-Type": "application/json", "Retry-After": 5 },
      multiValueHeaders: { "Set-Cookie": ["a=1", "b=2"] },
      body: Buffer.from('{"accepted":["e1"]}').toString("base64"),
      isBase64Encoded: true,
    });
    const response = await post("/events", Buffer.from("{}"), ["Content-Type", "application/json"]);
    expect(response.status).toBe(202);
    expect(response.headers["content-type"]).toBe("application/json");
    expect(response.headers["retry-after"]).toBe("5");
    expect(response.headers["set-cookie"]).toEqual(["a=1", "b=2"]);
    expect(response.body.toString()).toBe('{"accepted":["e1"]}');
  });

  it("answers API Gateway's own errors: unknown path, too large, function error, timeout, malformed result", async () => {
    const notRouted = await fetch(`${server.url}/elsewhere`, { method: "POST" });
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
    expect(failed.status).toBe(502);
    expect(JSON.parse(failed.body.toString())).toEqual({ message: "Internal server error" });

    answer = async () => {
      await sleep(400);
      return { statusCode: 202 };
    };
    const slow = await post("/events", Buffer.from("{}"), ["Content-Type", "application/json"]);
    expect(slow.status).toBe(502);

    answer = async () => '{"ok":true}';
    const malformed = await post("/events", Buffer.from("{}"), [
      "Content-Type",
      "application/json",
    ]);
    expect(malformed.status).toBe(502);
  });
});
