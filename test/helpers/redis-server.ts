/**
 * A real `redis-server` (Debian's /usr/bin/redis-server) for tests: a free 127.0.0.1 port, a temporary
 * directory, no persistence unless asked. Readiness is the server's "Ready to accept connections" line
 * followed by a PING answered with PONG, never a sleep. Without redis-server the helper throws the
 * install command: tests that need it fail, they never skip.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';

const REDIS_SERVER = '/usr/bin/redis-server';

export interface RedisServer {
  /** `redis://127.0.0.1:port` (or `rediss://…` for the TLS variant), with the password when set. */
  url: string;
  host: '127.0.0.1';
  port: number;
  /** PEM of the self-signed certificate (TLS variant), to pass as `tls: { ca }`. */
  ca?: string;
  /** The process, to kill it in the middle of a test. */
  process: ChildProcess;
  /** Resolves when the process exited. */
  exited: Promise<void>;
  /** Stops the server (SIGTERM) and removes its directory. */
  stop(): Promise<void>;
}

export interface RedisServerOptions {
  /** Serve TLS only, with a certificate for 127.0.0.1 made with openssl. */
  tls?: boolean;
  /** `--requirepass`. */
  password?: string;
  /** Extra `--name value` arguments, e.g. `['--maxmemory-policy', 'allkeys-lru']`. */
  args?: string[];
  /** Reuse this directory (and its AOF) instead of a new one: a restart of the same server. */
  dir?: string;
  /** Reuse this port. */
  port?: number;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function makeCertificate(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  return { cert, key };
}

/** PING over a raw socket (TLS when asked); resolves on +PONG (or -NOAUTH: the server is up). */
async function ping(port: number, tls: string | undefined): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const socket: Socket = tls
      ? tlsConnect({ host: '127.0.0.1', port, ca: tls, servername: 'localhost' })
      : new Socket().connect(port, '127.0.0.1');
    let answer = '';
    socket.once(tls ? 'secureConnect' : 'connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      answer += chunk.toString();
      if (answer.includes('\r\n')) {
        socket.destroy();
        if (answer.startsWith('+PONG') || answer.startsWith('-NOAUTH')) resolve();
        else reject(new Error(`redis-server answered PING with ${answer.trim()}`));
      }
    });
    socket.once('error', reject);
  });
}

/** Starts redis-server and resolves once it answers PING. */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  if (!existsSync(REDIS_SERVER))
    throw new Error('redis-server is missing: run apt-get install -y redis-server');
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'ssl-orders-redis-'));
  const port = options.port ?? (await freePort());
  const args = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
  let ca: string | undefined;
  if (options.tls) {
    const { cert, key } = makeCertificate(dir);
    ca = readFileSync(cert, 'utf8');
    args.push('--port', '0', '--tls-port', String(port), '--tls-cert-file', cert, '--tls-key-file', key);
    args.push('--tls-ca-cert-file', cert, '--tls-auth-clients', 'no');
  } else {
    args.push('--port', String(port));
  }
  if (options.password) args.push('--requirepass', options.password);
  args.push(...(options.args ?? []));
  const child = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        child.stdout.off('data', onData);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) =>
      reject(new Error(`redis-server exited with ${code} before it was ready:\n${output}`)),
    );
  });
  child.stdout.resume();
  await ping(port, ca);
  const auth = options.password ? `:${encodeURIComponent(options.password)}@` : '';
  return {
    url: `${options.tls ? 'rediss' : 'redis'}://${auth}127.0.0.1:${port}`,
    host: '127.0.0.1',
    port,
    ...(ca === undefined ? {} : { ca }),
    process: child,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      if (options.dir === undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}
