import { once } from "node:events";
import type { Server } from "node:http";
import dynalite from "dynalite";

/**
 * The DynamoDB stand-in (dynalite), in process, on loopback. In memory unless `path` names a
 * directory, where it keeps its LevelDB files between runs.
 */
export interface DynamoDbServer {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
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
  server.listen(options.port ?? 0, host);
  await once(server, "listening");
  const address = server.address();
  if (address === null || typeof address === "string") {
    throw new Error("the DynamoDB stand-in did not report a TCP address");
  }
  return {
    endpoint: `http://${host}:${address.port}`,
    port: address.port,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
