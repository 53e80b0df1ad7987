import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Integration tests start real local servers; two cores are shared with them.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // One file per core, not Vitest's cores − 1 (one on two cores): most files spend their
    // time waiting on loopback servers, backoffs and long polls, which overlap well.
    maxWorkers: availableParallelism(),
    projects: [
      {
        extends: true,
        // Unit tests start nothing and restore what they stub, so their files share workers:
        // a fresh worker per file cost three times what the tests themselves take.
        test: { name: "unit", include: ["test/unit/**/*.test.ts"], isolate: false },
      },
      {
        extends: true,
        test: { name: "integration", include: ["test/**/*.test.ts"], exclude: ["test/unit/**"] },
      },
    ],
  },
});
