/**
 * The emulator as a real HTTP server (node:http), for end-to-end and fault tests over real sockets.
 *
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { handleRequest } from './core.js';
import type { EmulatorClientOptions } from './credentials.js';
import { INTERNAL_ERROR } from './respond.js';
import { createEmulatorState, type EmulatorState } from './state.js';
import type {
  EmulatorStateOptions,
  FaultHandle,
  FaultSpec,
  OutboxEntry,
  RecordedRequest,
  RequestCountFilter,
  ResolvedCredentials,
  SeedOrder,
  StatusName,
} from './types.js';

/**
 * Options of {@link startEmulator}: the state options, plus where to listen.
 *
 * @example
 * ```ts
 * const emulator = await startEmulator({ port: 8089, credentials: { users: [{ username: 'u', apiKey: 'k' }] } });
 * ```
 */
export interface EmulatorOptions extends EmulatorStateOptions {
  /** Interface to listen on. Default `'127.0.0.1'`. */
  host?: string;
  /** Port; `0` (the default) picks a free one. */
  port?: number;
  /** Serve an existing state (e.g. one shared with msw handlers); the state options are then ignored. */
  state?: EmulatorState;
}

/**
 * A running emulator. Use {@link Emulator.url} as the client's base URL and {@link Emulator.iamTokenUrl} as
 * its IAM endpoint; inspect {@link Emulator.outbox} and {@link Emulator.requests} in assertions.
 *
 * @example
 * ```ts
 * await using emulator = await startEmulator();
 * const res = await fetch(`${emulator.url}SoftLayer_Account/getObject.json?objectMask=mask[id]`, {
 *   headers: { authorization: `Basic ${btoa(`${emulator.credentials.username}:${emulator.credentials.apiKey}`)}` },
 * });
 * ```
 */
export interface Emulator extends AsyncDisposable {
  /** Base URL of the REST API, ending in `/rest/v3.1/` (`/rest/v3/` works too). */
  readonly url: string;
  /** `http://host:port`. */
  readonly origin: string;
  /** `${origin}/identity/token`. */
  readonly iamTokenUrl: string;
  /** The state served, shareable with `createMswHandlers({ emulator })`. */
  readonly state: EmulatorState;
  /** The account that owns the orders (default `1234567`); what `SoftLayer_Account::getObject` returns. */
  readonly accountId: number;
  /** Accepted credentials; `username`/`apiKey`/`ibmCloudApiKey` are ready to build a client. */
  readonly credentials: ResolvedCredentials;
  /** Current orders (of every account), in insertion order. */
  readonly orders: readonly Readonly<SeedOrder>[];
  /** Emails sent by successful `resendEmail` calls. */
  readonly outbox: readonly OutboxEntry[];
  /** Every request received; Authorization values are never recorded. */
  readonly requests: readonly RecordedRequest[];
  /**
   * Options for `new SslOrdersClient(…)` pointed at this emulator: `{ baseUrl, auth, accountId }`, with
   * `overrides` merged over them (e.g. `confirm`, `retry`, or another `auth`).
   *
   * @example
   * ```ts
   * const client = new SslOrdersClient(emulator.clientOptions({ confirm: async () => true }));
   * ```
   */
  clientOptions<T extends object = Record<never, never>>(
    overrides?: T,
  ): Omit<EmulatorClientOptions, keyof T> & T;
  /** Counts recorded requests, e.g. `count({ route: 'resend', method: 'POST' })`. */
  count(filter?: RequestCountFilter): number;
  /** Injects a fault into the next matching request(s). */
  inject(fault: FaultSpec): FaultHandle;
  /** Removes every injected fault. */
  clearFaults(): void;
  /** Moves an order to another status. */
  setOrderStatus(id: number, name: StatusName): void;
  /** Adds (or replaces) orders. */
  addOrders(...orders: SeedOrder[]): void;
  /** Returns a valid bearer token without going through the IAM endpoint. */
  issueToken(): string;
  /** Expires every issued token: the next bearer call gets 500 `…AccessTokenValidation`. */
  expireTokens(): void;
  /** Back to the initial orders, with an empty outbox and request log, no faults and no tokens. */
  reset(): void;
  /** Stops the server and destroys open connections (hanging ones included). Idempotent. */
  close(): Promise<void>;
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

async function serve(state: EmulatorState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const aborter = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) aborter.abort(new Error('client went away'));
  });
  let response: Awaited<ReturnType<typeof handleRequest>>;
  try {
    response = await handleRequest(
      state,
      {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: headersOf(req),
        body: Buffer.concat(chunks).toString('utf8'),
      },
      { signal: aborter.signal },
    );
  } catch {
    if (aborter.signal.aborted) return;
    if (!res.headersSent)
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify(INTERNAL_ERROR));
    return;
  }
  const body = Buffer.from(response.body, 'utf8');
  switch (response.action) {
    case 'respond':
      res.writeHead(response.status, { ...response.headers, 'content-length': String(body.length) });
      res.end(body);
      return;
    case 'reset':
      req.socket.destroy();
      return;
    case 'truncate': {
      // Announce the full length, send part of it, then drop the connection mid-body.
      res.writeHead(response.status, { ...response.headers, 'content-length': String(body.length + 16) });
      res.write(body.subarray(0, Math.floor(body.length / 2)), () =>
        setImmediate(() => req.socket.destroy()),
      );
      return;
    }
    case 'hang':
      // Nothing to do: the client's timeout or close() ends the connection.
      return;
  }
}

