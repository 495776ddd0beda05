import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'testing/index': 'src/testing/index.ts',
    'testing/msw': 'src/testing/msw.ts',
    'node/index': 'src/node/index.ts',
    'cli/index': 'src/cli/index.ts',
    'redis/index': 'src/redis/index.ts',
  },
  format: ['esm'],
  target: 'node22',
  dts: {
    entry: {
      index: 'src/index.ts',
      'testing/index': 'src/testing/index.ts',
      'testing/msw': 'src/testing/msw.ts',
      'node/index': 'src/node/index.ts',
      'redis/index': 'src/redis/index.ts',
    },
  },
  sourcemap: true,
  clean: true,
  splitting: true,
});
