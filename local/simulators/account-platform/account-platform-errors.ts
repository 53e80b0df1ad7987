/** The account platform's error answers, in the shapes docs/platforms.md documents. */
import { jsonResponse, type SimulatorResponse } from "../common/http-exchange.ts";

export const ACCOUNT_PLATFORM_DOMAIN = "PlatformAccountServer";

/** `{"error": {"code", "message", "details": {"info"}, "domain", "context"}}` */
export function accountPlatformError(
  status: number,
  message: string,
  info: unknown = message,
  headers: Record<string, string> = {},
): SimulatorResponse {
  return jsonResponse(
    status,
    {
      error: {
        code: status,
        message,
        details: { info },
        domain: ACCOUNT_PLATFORM_DOMAIN,
        context: {},
      },
    },
    headers,
  );
}

/** The token endpoint answers in OAuth 2.0 style: `{"error", "error_description"}`. */
export function oauthError(
  status: number,
  error: string,
  description: string,
  headers: Record<string, string> = {},
): SimulatorResponse {
  return jsonResponse(status, { error, error_description: description }, headers);
}

/** What a fault or an unknown path answers with only a status to go on. */
export function accountPlatformErrorFor(
  status: number,
  message: string,
  operation: string,
): SimulatorResponse {
  if (operation === "token" && (status === 400 || status === 401)) {
    return oauthError(status, "invalid_client", message);
  }
  return accountPlatformError(status, message);
}
