import {
  createServer,
  request as forward,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";

/** What the proxy does with one DynamoDB request: pass it on, hold it unanswered, or fail it. */
export type LedgerProxyTreatment = "pass" | "hold" | "fail";

export interface LedgerRequest {
  /** The operation, from `X-Amz-Target` (`PutItem`, `UpdateItem`, …). */
  operation: string;
  body: string;
}

export interface LedgerProxy {
  endpoint: string;
  /** Every request seen, in arrival order. */
  readonly requests: LedgerRequest[];
  /** Requests held unanswered so far. */
  held(): LedgerRequest[];
  /** Answers every held request by passing it on, then passes all later ones. */
  release(): void;
  stop(): Promise<void>;
}

/**
 * A loopback DynamoDB endpoint in front of the real stand-in (dynalite) that sees every ledger
 * request and can hold or fail those a test picks: a slow or failing ledger for one kind of
 * write, the rest of the ledger working.
 */
export async function startLedgerProxy(
  target: string,
  treat: (request: LedgerRequest) => LedgerProxyTreatment,
): Promise<LedgerProxy> {
  const requests: LedgerRequest[] = [];
  const holding: { request: LedgerRequest; pass(): void }[] = [];
  let released = false;
  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const body = Buffer.concat(chunks);
      const target = String(incoming.headers["x-amz-target"] ?? "");
      const seen = { operation: target.split(".").pop() ?? "", body: body.toString() };
      requests.push(seen);
      const pass = () => passOn(incoming, body, response);
      const treatment = released ? "pass" : treat(seen);
      if (treatment === "pass") pass();
      else if (treatment === "hold") holding.push({ request: seen, pass });
      else {
        response.writeHead(500, { "content-type": "application/x-amz-json-1.0" });
        response.end(JSON.stringify({ __type: "InternalServerError", message: "held by test" }));
      }
    });
  });
  const upstream = new URL(target);
  function passOn(incoming: IncomingMessage, body: Buffer, response: ServerResponse) {
    const outgoing = forward(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, host: upstream.host },
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 500, answer.headers);
        answer.pipe(response);
      },
    );
    outgoing.on("error", () => response.destroy());
    outgoing.end(body);
  }
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    held: () => holding.map((entry) => entry.request),
    release() {
      released = true;
      for (const entry of holding.splice(0)) entry.pass();
    },
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
