import { CreateQueueCommand, GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SqsServer, startSqsServer } from "../../../../local/stand-ins/sqs-server.ts";
import {
  createSqsClientAtFirstUse,
  LOCAL_AWS_CREDENTIALS,
} from "../../../../shared/runtime/aws/aws-clients.ts";

let server: SqsServer;

beforeAll(async () => {
  server = await startSqsServer({ port: 0 });
});

afterAll(async () => {
  await server.stop();
});

/** Client options that count how often a client is made from them (each reads `region` once). */
function countingOptions(endpoint: string) {
  const counted = { made: 0 };
  const options = {
    endpoint,
    credentials: LOCAL_AWS_CREDENTIALS,
    get region() {
      counted.made += 1;
      return "us-east-1";
    },
  };
  return { counted, options };
}

describe("createSqsClientAtFirstUse", () => {
  it("makes no client until the first request, then one, which answers every request", async () => {
    const { counted, options } = countingOptions(server.endpoint);
    const sqs = createSqsClientAtFirstUse(options);
    expect(counted.made).toBe(0);

    await sqs.send(new CreateQueueCommand({ QueueName: "first-use" }));
    const found = await sqs.send(new GetQueueUrlCommand({ QueueName: "first-use" }), {
      abortSignal: AbortSignal.timeout(5_000),
    });

    expect(found.QueueUrl).toMatch(/first-use$/);
    expect(counted.made).toBe(1);
    sqs.destroy();
  });

  it("passes the caller's abort signal on", async () => {
    const sqs = createSqsClientAtFirstUse(countingOptions(server.endpoint).options);
    const aborted = AbortSignal.abort();

    await expect(
      sqs.send(new GetQueueUrlCommand({ QueueName: "first-use" }), { abortSignal: aborted }),
    ).rejects.toThrow(/abort/i);
    sqs.destroy();
  });

  it("closes without ever having made a client", () => {
    const { counted, options } = countingOptions(server.endpoint);
    createSqsClientAtFirstUse(options).destroy();
    expect(counted.made).toBe(0);
  });
});
