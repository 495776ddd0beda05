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

/** Asks yes/no questions. */
export interface Prompter {
  /** Writes `question` and resolves `true` only for an answer of `y` or `yes` (any case). */
  ask(question: string, signal?: AbortSignal): Promise<boolean>;
  /** Releases the input. Idempotent. */
  close(): void;
}

const YES = /^\s*y(es)?\s*$/i;

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
        return false;
      }
      return YES.test(line.value);
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
      return true;
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
      if (mode === 'ask')
        output.write(`${options.compact} ${commonName} (${status}): ${email} to ${recipient}\n`);
    } else {
      output.write(
        `Order:        ${context.orderId}\n` +
          `Common name:  ${commonName}\n` +
          `Status:       ${status}\n` +
          `Recipient:    ${recipient}  (the order's approver address; the CA sends the ${email} here)\n`,
      );
    }
    switch (mode) {
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
        return prompter.ask(`Send the ${email} to ${recipient}? [y/N] `, context.signal);
      }
    }
  };
  return { hook, record };
}
