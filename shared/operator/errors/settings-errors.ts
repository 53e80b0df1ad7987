/**
 * The CLI cannot tell which queue or table to act on. The message says every way to give it,
 * so the operator needs no documentation to fix it.
 */
export class MissingSettingError extends Error {
  override readonly name = "MissingSettingError";
  readonly setting: string;
  constructor(setting: string, message: string) {
    super(message);
    this.setting = setting;
  }
}

/** `--stack NAME` names no stack in the region, or the stack lacks an output the CLI needs. */
export class StackNotFoundError extends Error {
  override readonly name = "StackNotFoundError";
  readonly stackName: string;
  readonly region: string;
  constructor(stackName: string, region: string, options?: { cause?: unknown }) {
    super(
      `Stack ${stackName} was not found in ${region}: check the name (--stack) and the region (--region or AWS_REGION)`,
      options,
    );
    this.stackName = stackName;
    this.region = region;
  }
}

/** `.lifecycle/local.json` exists but cannot be read as the local stack's file. */
export class LocalStackFileError extends Error {
  override readonly name = "LocalStackFileError";
  readonly path: string;
  constructor(path: string, options?: { cause?: unknown }) {
    super(
      `${path} is not a readable local stack file: restart the local stack (npm start) or delete the file`,
      options,
    );
    this.path = path;
  }
}
