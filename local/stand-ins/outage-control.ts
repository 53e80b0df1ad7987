import type { IncomingMessage, ServerResponse } from "node:http";
import { CONTROL_PREFIX, outageRoutes } from "../simulators/common/control-routes.ts";
import type { FaultInjector } from "../simulators/common/fault-injector.ts";
import { jsonResponse } from "../simulators/common/http-exchange.ts";
import { matchRoute } from "../simulators/common/route-table.ts";
import { readBody, send } from "../simulators/common/simulator-server.ts";

/**
 * The simulators' outage control on an AWS stand-in (`PUT /__simulator/outage` with
 * `{"mode", "seconds"}`, `DELETE` to end it, `GET` to read it): what each mode means is the
 * stand-in's own answer to its requests.
 */
export async function answerOutageControl(
  req: IncomingMessage,
  res: ServerResponse,
  faults: FaultInjector,
  path: string,
): Promise<void> {
  const method = req.method ?? "GET";
  const match = matchRoute(outageRoutes(faults), method, path.slice(CONTROL_PREFIX.length));
  try {
    const body = await readBody(req);
    if (match.kind !== "match") {
      send(res, jsonResponse(404, { error: `no control route ${method} ${path}` }));
      return;
    }
    send(
      res,
      match.route.handle({
        method,
        path,
        query: new URLSearchParams(),
        headers: req.headers,
        params: {},
        body,
      }),
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const status = error instanceof TypeError || error instanceof RangeError ? 400 : 500;
    send(res, jsonResponse(status, { error: message }));
  }
}
