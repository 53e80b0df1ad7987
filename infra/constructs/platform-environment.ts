import type { ISecret } from "aws-cdk-lib/aws-secretsmanager";
import {
  ACCOUNT_PLATFORM_SECRET_ID,
  ACCOUNT_PLATFORM_URL,
  OSIS_BASE_PATH,
  OSIS_SECRET_ID,
  OSIS_URL,
} from "../../shared/contract/setting-names.ts";

/** Where both platforms are and the secrets that hold their credentials. */
interface PlatformWiring {
  accountPlatform: { url: string; secret: ISecret };
  osis: { url: string; basePath: string; secret: ISecret };
}

/**
 * The platforms' variables as the consumer and the reconciliation both read them (their
 * schemas share `platformFields`): the secrets by ARN, never their values.
 */
export function platformEnvironment({ accountPlatform, osis }: PlatformWiring) {
  return {
    [ACCOUNT_PLATFORM_URL]: accountPlatform.url,
    [ACCOUNT_PLATFORM_SECRET_ID]: accountPlatform.secret.secretArn,
    [OSIS_URL]: osis.url,
    [OSIS_BASE_PATH]: osis.basePath,
    [OSIS_SECRET_ID]: osis.secret.secretArn,
  };
}
