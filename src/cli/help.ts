/**
 * `--help` texts for the program and each command.
 *
 * @module
 */
import type { CommandName } from './args.js';
import { EXIT_CODE_HELP } from './exit-codes.js';

const GLOBAL_FLAGS = `Global flags:
  --emulator            run against a fresh embedded emulator (demo data; no account, no real email)
  --endpoint <url>      REST endpoint, e.g. https://api.service.softlayer.com/rest/v3.1/ (private network)
  --timeout <seconds>   per-request timeout (default 30)
  -h, --help            show help`;

const CREDENTIALS = `Credentials (as slcli finds them): SL_USERNAME + SL_API_KEY (classic API key), or
IBMCLOUD_API_KEY / IC_API_KEY (IBM Cloud API key), or ~/.softlayer ([softlayer] username, api_key).
SL_ENDPOINT_URL and SL_TIMEOUT (seconds) are honoured too.`;

const PROGRAM = `ssl-orders: list IBM Cloud classic (SoftLayer) SSL certificate orders and have the certificate
authority re-send an order's email, asking before anything is sent.

Usage:
  ssl-orders list [--status <name>] [--json]
  ssl-orders show <id> [--json]
  ssl-orders resend <id> [--approver] [--dry-run] [--yes] [--force <reason>]
  ssl-orders resend --all --status <name> [--approver] [--dry-run] [--yes] [--force <reason>]
  ssl-orders demo
  ssl-orders help [command]

Commands:
  list     the account's SSL orders, oldest expiration first
  show     every field of one order
  resend   have the CA send the fulfillment (certificate) email again, or with --approver the
           approval email; shows the recipient and asks first
  demo     the whole job against an embedded emulator, in one command

${GLOBAL_FLAGS}

${CREDENTIALS}

${EXIT_CODE_HELP}

Run 'ssl-orders <command> --help' for a command's flags.`;

const LIST = `Usage: ssl-orders list [--status <name>] [--json] [global flags]

Lists the account's SSL certificate orders as a table sorted by expiration date, oldest first (as the
IBM Cloud console sorts them), with the columns id, common name, status, expires and approver.

Flags:
  --status <name>   only orders in this status, e.g. Approved, Complete, "Pending CA Approval", Canceled
  --json            print the orders as a JSON array (same order) instead of a table

${GLOBAL_FLAGS}

Example:
  ssl-orders list --status Approved`;

const SHOW = `Usage: ssl-orders show <id> [--json] [global flags]

Prints every field of one SSL order.

Flags:
  --json   print the order as JSON

${GLOBAL_FLAGS}

Example:
  ssl-orders show 4471203`;

const RESEND = `Usage:
  ssl-orders resend <id> [--approver] [--dry-run] [--yes] [--force <reason>] [global flags]
  ssl-orders resend --all --status <name> [--approver] [--dry-run] [--yes] [--force <reason>]

Has the certificate authority send an order's email again. The order is read first; its recipient
(the approver address), common name and status are printed, then on a terminal you are asked
"Send the fulfillment email to <address>? [y/N]". Anything but y/yes declines. Without a terminal
(a pipe, cron, CI) nothing is sent unless --yes is given.

A send is never retried once it may have reached the API: if no clear answer comes back, the command
says the email may or may not have been sent and exits with 4; check with the recipient.

Flags:
  --approver        send the approval email (orders "Pending CA Approval") instead of the
                    fulfillment email (orders "Approved" or "Complete")
  --dry-run         read and check everything, print the request, send nothing
  -y, --yes         do not ask; send (needed when stdin is not a terminal)
  --force <reason>  send even if this email was sent moments ago; the reason is recorded
  --all             every order in --status (required with --all); a progress line per order on
                    stderr and a summary at the end (sent/declined/failed/unknown/skipped)
  --status <name>   with --all: which orders, e.g. Approved

${GLOBAL_FLAGS}

${EXIT_CODE_HELP}
With --all the exit code is the worst outcome: 4 if any unknown, else 1 if any failed, else 3 if any
declined, else 0.

Examples:
  ssl-orders resend 4471203
  ssl-orders resend 4471203 --dry-run
  ssl-orders resend --all --status Approved --yes`;

const DEMO = `Usage: ssl-orders demo

Starts an embedded emulator of the SoftLayer API (demo orders, no account, no real email), lists its
orders, resends one Approved order's fulfillment email through the same confirmation prompt as
'resend' (answered 'y' automatically, and saying so), prints the emulator's outbox, and stops.

Same as: npm run demo`;

const HELP = `Usage: ssl-orders help [command]

Shows the help of the program or of one command (list, show, resend, demo).`;

const TEXTS: Record<CommandName, string> = { list: LIST, show: SHOW, resend: RESEND, demo: DEMO, help: HELP };

/** The help text of the program (no topic) or of one command. */
export function helpText(topic: CommandName | undefined): string {
  return `${topic === undefined ? PROGRAM : TEXTS[topic]}\n`;
}
