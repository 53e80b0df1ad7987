/** Reads an Authorization header. The credentials it returns are compared, never logged. */

export type Authorization =
  | { scheme: "basic"; username: string; password: string }
  | { scheme: "bearer"; token: string };

export function readAuthorization(header: string | undefined): Authorization | undefined {
  if (header === undefined) return undefined;
  const [scheme = "", ...rest] = header.trim().split(/\s+/);
  const value = rest.join(" ");
  if (value === "") return undefined;
  switch (scheme.toLowerCase()) {
    case "basic": {
      const decoded = Buffer.from(value, "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      if (colon < 0) return undefined;
      return {
        scheme: "basic",
        username: decoded.slice(0, colon),
        password: decoded.slice(colon + 1),
      };
    }
    case "bearer":
      return { scheme: "bearer", token: value };
    default:
      return undefined;
  }
}
