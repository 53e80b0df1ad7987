/**
 * The `scimType` values of RFC 7644 §3.12 the SCIM endpoint answers with. `invalidFilter`: a
 * filter it cannot serve; `invalidValue`: a value of the wrong type or a userName with no
 * account; `uniqueness`: an account already linked; `mutability`: a change to what cannot
 * change; `invalidSyntax`: a body that is not the message it should be; `noTarget`: a remove
 * without a path; `invalidPath`: a path the User resource does not have.
 */
export type ScimType =
  | "invalidFilter"
  | "invalidValue"
  | "uniqueness"
  | "mutability"
  | "invalidSyntax"
  | "noTarget"
  | "invalidPath";

/**
 * A SCIM request the endpoint refuses: answered with `status` and an RFC 7644 §3.12 error body
 * whose `detail` is the message.
 */
export class ScimRequestError extends Error {
  override readonly name = "ScimRequestError";
  readonly status: number;
  readonly scimType: ScimType | undefined;
  constructor(status: number, scimType: ScimType | undefined, detail: string) {
    super(detail);
    this.status = status;
    this.scimType = scimType;
  }
}
