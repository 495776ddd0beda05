/**
 * Shared by the examples (not an example itself): a Redis for the fleet examples. `REDIS_URL` when
 * set; otherwise a throwaway Debian `redis-server` on a free loopback port, stopped by `close()`.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

export interface ExampleRedis {
  url: string;
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function exampleRedis(): Promise<ExampleRedis> {
  const given = process.env['REDIS_URL'];
  if (given) return { url: given, close: async () => {} };
  const port = await freePort();
  const server = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      // Not inherited: a server left running must not hold the caller's output open.
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        new Error(
          `could not start redis-server (${error.message}): apt-get install -y redis-server, or set REDIS_URL`,
        ),
      ),
    );
    let output = '';
    server.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (output.includes('Ready to accept connections')) resolve();
    });
    let errors = '';
    server.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      errors += chunk;
    });
    server.once('exit', (code) =>
      reject(new Error(`redis-server exited with code ${code}: ${errors.trim()}`)),
    );
  });
  server.stdout.resume();
  server.stderr.resume();
  return {
    url: `redis://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.once('exit', () => resolve());
        server.kill('SIGTERM');
      }),
  };
}
