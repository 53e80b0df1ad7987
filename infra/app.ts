import { App } from "aws-cdk-lib";
import { formatBundleSize, measureBundle } from "./bundle-size.ts";
import { readStackConfiguration } from "./configuration.ts";
import { HrLifecycleSyncStack } from "./hr-lifecycle-sync-stack.ts";
import { addNagPacks } from "./nag.ts";

/** `npx cdk synth` / `deploy` run this (cdk.json). Configuration: README.md#deploy. */
const app = new App();
const configuration = readStackConfiguration(app.node.getAllContext());
const stack = new HrLifecycleSyncStack(app, configuration.stackName, { configuration });
addNagPacks(app);

for (const [name, lambda] of Object.entries(stack.bundledFunctions)) {
  console.error(formatBundleSize(measureBundle(name, lambda.function)));
}
app.synth();
