/**
 * Command-line parsing with node:util parseArgs: which command, its positionals and its flags.
 *
 * @module
 */
import { parseArgs } from 'node:util';
import { COMMANDS, type CommandName, UsageError } from './usage.js';
import { parseCount, parseDuration, parseOrderId, parseTimeout } from './values.js';

export { COMMANDS, type CommandName, UsageError } from './usage.js';
export { parseOrderId } from './values.js';

/** Flags shared by every command. */
export interface GlobalFlags {
  /** Run against a fresh embedded emulator instead of the real API. */
  emulator: boolean;
  /** REST endpoint URL, overriding SL_ENDPOINT_URL and ~/.softlayer. */
  endpoint: string | undefined;
  /** Per-request timeout in milliseconds (given in seconds on the command line). */
  timeoutMs: number | undefined;
  /** Results on stdout and errors on stderr as JSON. */
  json: boolean;
  /** `--ledger`: a file path or a `redis://` / `rediss://` URL; else SSL_ORDERS_LEDGER, else the default file. */
  ledger: string | undefined;
  /** `--retention`: how long history keeps records, in milliseconds. */
  retentionMs: number | undefined;
}

/** Flags of the commands; unused ones stay at their defaults. */
export interface CommandFlags extends GlobalFlags {
  status: string | undefined;
  approver: boolean;
  dryRun: boolean;
  yes: boolean;
  all: boolean;
  force: string | undefined;
  /** `--cooldown`, in milliseconds. */
  cooldownMs: number | undefined;
  /** `--any-status`: skip the order-status check (the SDK's `allowAnyStatus`). */
  anyStatus: boolean;
  /** `--concurrency` of `resend --all --yes`. */
  concurrency: number | undefined;
  /** `mark --reason`. */
  reason: string | undefined;
  /** `history --order`. */
  order: number | undefined;
}

/** What `mark` records. */
export type MarkOutcome = 'sent' | 'not-sent';

/** What the command line asks for. */
export type Invocation =
  | { kind: 'help'; topic: CommandName | undefined }
  | { kind: 'version' }
  | {
      kind: 'run';
      command: Exclude<CommandName, 'help'>;
      orderId: number | undefined;
      /** `mark`'s outcome argument. */
      outcome?: MarkOutcome | undefined;
      flags: CommandFlags;
    };

type OptionSpec = { type: 'boolean' | 'string'; short?: string };

const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  help: { type: 'boolean', short: 'h' },
  emulator: { type: 'boolean' },
  endpoint: { type: 'string' },
  timeout: { type: 'string' },
};

const LEDGER_OPTIONS: Record<string, OptionSpec> = {
  ledger: { type: 'string' },
  retention: { type: 'string' },
};

const COMMAND_OPTIONS: Record<CommandName, Record<string, OptionSpec>> = {
  list: { status: { type: 'string' }, json: { type: 'boolean' } },
  show: { json: { type: 'boolean' } },
  resend: {
    approver: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    yes: { type: 'boolean', short: 'y' },
    all: { type: 'boolean' },
    status: { type: 'string' },
    force: { type: 'string' },
    json: { type: 'boolean' },
    cooldown: { type: 'string' },
    'any-status': { type: 'boolean' },
    concurrency: { type: 'string' },
    ...LEDGER_OPTIONS,
  },
  mark: {
    approver: { type: 'boolean' },
    reason: { type: 'string' },
    json: { type: 'boolean' },
    ...LEDGER_OPTIONS,
  },
  history: { json: { type: 'boolean' }, order: { type: 'string' }, ...LEDGER_OPTIONS },
  demo: {},
  help: {},
};

const ALL_OPTIONS: Record<string, OptionSpec> = Object.assign(
  { version: { type: 'boolean', short: 'V' } },
  GLOBAL_OPTIONS,
  ...Object.values(COMMAND_OPTIONS),
);

function isCommand(value: string | undefined): value is CommandName {
  return (COMMANDS as readonly string[]).includes(value ?? '');
}

function strictParse(argv: readonly string[], command: CommandName) {
  const options = { ...GLOBAL_OPTIONS, ...COMMAND_OPTIONS[command] };
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const message = error instanceof Error ? error.message : String(error);
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const option = /'([^']+)'/.exec(message)?.[1] ?? 'option';
      // `show -1`: a negative number is a bad id, not an option.
      if (/^-\d/.test(option)) parseOrderId(option, command);
      throw new UsageError(`unknown option ${option} for "${command}"`, command);
    }
    throw new UsageError(message.split('. ')[0] ?? message, command);
  }
}

/**
 * Turns `argv` (without `node` and the script) into an {@link Invocation}.
 *
 * @throws {@link UsageError} for an unknown command or option, a missing or extra argument, or flags
 *   that do not go together.
 */
