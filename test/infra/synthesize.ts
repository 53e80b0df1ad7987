import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { App, Validations } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import type { IConstruct } from "constructs";
import { readStackConfiguration } from "../../infra/configuration.ts";
import {
  HrLifecycleSyncStack,
  type HrLifecycleSyncStackProps,
} from "../../infra/hr-lifecycle-sync-stack.ts";
import { addNagPacks } from "../../infra/nag.ts";

export interface Violation {
  plugin: string;
  rule: string;
  severity: string;
  paths: string[];
}

export interface Synthesized {
  stack: HrLifecycleSyncStack;
  template: Template;
  /** Every finding of every validation plugin that was not acknowledged. */
  violations: Violation[];
  /** Every acknowledgement in the construct tree: rule id → reasons. */
  acknowledgements: { construct: string; rule: string; reason: string }[];
  cleanUp: () => void;
}

/** cdk.json's feature flags, so the template is the one `cdk synth` writes. */
function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(new URL("../../cdk.json", import.meta.url), "utf8"));
  return cdkJson.context ?? {};
}

/**
 * How long one synth may take in a hook or test: it bundles every function with esbuild, which
 * takes seconds on a quiet machine and several times that on two cores shared with other work.
 */
export const SYNTH_TIMEOUT_MS = 180_000;

const STUB_HANDLER = fileURLToPath(new URL("./stub-handler.ts", import.meta.url));

/**
 * The stack with a one-line handler in every function: the same resources, policies and
 * outputs in a fraction of the time, for tests that read the template, not the bundles.
 */
export function synthesizeWithStubHandlers(): Synthesized {
  return synthesize(
    {},
    {
      consumer: STUB_HANDLER,
      webhook: STUB_HANDLER,
      reconcile: STUB_HANDLER,
      scheduler: STUB_HANDLER,
      scim: STUB_HANDLER,
    },
  );
}

/**
 * Synthesizes the stack as infra/app.ts does (cdk.json's context, the cdk-nag packs) into a
 * temporary directory. Bundles both functions with esbuild: call once per test file.
 */
export function synthesize(
  context: Record<string, unknown> = {},
  entries?: HrLifecycleSyncStackProps["entries"],
): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), "infra-test-"));
  const app = new App({ outdir, context: { ...cdkJsonContext(), ...context } });
  const configuration = readStackConfiguration(app.node.getAllContext());
  const stack = new HrLifecycleSyncStack(app, configuration.stackName, {
    configuration,
    ...(entries ? { entries } : {}),
  });
  addNagPacks(app);

  let templateJson: unknown;
  try {
    templateJson = app.synth().getStackByName(stack.stackName).template;
  } catch (error) {
    // A finding fails the synth; the report still says which, so the test can name them.
    const found = readViolations(outdir);
    if (found.length === 0) throw error;
    templateJson = {};
  }
  return {
    stack,
    template: Template.fromJSON(templateJson as Record<string, unknown>),
    violations: readViolations(outdir),
    acknowledgements: collectAcknowledgements(stack),
    cleanUp: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

interface ValidationReport {
  pluginReports: {
    pluginName: string;
    violations: {
      ruleName: string;
      severity: string;
      violatingConstructs: { constructPath: string }[];
    }[];
  }[];
}

function readViolations(outdir: string): Violation[] {
  let report: ValidationReport;
  try {
    report = JSON.parse(readFileSync(join(outdir, "validation-report.json"), "utf8"));
  } catch {
    return [];
  }
  return report.pluginReports.flatMap((plugin) =>
    plugin.violations.map((violation) => ({
      plugin: plugin.pluginName,
      rule: violation.ruleName,
      severity: violation.severity,
      paths: violation.violatingConstructs.map((c) => c.constructPath),
    })),
  );
}

function collectAcknowledgements(root: IConstruct): Synthesized["acknowledgements"] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([rule, reason]) => ({
          construct: construct.node.path,
          rule,
          reason,
        })),
      ),
  );
}
