import { LOCAL_ENDPOINTS, LOCAL_HOST, type LocalEndpointName } from "./local-ports.ts";

/**
 * A local endpoint could not listen on its port: taken by another process (often an earlier
 * `npm start`, or LocalStack on 4566), or not allowed. The message is one sentence naming the
 * setting to change.
 */
export class PortUnavailableError extends Error {
  override readonly name = "PortUnavailableError";
  readonly endpoint: LocalEndpointName;
  readonly port: number;
  readonly code: "EADDRINUSE" | "EACCES";

  constructor(endpoint: LocalEndpointName, port: number, code: "EADDRINUSE" | "EACCES") {
    const setting = LOCAL_ENDPOINTS[endpoint];
    const what =
      code === "EADDRINUSE"
        ? `Port ${port} on ${LOCAL_HOST} is already in use, so ${setting.label} cannot start`
        : `This user may not listen on port ${port}, so ${setting.label} cannot start`;
    super(
      `${what}: stop whatever holds it, or choose another port with ${setting.flag} or ${setting.env} (0 picks a free one).`,
    );
    this.endpoint = endpoint;
    this.port = port;
    this.code = code;
  }
}

/** Runs a server start and turns a port refusal into a PortUnavailableError naming its setting. */
export async function listenOn<T>(
  endpoint: LocalEndpointName,
  port: number,
  start: () => Promise<T>,
): Promise<T> {
  try {
    return await start();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code === "EADDRINUSE" || code === "EACCES") {
      throw new PortUnavailableError(endpoint, port, code);
    }
    throw error;
  }
}
