/**
 * The HTTP server both simulators run on (node:http, bound to 127.0.0.1 by default), and the
 * path every platform call takes through it: call log → outage → rate limit → fault rule or random
 * fault → latency → reset/bump/status → the operation → the answer, or a dropped socket.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { CallLog } from "./call-log.ts";
import {
  type ControlTarget,
  handleControl,
  isControlPath,
  type SimulatorUsers,
} from "./control-routes.ts";
import { type FaultAction, FaultInjector } from "./fault-injector.ts";
import {
  guessContentType,
  type SimulatorRequest,
  type SimulatorResponse,
} from "./http-exchange.ts";
import { matchRoute, type Route } from "./route-table.ts";

const MAX_BODY_BYTES = 1024 * 1024;

/** What one platform brings to the common server. */
export interface PlatformDefinition {
  routes: readonly Route[];
  /** The platform's documented error answer for a status (faults, unknown paths, crashes). */
  errorResponse(status: number, message: string, operation: string): SimulatorResponse;
  /** A concurrent writer touches the call's target just before it runs (bumpVersion faults). */
  bumpVersion?(request: SimulatorRequest): void;
  users: SimulatorUsers;
  /** Control routes of this platform only, paths relative to /__simulator. */
  controlRoutes?: readonly Route[];
}

export interface ListenOptions {
  /** 0 (default) = an ephemeral port. */
  port?: number;
  /** Default "127.0.0.1". */
  host?: string;
}

export class SimulatorServer {
  readonly faults = new FaultInjector();
  readonly calls = new CallLog();
  readonly url: string;
  readonly #server: Server;
  readonly #definition: PlatformDefinition;
  /** Aborted by stop(): cancels the latency of calls still being answered. */
  readonly #stopping = new AbortController();

  private constructor(server: Server, definition: PlatformDefinition, url: string) {
    this.#server = server;
    this.#definition = definition;
    this.url = url;
  }

  static async start(
    definition: PlatformDefinition,
    options: ListenOptions = {},
  ): Promise<SimulatorServer> {
    const host = options.host ?? "127.0.0.1";
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
    const simulator = new SimulatorServer(server, definition, url);
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      void simulator.#handle(req, res);
    });
    return simulator;
  }

  /** Closes the server, drops every open connection and cancels pending latency. */
  async stop(): Promise<void> {
    this.#stopping.abort();
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // A client that went away must not crash the simulator.
    req.on("error", () => {});
    res.on("error", () => {});
    const url = URL.parse(req.url ?? "/", "http://simulator.invalid");
    if (url === null) {
      send(res, {
        status: 400,
        headers: { "content-type": "text/plain" },
        body: "bad request target",
      });
      return;
    }
    const method = req.method ?? "GET";
    if (isControlPath(url.pathname)) {
      await this.#handleControl(req, res, method, url);
      return;
    }
    const match = matchRoute(this.#definition.routes, method, url.pathname);
    const operation = match.kind === "match" ? match.route.operation : "unknown";
    const call = this.calls.begin(operation, method, url.pathname);
    try {
      const body = await readBody(req);
      const request: SimulatorRequest = {
        method,
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        params: match.kind === "match" ? match.params : {},
        body,
      };
      if (match.kind !== "match") {
        const answer =
          match.kind === "none"
            ? this.#definition.errorResponse(404, `no route ${method} ${url.pathname}`, operation)
            : withHeader(
                this.#definition.errorResponse(405, `method ${method} not allowed`, operation),
                "allow",
                match.allowed.join(", "),
              );
        send(res, answer);
        call.end(answer.status);
        return;
      }
      const outcome = await this.#platformCall(match.route, request);
      if (outcome === "reset") {
        req.socket.destroy();
        call.end("reset");
        return;
      }
      send(res, outcome);
      call.end(outcome.status);
    } catch {
      // Stopped mid-call, or the request could not be read: nothing sensible to answer.
      req.socket.destroy();
      call.end("reset");
    }
  }

  async #platformCall(
    route: Route,
    request: SimulatorRequest,
  ): Promise<SimulatorResponse | "reset"> {
    const { operation } = route;
    const outage = this.faults.outage;
    if (outage?.mode === "refuse") return "reset";
    if (outage?.mode === "503") {
      return this.#definition.errorResponse(503, "platform down (simulated outage)", operation);
    }
    if (outage?.mode === "throttle") {
      return withHeader(
        this.#definition.errorResponse(429, "throttled (simulated outage)", operation),
        "retry-after",
        "1",
      );
    }
    const limitedRetryAfter = this.faults.overRateLimit();
    if (limitedRetryAfter !== undefined) {
      return withHeader(
        this.#definition.errorResponse(429, "rate limit exceeded", operation),
        "retry-after",
        limitedRetryAfter,
      );
    }
    const action = this.faults.next(operation, route.write ?? false);
    const delay = this.faults.latencyMs + (action?.latencyMs ?? 0);
    if (delay > 0) await sleep(delay, undefined, { signal: this.#stopping.signal });
    if (action?.reset === "before") return "reset";
    if (action?.bumpVersion) this.#definition.bumpVersion?.(request);
    const answer =
      action?.status !== undefined && action.reset === undefined
        ? this.#faultAnswer(action, action.status, operation)
        : this.#perform(route, request);
    if (action?.reset === "after-apply") return "reset";
    if (action?.retryAfter !== undefined)
      return withHeader(answer, "retry-after", action.retryAfter);
    return answer;
  }

  #faultAnswer(action: FaultAction, status: number, operation: string): SimulatorResponse {
    if (action.body === undefined) {
      const answer = this.#definition.errorResponse(
        status,
        `injected fault (${status})`,
        operation,
      );
      return action.contentType === undefined
        ? answer
        : withHeader(answer, "content-type", action.contentType);
    }
    return {
      status,
      headers: { "content-type": action.contentType ?? guessContentType(action.body) },
      body: action.body,
    };
  }

  #perform(route: Route, request: SimulatorRequest): SimulatorResponse {
    try {
      return route.handle(request);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return this.#definition.errorResponse(500, `simulator error: ${message}`, route.operation);
    }
  }

  async #handleControl(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    url: URL,
  ): Promise<void> {
    const target: ControlTarget = {
      faults: this.faults,
      calls: this.calls,
      users: this.#definition.users,
      extraRoutes: this.#definition.controlRoutes ?? [],
    };
    try {
      const body = await readBody(req);
      send(
        res,
        handleControl(
          {
            method,
            path: url.pathname,
            query: url.searchParams,
            headers: req.headers,
            params: {},
            body,
          },
          target,
        ),
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      send(res, {
        status: 500,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ error: message }),
      });
    }
  }
}

function withHeader(answer: SimulatorResponse, name: string, value: string): SimulatorResponse {
  return { ...answer, headers: { ...answer.headers, [name]: value } };
}

export function send(res: ServerResponse, answer: SimulatorResponse): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new RangeError("request body too large"));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
    req.on("close", () => {
      if (!req.complete) reject(new Error("the client went away"));
    });
  });
}
