import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { appendFile, mkdir } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { dirname } from "node:path";
import { isControlPath } from "../simulators/common/control-routes.ts";
import { FaultInjector } from "../simulators/common/fault-injector.ts";
import type { SimulatorResponse } from "../simulators/common/http-exchange.ts";
import { readBody, send } from "../simulators/common/simulator-server.ts";
import { answerOutageControl } from "./outage-control.ts";

/**
 * EventBridge's `PutEvents`, on loopback: the JSON 1.1 protocol the AWS SDK speaks
 * (`X-Amz-Target: AWSEvents.PutEvents`), answered with `FailedEntryCount` and one `Entries`
 * item per entry. Each event taken is kept as a rule target would receive it (`version`, `id`,
 * `detail-type`, `source`, `time`, `detail`, …) and appended as one line to `file`, as the
 * deployed stack's outcome rule writes it to its log group. What a test or an operator can do
 * to it: `pause()` (nothing listens: a bus that cannot be reached) and `resume()` on the same
 * port; the outage control `PUT /__simulator/outage` with mode `503` (HTTP 500
 * `InternalException`), `refuse` (connection closed) or `throttle` (HTTP 200, every entry
 * failed with `ThrottlingException`, the answer a publisher must not take for success).
 */
export interface EventBridgeServer {
  readonly endpoint: string;
  readonly port: number;
  readonly faults: FaultInjector;
  /** Every event taken, oldest first. */
  readonly events: readonly BusEvent[];
  pause(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
}

/** An event as EventBridge hands it to a rule's target. */
export interface BusEvent {
  version: "0";
  id: string;
  "detail-type": string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
  "event-bus-name": string;
}

interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  Time?: number | string;
  Resources?: string[];
}

const JSON_11 = { "content-type": "application/x-amz-json-1.1" };
const LOCAL_ACCOUNT = "000000000000";
/** PutEvents' own limit. */
const MAX_ENTRIES = 10;

export async function startEventBridgeServer(
  options: { port?: number; host?: string; region?: string; file?: string | undefined } = {},
): Promise<EventBridgeServer> {
  const host = options.host ?? "127.0.0.1";
  const region = options.region ?? "us-east-1";
  const faults = new FaultInjector();
  const events: BusEvent[] = [];
  let written: Promise<void> = options.file
    ? mkdir(dirname(options.file), { recursive: true }).then(() => undefined)
    : Promise.resolve();
  const take = (event: BusEvent) => {
    events.push(event);
    const file = options.file;
    if (file) written = written.then(() => appendFile(file, `${JSON.stringify(event)}\n`));
  };
  const server: Server = createServer((req, res) => {
    req.on("error", () => {});
    res.on("error", () => {});
    void answer(req, res, { faults, take, region });
  });
  let port = options.port ?? 0;
  const listen = async () => {
    server.listen(port, host);
    await once(server, "listening");
    const address = server.address();
    if (address === null || typeof address === "string") {
      throw new Error("the EventBridge stand-in did not report a TCP address");
    }
    port = address.port;
  };
  const close = () =>
    new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
  await listen();
  let paused = false;
  return {
    endpoint: `http://${host}:${port}`,
    port,
    faults,
    events,
    pause: async () => {
      if (paused) return;
      paused = true;
      await close();
    },
    resume: async () => {
      if (!paused) return;
      await listen();
      paused = false;
    },
    stop: async () => {
      if (!paused) await close();
      paused = true;
      await written;
    },
  };
}

async function answer(
  req: IncomingMessage,
  res: ServerResponse,
  bus: { faults: FaultInjector; take: (event: BusEvent) => void; region: string },
): Promise<void> {
  const path = URL.parse(req.url ?? "/", "http://events.invalid")?.pathname ?? "/";
  if (isControlPath(path)) return answerOutageControl(req, res, bus.faults, path);
  const body = await readBody(req).catch(() => undefined);
  if (body === undefined) return;
  if (req.headers["x-amz-target"] !== "AWSEvents.PutEvents") {
    return send(res, awsError(400, "UnknownOperationException", "only PutEvents is stood in"));
  }
  const outage = bus.faults.outage?.mode;
  if (outage === "refuse") {
    req.socket.destroy();
    return;
  }
  if (outage === "503") return send(res, awsError(500, "InternalException", "simulated outage"));
  let entries: PutEventsEntry[];
  try {
    entries = (JSON.parse(body) as { Entries?: PutEventsEntry[] }).Entries ?? [];
  } catch {
    return send(res, awsError(400, "SerializationException", "the body is not JSON"));
  }
  if (entries.length === 0 || entries.length > MAX_ENTRIES) {
    return send(res, awsError(400, "ValidationException", "Entries: 1 to 10 entries"));
  }
  const results = entries.map((entry) => {
    if (outage === "throttle") {
      return { ErrorCode: "ThrottlingException", ErrorMessage: "Rate exceeded (simulated)" };
    }
    const problem = problemOf(entry);
    if (problem !== undefined) return { ErrorCode: "MalformedDetail", ErrorMessage: problem };
    const id = randomUUID();
    bus.take({
      version: "0",
      id,
      "detail-type": entry.DetailType ?? "",
      source: entry.Source ?? "",
      account: LOCAL_ACCOUNT,
      time: timeOf(entry.Time),
      region: bus.region,
      resources: entry.Resources ?? [],
      detail: JSON.parse(entry.Detail ?? "{}"),
      "event-bus-name": entry.EventBusName ?? "default",
    });
    return { EventId: id };
  });
  const failed = results.filter((result) => "ErrorCode" in result).length;
  send(res, {
    status: 200,
    headers: JSON_11,
    body: JSON.stringify({ FailedEntryCount: failed, Entries: results }),
  });
}

/** What EventBridge refuses of an entry in a 200 answer. */
function problemOf(entry: PutEventsEntry): string | undefined {
  if (!entry.Source || !entry.DetailType) return "Source and DetailType are required";
  if (entry.Source.startsWith("aws.")) return "Source must not start with aws.";
  try {
    const detail: unknown = JSON.parse(entry.Detail ?? "");
    if (typeof detail !== "object" || detail === null || Array.isArray(detail)) {
      return "Detail must be a JSON object";
    }
  } catch {
    return "Detail is not valid JSON";
  }
  return undefined;
}

/** The SDK sends `Time` as epoch seconds. */
function timeOf(time: number | string | undefined): string {
  const at = typeof time === "number" ? new Date(time * 1000) : new Date(time ?? Date.now());
  return Number.isNaN(at.getTime()) ? new Date().toISOString() : at.toISOString();
}

function awsError(status: number, type: string, message: string): SimulatorResponse {
  return { status, headers: JSON_11, body: JSON.stringify({ __type: type, message }) };
}
