import { ScimRequestError } from "../../shared/runtime/errors/scim-request-error.ts";

/** The ScimRequestError `read` throws; fails the test when it throws nothing or anything else. */
export function scimRefusal(read: () => unknown): ScimRequestError {
  try {
    read();
  } catch (error) {
    if (error instanceof ScimRequestError) return error;
    throw error;
  }
  throw new Error("the request was not refused");
}