class RunningEmulator implements Emulator {
  readonly url: string;
  readonly iamTokenUrl: string;
  private closing: Promise<void> | null = null;

  constructor(
    readonly state: EmulatorState,
    readonly origin: string,
    private readonly shutdown: () => Promise<void>,
  ) {
    this.url = `${origin}/rest/v3.1/`;
    this.iamTokenUrl = `${origin}/identity/token`;
  }

  get accountId(): number {
    return this.state.accountId;
  }
  get credentials(): ResolvedCredentials {
    return this.state.credentials;
  }
  get orders(): readonly Readonly<SeedOrder>[] {
    return this.state.orders;
  }
  get outbox(): readonly OutboxEntry[] {
    return this.state.outbox;
  }
  get requests(): readonly RecordedRequest[] {
    return this.state.requests;
  }
  clientOptions<T extends object = Record<never, never>>(
    overrides?: T,
  ): Omit<EmulatorClientOptions, keyof T> & T {
    const { username, apiKey } = this.state.credentials;
    const base: EmulatorClientOptions = {
      baseUrl: this.url,
      auth: { username, apiKey },
      accountId: this.accountId,
    };
    return Object.assign(base, overrides);
  }
  count(filter?: RequestCountFilter): number {
    return this.state.count(filter);
  }
  inject(fault: FaultSpec): FaultHandle {
    return this.state.inject(fault);
  }
  clearFaults(): void {
    this.state.clearFaults();
  }
  setOrderStatus(id: number, name: StatusName): void {
    this.state.setOrderStatus(id, name);
  }
  addOrders(...orders: SeedOrder[]): void {
    this.state.addOrders(...orders);
  }
  issueToken(): string {
    return this.state.issueToken();
  }
  expireTokens(): void {
    this.state.expireTokens();
  }
  reset(): void {
    this.state.reset();
  }
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/**
 * Starts the emulator on `127.0.0.1` and a free port (by default), seeded with {@link seedOrders}.
 *
 * Defaults: account `1234567`; classic user `SL1234567_demo` with API key
 * `demo-classic-api-key-0000000000000000000000000000000000000000000000`; IBM Cloud API key
 * `demo-ibmcloud-api-key`; auth on; no rate limit; 3600 s IAM tokens; no latency.
 *
 * @example
 * ```ts
 * const emulator = await startEmulator();
 * try {
 *   emulator.inject({ route: 'resend', kind: 'reset-after' });
 *   // … exercise a client against emulator.url …
 *   expect(emulator.outbox).toHaveLength(1);
 * } finally {
 *   await emulator.close();
 * }
 * ```
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const { host = '127.0.0.1', port = 0, state: given, ...stateOptions } = options;
  const state = given ?? createEmulatorState(stateOptions);
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    serve(state, req, res).catch(() => req.socket.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const shutdown = (): Promise<void> =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
    });
  return new RunningEmulator(state, `http://${hostPart}:${address.port}`, shutdown);
}
