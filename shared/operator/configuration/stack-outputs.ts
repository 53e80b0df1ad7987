import {
  type CloudFormationClient,
  DescribeStacksCommand,
  type DescribeStacksCommandOutput,
} from "@aws-sdk/client-cloudformation";
import { StackNotFoundError } from "../errors/settings-errors.ts";

/** Every output of the stack, by output key. */
export async function readStackOutputs(
  client: CloudFormationClient,
  stackName: string,
  region: string,
): Promise<Record<string, string>> {
  let stacks: DescribeStacksCommandOutput["Stacks"];
  try {
    const output = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    stacks = output.Stacks;
  } catch (error) {
    // CloudFormation answers an unknown stack with a generic ValidationError.
    if (error instanceof Error && /does not exist/i.test(error.message)) {
      throw new StackNotFoundError(stackName, region, { cause: error });
    }
    throw error;
  }
  const stack = stacks?.[0];
  if (stack === undefined) throw new StackNotFoundError(stackName, region);
  const outputs: Record<string, string> = {};
  for (const output of stack.Outputs ?? []) {
    if (output.OutputKey !== undefined && output.OutputValue !== undefined) {
      outputs[output.OutputKey] = output.OutputValue;
    }
  }
  return outputs;
}
