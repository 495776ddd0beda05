/**
 * Builds the client a command runs with: from the environment (as slcli finds credentials), or
 * against a fresh embedded emulator with `--emulator`; with the send ledger and cooldown when the
 * command sends or reads send records.
 *
 * @module
 */
import { type EnvironmentSource, SslOrdersClient, type SslOrdersEvent, VERSION } from '../index.js';
import type { Emulator } from '../testing/index.js';
import type { CommandFlags } from './args.js';
import type { FailureContext } from './errors.js';
import type { CliIo } from './io.js';
import { chooseLedger, type OpenedLedger, openLedger } from './ledger.js';

/** The CLI's cooldown: re-sending a certificate email within a day is almost always a mistake. */
export const CLI_COOLDOWN_MS = 24 * 3_600_000;

/** A client, and what stands behind it. */
export interface Session {
  client: SslOrdersClient;
  emulator: Emulator | undefined;
  /** The send ledger, when the command uses one. */
  ledger: OpenedLedger | undefined;
  /** What the last request did, for the final error message. */
  progress(): FailureContext;
  /** Closes the ledger and stops the emulator, if any. */
  close(): Promise<void>;
}

const USER_AGENT = `ssl-orders-cli/${VERSION}`;

/** Starts the embedded emulator: the test kit is imported here, on demand, and nowhere else. */
export async function startEmbeddedEmulator(io: CliIo): Promise<Emulator> {
  if (io.startEmulator) return io.startEmulator();
  const { startEmulator } = await import('../testing/index.js');
  return startEmulator();
}

/** Options every CLI client gets. */
interface ClientExtras {
  timeoutMs: number | undefined;
  ledger?: OpenedLedger | undefined;
  cooldownMs?: number | undefined;
  onEvent?: ((event: SslOrdersEvent) => void) | undefined;
}

/** A client for an emulator, with its default credentials. */
export function emulatorClient(emulator: Emulator, extras: ClientExtras): SslOrdersClient {
  const { username, apiKey } = emulator.credentials;
  return new SslOrdersClient({
    auth: { username, apiKey },
    baseUrl: emulator.url,
    accountId: emulator.accountId,
    ...clientOptions(extras),
  });
}

function clientOptions(extras: ClientExtras) {
  return {
    timeout: extras.timeoutMs,
    userAgent: USER_AGENT,
    sendCooldown: extras.cooldownMs ?? CLI_COOLDOWN_MS,
    sendLedger: extras.ledger?.ledger,
    onEvent: extras.onEvent,
  };
}

/** Prints a line per retry on stderr, so a hanging API is never silent; counts the attempts. */
function retryReporter(io: CliIo) {
  const startedAt = performance.now();
  let attempts = 0;
  const onEvent = (event: SslOrdersEvent) => {
    if (event.type === 'request') attempts = event.attempt;
    if (event.type === 'retry') {
      const why = event.status === undefined ? event.errorName : `${event.errorName}, HTTP ${event.status}`;
      io.stderr.write(
        `ssl-orders: ${event.method} ${event.path}: attempt ${event.attempt} failed (${why}); ` +
          `retrying in ${(event.delayMs / 1000).toFixed(1)} s\n`,
      );
    }
  };
  return { onEvent, progress: () => ({ attempts, elapsedMs: performance.now() - startedAt }) };
}

/** Which commands keep send records. */
function usesLedger(command: string): boolean {
  return command === 'resend' || command === 'mark' || command === 'history';
}

/**
 * Opens the session for a command.
 *
 * @throws {@link InvalidArgumentError} when no credentials are found (and not `--emulator`).
 */
export async function openSession(command: string, flags: CommandFlags, io: CliIo): Promise<Session> {
  const reporter = retryReporter(io);
  const ledger = usesLedger(command)
    ? await openLedger(chooseLedger(flags, io.env), { env: io.env, retentionMs: flags.retentionMs })
    : undefined;
  const extras: ClientExtras = {
    timeoutMs: flags.timeoutMs,
    ledger,
    cooldownMs: flags.cooldownMs,
    onEvent: reporter.onEvent,
  };
  try {
    if (flags.emulator) {
      const emulator = await startEmbeddedEmulator(io);
      io.stderr.write(`Using an embedded emulator at ${emulator.url} (demo data; no real email is sent).\n`);
      const close = async () => {
        await emulator.close();
        await ledger?.close();
      };
      try {
        return {
          client: emulatorClient(emulator, extras),
          emulator,
          ledger,
          progress: reporter.progress,
          close,
        };
      } catch (error) {
        await close();
        throw error;
      }
    }
    const source: EnvironmentSource = { env: io.env };
    if (io.configFile !== undefined) source.configFile = io.configFile;
    const client = SslOrdersClient.fromEnv({ baseUrl: flags.endpoint, ...clientOptions(extras) }, source);
    return {
      client,
      emulator: undefined,
      ledger,
      progress: reporter.progress,
      close: async () => ledger?.close(),
    };
  } catch (error) {
    await ledger?.close();
    throw error;
  }
}
