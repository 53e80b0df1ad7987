/**
 * The value the stack writes into every field of a secret's template (README.md, "Fill in the
 * secrets"); a secret still holding it is refused with a clear message.
 */
export const PLACEHOLDER = "REPLACE_ME";
