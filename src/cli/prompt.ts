/**
 * The confirmation prompt, and the SDK confirm hook built on it. The hook prints what the send will
 * do (recipient, common name, status) and then, depending on the mode, asks, says yes, or refuses.
 *
 * @module
 */
import { createInterface } from 'node:readline/promises';
import type { ConfirmContext, ConfirmHook } from '../index.js';
import type { TextSink } from './io.js';
import { clean } from './table.js';

/**
 * An answer: `yes` only for `y`/`yes` (any case); `all` (`a`) and `quit` (`q`) mean something only in
 * `resend --all`; anything else, and end of input, is `no`.
 */
export type Answer = 'yes' | 'no' | 'all' | 'quit';

/** Asks questions. */
export interface Prompter {
  /** Writes `question` and resolves the answer. */
  ask(question: string, signal?: AbortSignal): Promise<Answer>;
  /** Releases the input. Idempotent. */
  close(): void;
}

/** Reads one answer line. */
export function parseAnswer(line: string): Answer {
  const word = line.trim().toLowerCase();
  if (word === 'y' || word === 'yes') return 'yes';
  if (word === 'a' || word === 'all') return 'all';
  if (word === 'q' || word === 'quit') return 'quit';
  return 'no';
}

/**
 * Reads answers from `input`, one line each. The input is only touched on the first question, so a
 * command that never asks leaves stdin alone. End of input counts as "no".
 */
export function terminalPrompter(input: NodeJS.ReadableStream, output: TextSink): Prompter {
  let lines: AsyncIterator<string> | undefined;
  let close: (() => void) | undefined;
  return {
    async ask(question, signal) {
      output.write(question);
      if (!lines) {
        // terminal: false keeps the tty in cooked mode: the kernel echoes and Ctrl-C stops the process.
        const rl = createInterface({ input, terminal: false });
        lines = rl[Symbol.asyncIterator]();
        close = () => rl.close();
      }
      const next = lines.next();
      const aborted = new Promise<never>((_, reject) => {
        signal?.throwIfAborted();
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
      const line = await Promise.race([next, aborted]);
      if (line.done) {
        output.write('\n');
        return 'no';
      }
      return parseAnswer(line.value);
    },
    close() {
      close?.();
      close = undefined;
    },
  };
}

/** Answers every question with `y` by itself, and says so on `output` (the demo). */
export function autoPrompter(output: TextSink, note: string): Prompter {
  return {
    async ask(question) {
      output.write(`${question}y   (${note})\n`);
      return 'yes';
    },
    close() {},
  };
}

/** How the confirm hook decides. */
export type ConfirmMode =
  /** Ask with the prompter. */
  | 'ask'
  /** `--yes`: send without asking. */
  | 'yes'
  /** `--dry-run`: nothing will be sent, so nothing to ask. */
  | 'dry-run'
  /** No terminal and no `--yes`: refuse, and say how to send. */
  | 'refuse';

/** Options of {@link cliConfirm}. */
export interface CliConfirmOptions {
  mode: ConfirmMode;
  /** Used in mode `ask`. */
  prompter: Prompter | undefined;
  /** Where the order summary and the question go. */
  output: TextSink;
  /**
   * For `resend --all`: a line prefix such as `[2/9] order 4471877`. The order is then summed up in
   * one line, and only when a person is asked (the progress line reports the rest).
   */
  compact?: string | undefined;
  /**
   * For `resend --all` on a terminal: offers `all` (send this and the rest without asking) and `quit`
   * (send nothing more); the answers are kept here for the next orders.
   */
  batch?: BatchAnswers | undefined;
}

/** What a person answered so far in `resend --all`. */
export interface BatchAnswers {
  /** Answered `all`: the remaining orders are sent without asking. */
  all: boolean;
  /** Answered `quit`: nothing more is sent. */
  quit: boolean;
}

/** What the hook saw, for the caller to pick an exit code. */
export interface ConfirmRecord {
  /** The hook refused because nobody could be asked (mode `refuse`). */
  refused: boolean;
  /** The last context the hook was shown. */
  context: ConfirmContext | undefined;
}

/** `FulfillmentEmail` → `fulfillment email`, `ApproverEmail` → `approval email`. */
export function emailLabel(emailType: string): string {
  return emailType === 'ApproverEmail' ? 'approval email' : 'fulfillment email';
}

/**
 * Builds the SDK confirm hook the CLI uses for every send: it prints the recipient (the order's
 * approver address), the common name and the status, then decides according to `mode`.
 */
export function cliConfirm(options: CliConfirmOptions): { hook: ConfirmHook; record: ConfirmRecord } {
  const record: ConfirmRecord = { refused: false, context: undefined };
  const { output, mode, prompter } = options;
  const hook: ConfirmHook = async (context) => {
    record.context = context;
    const recipient = clean(context.recipient);
    const commonName = clean(context.commonName ?? '(no common name)');
    const status = clean(context.status ?? '(no status)');
    const email = emailLabel(context.emailType);
    if (options.compact !== undefined) {
      if (mode === 'ask' && !options.batch?.all && !options.batch?.quit)
        output.write(`${options.compact} ${commonName} (${status}): ${email} to ${recipient}\n`);
    } else {
      output.write(
        `Order:        ${context.orderId}\n` +
          `Common name:  ${commonName}\n` +
          `Status:       ${status}\n` +
          `Recipient:    ${recipient}  (the order's approver address; the CA sends the ${email} here)\n`,
      );
    }
    const batch = options.batch;
    if (batch?.quit) return false;
    switch (batch?.all ? 'yes' : mode) {
      case 'dry-run':
      case 'yes':
        return true;
      case 'refuse':
        record.refused = true;
        output.write(
          `Not sent: stdin is not a terminal, so nobody can confirm. Re-run with --yes to send the ${email} to ${recipient}.\n`,
        );
        return false;
      case 'ask': {
        if (!prompter) return false;
        const choices = batch ? '[y/N/all/quit]' : '[y/N]';
        const answer = await prompter.ask(`Send the ${email} to ${recipient}? ${choices} `, context.signal);
        if (batch && answer === 'all') batch.all = true;
        if (batch && answer === 'quit') batch.quit = true;
        return answer === 'yes' || (batch !== undefined && answer === 'all');
      }
    }
  };
  return { hook, record };
}
