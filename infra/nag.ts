import { type App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks, ServerlessChecks } from "cdk-nag";

/**
 * The AWS Solutions and Serverless rule packs of cdk-nag: any finding not acknowledged fails the
 * synth. Each acknowledgement sits next to the construct it concerns, with its reason
 * (`Validations.of(construct).acknowledge`); test/infra lists the acknowledged rules.
 */
export function addNagPacks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
}