export function parseCommandLine(argv: readonly string[]): Invocation {
  const loose = parseArgs({ args: [...argv], options: ALL_OPTIONS, strict: false, allowPositionals: true });
  const first = loose.positionals[0];
  if (first === undefined) {
    if (loose.values['version'] === true && loose.values['help'] !== true) return { kind: 'version' };
    if (argv.length === 0 || loose.values['help'] === true) return { kind: 'help', topic: undefined };
    throw new UsageError(`no command given; commands: ${COMMANDS.join(', ')}`);
  }
  if (!isCommand(first)) {
    throw new UsageError(`unknown command ${JSON.stringify(first)}; commands: ${COMMANDS.join(', ')}`);
  }
  const command = first;
  const { values, positionals } = strictParse(argv, command);
  const args = positionals.slice(1);
  if (command === 'help') {
    const topic = args[0];
    if (args.length > 1 || (topic !== undefined && !isCommand(topic))) {
      throw new UsageError(`help takes one of: ${COMMANDS.join(', ')}`, 'help');
    }
    return { kind: 'help', topic };
  }
  if (values['help'] === true) return { kind: 'help', topic: command };
  const flags = readFlags(values, command);
  if (command === 'mark') return parseMark(args, flags);
  return { kind: 'run', command, orderId: orderIdFor(command, args, flags), flags };
}

function readFlags(values: Record<string, unknown>, command: CommandName): CommandFlags {
  const text = (name: string) => {
    const value = values[name];
    return typeof value === 'string' ? value : undefined;
  };
  const flag = (name: string) => values[name] === true;
  const optional = <T>(name: string, parse: (value: string) => T) => {
    const value = text(name);
    return value === undefined ? undefined : parse(value);
  };
  const flags: CommandFlags = {
    emulator: flag('emulator'),
    endpoint: text('endpoint'),
    timeoutMs: parseTimeout(text('timeout'), command),
    json: flag('json'),
    ledger: text('ledger'),
    retentionMs: optional('retention', (value) => parseDuration(value, '--retention', command)),
    status: text('status'),
    approver: flag('approver'),
    dryRun: flag('dry-run'),
    yes: flag('yes'),
    all: flag('all'),
    force: text('force'),
    cooldownMs: optional('cooldown', (value) => parseDuration(value, '--cooldown', command)),
    anyStatus: flag('any-status'),
    concurrency: optional('concurrency', (value) => parseCount(value, '--concurrency', 1, 16, command)),
    reason: text('reason'),
    order: optional('order', (value) => parseOrderId(value, command)),
  };
  if (flags.force !== undefined && flags.force.trim() === '') {
    throw new UsageError('--force needs a reason, e.g. --force "customer lost the email"', command);
  }
  if (flags.emulator && flags.endpoint !== undefined) {
    throw new UsageError('--emulator and --endpoint cannot be used together', command);
  }
  if (flags.ledger !== undefined && flags.ledger.trim() === '') {
    throw new UsageError('--ledger needs a file path or a redis:// or rediss:// URL', command);
  }
  return flags;
}

function parseMark(args: string[], flags: CommandFlags): Invocation {
  const [id, outcome, extra] = args;
  if (id === undefined || outcome === undefined) {
    throw new UsageError(
      '"mark" needs an order id and sent or not-sent, e.g. mark 4471203 sent --reason "…"',
      'mark',
    );
  }
  if (extra !== undefined)
    throw new UsageError(`unexpected argument ${JSON.stringify(extra)} for "mark"`, 'mark');
  const orderId = parseOrderId(id, 'mark');
  if (outcome !== 'sent' && outcome !== 'not-sent') {
    throw new UsageError(
      `"mark" records sent or not-sent, got ${JSON.stringify(outcome.slice(0, 40))}`,
      'mark',
    );
  }
  if (flags.reason === undefined || flags.reason.trim() === '') {
    throw new UsageError(
      `"mark" needs --reason: what you learned, e.g. --reason "admin@example.com confirmed it arrived"`,
      'mark',
    );
  }
  return { kind: 'run', command: 'mark', orderId, outcome, flags };
}

function orderIdFor(command: CommandName, args: string[], flags: CommandFlags): number | undefined {
  const extra = (from: number) => {
    if (args.length > from) {
      throw new UsageError(`unexpected argument ${JSON.stringify(args[from])} for "${command}"`, command);
    }
  };
  if (command === 'show' || (command === 'resend' && !flags.all)) {
    const id = args[0];
    if (id === undefined) {
      const what = command === 'resend' ? 'an order id (or --all --status <name>)' : 'an order id';
      throw new UsageError(`"${command}" needs ${what}`, command);
    }
    extra(1);
    if (command === 'resend' && flags.status !== undefined) {
      throw new UsageError('--status goes with --all; to resend one order give only its id', command);
    }
    if (command === 'resend' && flags.concurrency !== undefined) {
      throw new UsageError('--concurrency goes with --all', command);
    }
    return parseOrderId(id, command);
  }
  extra(0);
  if (command === 'resend' && flags.status === undefined) {
    throw new UsageError('--all needs --status <name>, e.g. --all --status Approved', command);
  }
  return undefined;
}
