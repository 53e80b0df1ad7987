import { buildApp } from "fauxqs";

/**
 * The SQS stand-in (fauxqs), in process. fauxqs's own `startFauxqs` binds every interface, so
 * the app is built here and bound to loopback only. Its state is in memory: a restart of the
 * local stack starts with empty queues (the ledger can persist; see docs/local.md).
 */
export interface SqsServer {
  /** Endpoint for the AWS SDK (`endpoint` option); queue URLs it returns need it. */
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

const JSON_PROTOCOL = "application/x-amz-json-1.0";

export async function startSqsServer(
  options: { port?: number; host?: string } = {},
): Promise<SqsServer> {
  const host = options.host ?? "127.0.0.1";
  const app = buildApp({ logger: false });
  // A long poll whose caller has gone (the poller aborts its long polls on shutdown) still
  // waits in fauxqs, and takes the next message that becomes available: that message would
  // then stay invisible for a whole visibility timeout, received by nobody. Real SQS can do
  // the same; locally, where the consumer stops and restarts often, such a message is handed
  // back at once instead.
  app.addHook("onSend", async (request, _reply, payload) => {
    if (
      request.headers["x-amz-target"] === "AmazonSQS.ReceiveMessage" &&
      request.raw.socket?.destroyed === true &&
      typeof payload === "string"
    ) {
      const queueUrl = (request.body as { QueueUrl?: string } | undefined)?.QueueUrl;
      await releaseUndelivered(queueUrl, payload, (body) =>
        app.inject({
          method: "POST",
          url: "/",
          headers: {
            "content-type": JSON_PROTOCOL,
            "x-amz-target": "AmazonSQS.ChangeMessageVisibilityBatch",
          },
          payload: body,
        }),
      );
    }
    return payload;
  });
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

async function releaseUndelivered(
  queueUrl: string | undefined,
  payload: string,
  send: (body: string) => Promise<unknown>,
): Promise<void> {
  let handles: string[];
  try {
    const parsed = JSON.parse(payload) as { Messages?: { ReceiptHandle?: string }[] };
    handles = (parsed.Messages ?? []).flatMap((m) => (m.ReceiptHandle ? [m.ReceiptHandle] : []));
  } catch {
    return;
  }
  if (queueUrl === undefined || handles.length === 0) return;
  await send(
    JSON.stringify({
      QueueUrl: queueUrl,
      Entries: handles.map((handle, index) => ({
        Id: String(index),
        ReceiptHandle: handle,
        VisibilityTimeout: 0,
      })),
    }),
  );
}
