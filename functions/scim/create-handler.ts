import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import middy from "@middy/core";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import type { ScimDependencies } from "../../shared/runtime/scim-service/scim-dependencies.ts";
import { handleScimRequest } from "../../shared/runtime/scim-service/scim-request-handler.ts";
import { fromApiGatewayEvent, toApiGatewayResult } from "./api-gateway-request.ts";

/** Platform calls stop this long before the function's timeout, so the answer still goes out. */
const ANSWER_MARGIN_MS = 2_000;

/** The SCIM endpoint as a Lambda handler behind the webhook's REST API (Lambda proxy integration). */
export function createScimHandler(dependencies: ScimDependencies) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>()
    .use(injectLambdaContext(dependencies.logger, { resetKeys: true }))
    .use(logMetrics(dependencies.metrics, { captureColdStartMetric: true }))
    .handler(async (event, context) =>
      toApiGatewayResult(
        await handleScimRequest(
          fromApiGatewayEvent(event),
          dependencies,
          AbortSignal.timeout(Math.max(1, context.getRemainingTimeInMillis() - ANSWER_MARGIN_MS)),
        ),
      ),
    );
}
