import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Integration tests start real local servers; two cores are shared with them.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
  },
});
