import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, Stack, Validations } from "aws-cdk-lib";
import { Queue } from "aws-cdk-lib/aws-sqs";
import { afterEach, describe, expect, it } from "vitest";
import { addNagPacks } from "../../infra/nag.ts";

/**
 * The stack tests assert that the report is empty; this proves an empty report means something:
 * the packs addNagPacks installs do fail a synth on a finding and do honour an acknowledgement.
 */
const outdirs: string[] = [];
afterEach(() => {
  for (const outdir of outdirs.splice(0)) rmSync(outdir, { recursive: true, force: true });
});

function synthesizeQueue(acknowledge: boolean): { error: unknown; rules: string[] } {
  const outdir = mkdtempSync(join(tmpdir(), "infra-nag-"));
  outdirs.push(outdir);
  const app = new App({ outdir });
  const stack = new Stack(app, "NagProbe");
  // No TLS enforcement and no DLQ: AwsSolutions-SQS4, SQS3 and Serverless-SQSRedrivePolicy.
  const queue = new Queue(stack, "Careless");
  if (acknowledge) {
    Validations.of(queue).acknowledge(
      { id: "AwsSolutions::AwsSolutions-SQS3", reason: "probe" },
      { id: "AwsSolutions::AwsSolutions-SQS4", reason: "probe" },
      { id: "Serverless::Serverless-SQSRedrivePolicy", reason: "probe" },
    );
  }
  addNagPacks(app);
  let error: unknown;
  try {
    app.synth();
  } catch (caught) {
    error = caught;
  }
  const report = JSON.parse(readFileSync(join(outdir, "validation-report.json"), "utf8")) as {
    pluginReports: { violations: { ruleName: string }[] }[];
  };
  const rules = report.pluginReports.flatMap((p) => p.violations.map((v) => v.ruleName));
  return { error, rules };
}

describe("the cdk-nag packs", () => {
  it("fail the synth on an unacknowledged finding of either pack", () => {
    const { error, rules } = synthesizeQueue(false);
    expect(String(error)).toMatch(/Validation/);
    expect(rules).toEqual(
      expect.arrayContaining([
        "AwsSolutions-SQS4",
        "AwsSolutions-SQS3",
        "Serverless-SQSRedrivePolicy",
      ]),
    );
  });

  it("let an acknowledged finding through", () => {
    const { error, rules } = synthesizeQueue(true);
    expect(error).toBeUndefined();
    expect(rules).toEqual([]);
  });
});
