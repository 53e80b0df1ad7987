import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the stand-in answered: which service, which operation, when (epoch ms). */
export interface StandInRequest {
  service: "secrets" | "ledger" | "other";
  operation: string;
  at: number;
}

export interface AwsStandIn {
  url: string;
  /** Every request since the last `clear`. */
  readonly requests: StandInRequest[];
  clear(): void;
  stop(): Promise<void>;
}

/** The secret values the cold-start benchmark's imports read, by secret id. */
export const BENCH_SECRETS: Readonly<Record<string, unknown>> = {
  "account-platform": { clientId: "bench-client", clientSecret: "bench-secret" },
  osis: { username: "bench", password: "bench-password" },
};

/**
 * Answers every AWS request a cold start can make, at once, on loopback: Secrets Manager's
 * GetSecretValue with a usable secret of the asked shape, every DynamoDB operation with an empty
 * success (no item, nothing conditional refused), and anything else with an empty success too.
 * A cold start that calls the ledger is thus measured, not left waiting on an unreachable
 * endpoint, and the calls are counted so the report can say which imports made them.
 */
export async function startAwsStandIn(): Promise<AwsStandIn> {
  const requests: StandInRequest[] = [];
  const server = createServer((request, response) => {
    const at = performance.timeOrigin + performance.now();
    let body = "";
    request.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on("end", () => {
      const target = String(request.headers["x-amz-target"] ?? "");
      const operation = target.split(".").pop() ?? "";
      const service = target.startsWith("secretsmanager.")
        ? "secrets"
        : target.startsWith("DynamoDB_")
          ? "ledger"
          : "other";
      requests.push({ service, operation, at });
      response.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
      if (service !== "secrets") {
        response.end(
          operation === "Query" || operation === "Scan" ? '{"Items":[],"Count":0}' : "{}",
        );
        return;
      }
      const secretId = (JSON.parse(body || "{}") as { SecretId?: string }).SecretId ?? "";
      response.end(
        JSON.stringify({
          ARN: `arn:aws:secretsmanager:us-east-1:000000000000:secret:${secretId}`,
          Name: secretId,
          VersionId: "1",
          SecretString: JSON.stringify(BENCH_SECRETS[secretId] ?? {}),
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    clear: () => {
      requests.length = 0;
    },
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
