/**
 * Command-line parsing with node:util parseArgs: which command, its positionals and its flags.
 *
 * @module
 */
import { parseArgs } from 'node:util';

/** The commands of the bin. */
export const COMMANDS = ['list', 'show', 'resend', 'demo', 'help'] as const;
/** One of {@link COMMANDS}. */
export type CommandName = (typeof COMMANDS)[number];

/** A mistake on the command line: printed with a pointer to `--help`, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    /** The command whose help to point at, if known. */
    readonly command?: CommandName,
  ) {
    super(message);
  }
}

/** Flags shared by every command. */
export interface GlobalFlags {
  /** Run against a fresh embedded emulator instead of the real API. */
  emulator: boolean;
  /** REST endpoint URL, overriding SL_ENDPOINT_URL and ~/.softlayer. */
  endpoint: string | undefined;
  /** Per-request timeout in milliseconds (given in seconds on the command line). */
  timeoutMs: number | undefined;
}

/** Flags of `list`, `show` and `resend`; unused ones stay at their defaults. */
export interface CommandFlags extends GlobalFlags {
  json: boolean;
  status: string | undefined;
  approver: boolean;
  dryRun: boolean;
  yes: boolean;
  all: boolean;
  force: string | undefined;
}

/** What the command line asks for. */
export type Invocation =
  | { kind: 'help'; topic: CommandName | undefined }
  | { kind: 'version' }
  | { kind: 'run'; command: Exclude<CommandName, 'help'>; orderId: number | undefined; flags: CommandFlags };

type OptionSpec = { type: 'boolean' | 'string'; short?: string };

const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  help: { type: 'boolean', short: 'h' },
  emulator: { type: 'boolean' },
  endpoint: { type: 'string' },
  timeout: { type: 'string' },
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
  },
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

/** Parses an order id argument: digits only, positive. */
export function parseOrderId(text: string, command?: CommandName): number {
  const id = /^\d{1,15}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(id) || id <= 0) {
    throw new UsageError(
      `the order id must be a positive integer such as 4471203, got ${JSON.stringify(text.slice(0, 40))}`,
      command,
    );
  }
  return id;
}

function parseTimeout(text: string | undefined, command: CommandName): number | undefined {
  if (text === undefined) return undefined;
  const seconds = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!(seconds > 0) || seconds * 1000 > 2_147_483_647) {
    throw new UsageError(
      `--timeout takes a number of seconds greater than 0, got ${JSON.stringify(text)}`,
      command,
    );
  }
  return Math.max(1, Math.round(seconds * 1000));
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
    throw new UsageError('no command given; commands: list, show, resend, demo, help');
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
  const text = (name: string) => {
    const value = values[name];
    return typeof value === 'string' ? value : undefined;
  };
  const flag = (name: string) => values[name] === true;
  const flags: CommandFlags = {
    emulator: flag('emulator'),
    endpoint: text('endpoint'),
    timeoutMs: parseTimeout(text('timeout'), command),
    json: flag('json'),
    status: text('status'),
    approver: flag('approver'),
    dryRun: flag('dry-run'),
    yes: flag('yes'),
    all: flag('all'),
    force: text('force'),
  };
  if (flags.force !== undefined && flags.force.trim() === '') {
    throw new UsageError('--force needs a reason, e.g. --force "customer lost the email"', command);
  }
  if (flags.emulator && flags.endpoint !== undefined) {
    throw new UsageError('--emulator and --endpoint cannot be used together', command);
  }
  return { kind: 'run', command, orderId: orderIdFor(command, args, flags), flags };
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
    return parseOrderId(id, command);
  }
  extra(0);
  if (command === 'resend' && flags.status === undefined) {
    throw new UsageError('--all needs --status <name>, e.g. --all --status Approved', command);
  }
  return undefined;
}
