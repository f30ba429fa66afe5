import { defineConfig } from 'vitest/config';

// Tests sit beside the code they test (`*.test.ts`); slow end-to-end runs are named `*.slow.test.ts`
// so that `npm run test:fast` can leave them out. CI (`npm test`) runs everything.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'web/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
