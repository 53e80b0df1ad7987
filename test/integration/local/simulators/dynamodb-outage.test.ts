import { ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DynamoDbServer,
  startDynamoDbServer,
} from "../../../../local/stand-ins/dynamodb-server.ts";
import {
  createDynamoDbClient,
  LOCAL_AWS_CREDENTIALS,
} from "../../../../shared/runtime/aws/aws-clients.ts";

let server: DynamoDbServer;
beforeAll(async () => {
  server = await startDynamoDbServer();
});
afterAll(() => server.stop());

async function control(method: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${server.endpoint}/__simulator/outage`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: await response.json() };
}

describe("the DynamoDB stand-in's outage control", () => {
  it("answers as DynamoDB does while an outage lasts, and as itself once it is ended", async () => {
    const client = createDynamoDbClient({
      endpoint: server.endpoint,
      credentials: LOCAL_AWS_CREDENTIALS,
      maxAttempts: 1,
    });
    try {
      const expected = {
        throttle: { name: "ThrottlingException", $metadata: { httpStatusCode: 400 } },
        "503": { $metadata: { httpStatusCode: 503 } },
        refuse: { $metadata: expect.not.objectContaining({ httpStatusCode: expect.anything() }) },
      };
      for (const [mode, error] of Object.entries(expected)) {
        expect(await control("PUT", { mode, seconds: 60 })).toMatchObject({
          status: 200,
          json: { outage: { mode } },
        });
        await expect(client.send(new ListTablesCommand({}))).rejects.toMatchObject(error);
      }
      expect(await control("DELETE")).toEqual({ status: 200, json: { outage: null } });
      await expect(client.send(new ListTablesCommand({}))).resolves.toBeDefined();
      expect((await control("PUT", { mode: "down" })).status).toBe(400);
      expect((await control("GET")).json).toEqual({ outage: null });
    } finally {
      client.destroy();
    }
  });
});
