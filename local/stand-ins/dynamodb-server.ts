import { once } from "node:events";
import type { IncomingMessage, RequestListener, Server, ServerResponse } from "node:http";
import dynalite from "dynalite";
import { isControlPath } from "../simulators/common/control-routes.ts";
import { FaultInjector, type OutageMode } from "../simulators/common/fault-injector.ts";
import type { SimulatorResponse } from "../simulators/common/http-exchange.ts";
import { send } from "../simulators/common/simulator-server.ts";
import { answerOutageControl } from "./outage-control.ts";

/**
 * The DynamoDB stand-in (dynalite), in process, on loopback. In memory unless `path` names a
 * directory, where it keeps its LevelDB files between runs. It takes the simulators' outage
 * control, so anyone can see what the product does while its ledger is down:
 * `PUT /__simulator/outage` with `{"mode": "503" | "refuse" | "throttle", "seconds"}`, `DELETE`
 * to end it, `GET` to read it. While it lasts, every DynamoDB request is answered as DynamoDB
 * would: HTTP 503, a connection closed without an answer, or HTTP 400 `ThrottlingException`.
 */
export interface DynamoDbServer {
  readonly endpoint: string;
  readonly port: number;
  /** Its outage (`startOutage`, `endOutage`, `outage`) and fault rules per operation (`add`). */
  readonly faults: FaultInjector;
  stop(): Promise<void>;
}

const THROTTLED = dynamoDbError(
  400,
  "ThrottlingException",
  "Rate of requests exceeds the allowed throughput. (simulated outage)",
);
const UNAVAILABLE = dynamoDbError(
  503,
  "ServiceUnavailableException",
  "Service unavailable (simulated outage)",
);

/** DynamoDB's JSON error answer (`__type` is what the AWS SDK reads the error's name from). */
function dynamoDbError(status: number, type: string, message: string): SimulatorResponse {
  return {
    status,
    headers: { "content-type": "application/x-amz-json-1.0" },
    body: JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message }),
  };
}

export async function startDynamoDbServer(
  options: { port?: number; host?: string; path?: string } = {},
): Promise<DynamoDbServer> {
  const host = options.host ?? "127.0.0.1";
  const server: Server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.path ? { path: options.path } : {}),
  });
  // dynalite's server keeps its own close (which closes the store); only its request listener
  // is put behind the outage control.
  const faults = new FaultInjector();
  const [dynaliteListener] = server.listeners("request") as RequestListener[];
  if (dynaliteListener === undefined) throw new Error("dynalite's server has no request listener");
  server.removeAllListeners("request");
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    req.on("error", () => {});
    res.on("error", () => {});
    const path = URL.parse(req.url ?? "/", "http://dynamodb.invalid")?.pathname ?? "/";
    if (isControlPath(path)) {
      void answerOutageControl(req, res, faults, path);
      return;
    }
    const { fault, delayMs } = faultOf(faults, req);
    const answer = () => {
      if (fault === "refuse") req.socket.destroy();
      else if (fault === "throttle") send(res, THROTTLED);
      else if (fault === "503") send(res, UNAVAILABLE);
      else dynaliteListener(req, res);
    };
    if (delayMs > 0) setTimeout(answer, delayMs).unref();
    else answer();
  });
  server.listen(options.port ?? 0, host);
  await once(server, "listening");
  const address = server.address();
  if (address === null || typeof address === "string") {
    throw new Error("the DynamoDB stand-in did not report a TCP address");
  }
  return {
    endpoint: `http://${host}:${address.port}`,
    port: address.port,
    faults,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/**
 * The outage in force, else the first fault rule for this DynamoDB operation (`PutItem`, …,
 * from the `X-Amz-Target` header; tests add them with `faults.add`): a rule's `reset` refuses,
 * its status 400 throttles, any other status answers 503. The delay is the baseline latency
 * (`faults.setLatency`) plus the rule's `latencyMs`.
 */
function faultOf(
  faults: FaultInjector,
  req: IncomingMessage,
): { fault: OutageMode | undefined; delayMs: number } {
  const outage = faults.outage;
  if (outage !== undefined) return { fault: outage.mode, delayMs: 0 };
  const operation =
    String(req.headers["x-amz-target"] ?? "")
      .split(".")
      .pop() ?? "";
  const action = faults.next(operation, false);
  const delayMs = faults.latencyMs + (action?.latencyMs ?? 0);
  if (action?.reset !== undefined) return { fault: "refuse", delayMs };
  if (action?.status === undefined) return { fault: undefined, delayMs };
  return { fault: action.status === 400 ? "throttle" : "503", delayMs };
}
