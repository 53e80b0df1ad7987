import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../../../shared/runtime/errors/configuration-error.ts";
import { loadReconcileConfig } from "../../../../shared/runtime/reconcile/reconcile-config.ts";

const complete = {
  LEDGER_TABLE: "lifecycle-ledger",
  ACCOUNT_PLATFORM_URL: "https://dc.example.com/api/2",
  ACCOUNT_PLATFORM_SECRET_ID: "arn:aws:secretsmanager:eu-west-1:1:secret:ap",
  OSIS_URL: "https://osis.example.com/",
  OSIS_SECRET_ID: "arn:aws:secretsmanager:eu-west-1:1:secret:osis",
};

describe("loadReconcileConfig", () => {
  it("reads the platforms and defaults to report mode", () => {
    expect(loadReconcileConfig(complete)).toEqual({
      ledgerTable: "lifecycle-ledger",
      queueUrl: undefined,
      accountPlatform: {
        url: "https://dc.example.com",
        secretId: complete.ACCOUNT_PLATFORM_SECRET_ID,
      },
      osis: {
        url: "https://osis.example.com",
        basePath: "/api/v1",
        secretId: complete.OSIS_SECRET_ID,
        credentials: "deactivate",
      },
      concurrency: 4,
      pageSize: 100,
      maxPagesPerRun: 0,
      ratePerSecond: 10,
      platformTimeoutMs: 5000,
      apply: false,
    });
  });

  it("names every problem at once; apply needs the queue", () => {
    try {
      loadReconcileConfig({ RECONCILE_APPLY: "true", RECONCILE_CONCURRENCY: "0" });
      throw new Error("expected a ConfigurationError");
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      expect(error.problems).toEqual(
        expect.arrayContaining([
          "LEDGER_TABLE is required",
          "ACCOUNT_PLATFORM_URL is required",
          "OSIS_URL is required",
          "QUEUE_URL is required with RECONCILE_APPLY",
          expect.stringContaining("RECONCILE_CONCURRENCY"),
        ]),
      );
    }
  });
});
