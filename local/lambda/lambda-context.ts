import { randomUUID } from "node:crypto";
import type { Context } from "aws-lambda";

/**
 * The context Lambda hands a function, for one local invocation. The deadline is the
 * function timeout from the start of the invocation; `timeIsUp` lets the local stack end it
 * early on shutdown, so a handler that watches the clock starts no further work.
 */
export interface LambdaContextOptions {
  functionName: string;
  timeoutMs: number;
  region: string;
  memoryMb?: number;
  /** When it answers true, the invocation has no time left (shutdown). */
  timeIsUp?: () => boolean;
  now?: () => number;
}

/** The account id the local stand-ins use in ARNs (fauxqs's own). */
export const LOCAL_ACCOUNT_ID = "000000000000";

export function createLambdaContext(options: LambdaContextOptions): Context {
  const now = options.now ?? Date.now;
  const deadline = now() + options.timeoutMs;
  const timeIsUp = options.timeIsUp ?? (() => false);
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: options.functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${options.region}:${LOCAL_ACCOUNT_ID}:function:${options.functionName}`,
    memoryLimitInMB: String(options.memoryMb ?? 512),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${options.functionName}`,
    logStreamName: "local",
    getRemainingTimeInMillis: () => (timeIsUp() ? 0 : Math.max(0, deadline - now())),
    // Callback-style completion is not used by async handlers; Lambda keeps these for old code.
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
