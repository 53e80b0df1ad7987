import { type PlatformName, RejectedError } from "../errors/platform-errors.ts";
import type { FetchFunction } from "./exchange.ts";
import { requestsExactly } from "./request-path.ts";

/**
 * Checked on the URL about to be sent, after every resolution: nothing but the route meant is
 * requested (`pathname` undefined: the path could not be built, so nothing is).
 */
export function checkPath(
  send: FetchFunction,
  pathname: string | undefined,
  platform: PlatformName,
  operation: string,
): FetchFunction {
  return async (input, init) => {
    if (pathname === undefined || !requestsExactly(input, pathname)) {
      throw new RejectedError(
        `${platform} ${operation}: refused to send a request whose path is not the route meant (an id is empty, "." or "..", or not well-formed)`,
        { platform, operation, code: "unsafe_path" },
      );
    }
    return send(input, init);
  };
}
