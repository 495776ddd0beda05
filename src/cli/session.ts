/**
 * Builds the client a command runs with: from the environment (as slcli finds credentials), or
 * against a fresh embedded emulator with `--emulator`.
 *
 * @module
 */
import { type EnvironmentSource, SslOrdersClient, VERSION } from '../index.js';
import type { Emulator } from '../testing/index.js';
import type { GlobalFlags } from './args.js';
import type { CliIo } from './io.js';

/** A client, and the emulator behind it when there is one. */
export interface Session {
  client: SslOrdersClient;
  emulator: Emulator | undefined;
  /** Stops the emulator, if any. */
  close(): Promise<void>;
}

const USER_AGENT = `ssl-orders-cli/${VERSION}`;

/** Starts the embedded emulator (the test kit is loaded only when needed). */
export async function startEmbeddedEmulator(io: CliIo): Promise<Emulator> {
  if (io.startEmulator) return io.startEmulator();
  const { startEmulator } = await import('../testing/index.js');
  return startEmulator();
}

/** A client for an emulator, with its default credentials. */
export function emulatorClient(emulator: Emulator, timeoutMs: number | undefined): SslOrdersClient {
  const { username, apiKey } = emulator.credentials;
  return new SslOrdersClient({
    auth: { username, apiKey },
    baseUrl: emulator.url,
    accountId: emulator.accountId,
    timeout: timeoutMs,
    userAgent: USER_AGENT,
  });
}

/**
 * Opens the session for a command.
 *
 * @throws {@link InvalidArgumentError} when no credentials are found (and not `--emulator`).
 */
export async function openSession(flags: GlobalFlags, io: CliIo): Promise<Session> {
  if (flags.emulator) {
    const emulator = await startEmbeddedEmulator(io);
    io.stderr.write(`Using an embedded emulator at ${emulator.url} (demo data; no real email is sent).\n`);
    try {
      return { client: emulatorClient(emulator, flags.timeoutMs), emulator, close: () => emulator.close() };
    } catch (error) {
      await emulator.close();
      throw error;
    }
  }
  const source: EnvironmentSource = { env: io.env };
  if (io.configFile !== undefined) source.configFile = io.configFile;
  const client = SslOrdersClient.fromEnv(
    { baseUrl: flags.endpoint, timeout: flags.timeoutMs, userAgent: USER_AGENT },
    source,
  );
  return { client, emulator: undefined, close: async () => {} };
}
