import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { ListQueuesCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createDynamoDbClient,
  createSqsClient,
  LOCAL_AWS_CREDENTIALS,
} from "../../../../shared/runtime/aws/aws-clients.ts";

// Accepts every connection and reads every request, and never answers: a stand-in (or an AWS
// endpoint) that stalls. Without a timeout that throws, the SDK only warns and waits forever.
let server: Server;
let endpoint: string;

beforeAll(async () => {
  server = createServer(() => undefined);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
});

const stalled = () => ({
  endpoint,
  region: "us-east-1",
  credentials: LOCAL_AWS_CREDENTIALS,
  requestTimeoutMs: 300,
  maxAttempts: 1,
});

describe("AWS SDK clients against an endpoint that never answers", () => {
  it("DynamoDB gives up with a timeout error", async () => {
    const dynamodb = createDynamoDbClient(stalled());
    await expect(dynamodb.send(new ListTablesCommand({}))).rejects.toMatchObject({
      name: "TimeoutError",
    });
    dynamodb.destroy();
  });

  it("SQS gives up with a timeout error", async () => {
    const sqs = createSqsClient(stalled());
    await expect(sqs.send(new ListQueuesCommand({}))).rejects.toMatchObject({
      name: "TimeoutError",
    });
    sqs.destroy();
  });
});
