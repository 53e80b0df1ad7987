import { buildApp } from "fauxqs";

/**
 * The SQS stand-in (fauxqs), in process. fauxqs's own `startFauxqs` binds every interface, so
 * the app is built here and bound to loopback only. Its state is in memory: a restart of the
 * local stack starts with empty queues (the ledger can persist; see local/README).
 */
export interface SqsServer {
  /** Endpoint for the AWS SDK (`endpoint` option); queue URLs it returns need it. */
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

export async function startSqsServer(
  options: { port?: number; host?: string } = {},
): Promise<SqsServer> {
  const host = options.host ?? "127.0.0.1";
  const app = buildApp({ logger: false });
  await app.listen({ port: options.port ?? 0, host });
  const address = app.server.address();
  if (address === null || typeof address === "string") {
    throw new Error("the SQS stand-in did not report a TCP address");
  }
  return {
    endpoint: `http://${host}:${address.port}`,
    port: address.port,
    stop: async () => {
      await app.close();
    },
  };
}
