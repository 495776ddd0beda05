/**
 * Where the CLI keeps its send ledger by default: the per-user state directory of each platform.
 *
 * @module
 */
import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';

const APP_DIR = 'softlayer-ssl-orders';
const FILE_NAME = 'ledger.json';

/**
 * The default path of the send ledger file for this user:
 * - Windows: `%LOCALAPPDATA%\softlayer-ssl-orders\ledger.json` (else `<home>\AppData\Local\…`);
 * - elsewhere, when `XDG_STATE_HOME` is set to an absolute path: `$XDG_STATE_HOME/softlayer-ssl-orders/ledger.json`;
 * - macOS: `~/Library/Application Support/softlayer-ssl-orders/ledger.json`;
 * - otherwise: `~/.local/state/softlayer-ssl-orders/ledger.json`.
 *
 * A relative `XDG_STATE_HOME` is ignored, as the XDG Base Directory specification asks. The path is
 * only computed: nothing is created until the ledger first writes.
 *
 * @param env - the environment to read (`process.env` by default).
 * @param platform - the platform to answer for (`process.platform` by default).
 * @param home - the user's home directory (`os.homedir()` by default).
 * @returns an absolute file path.
 *
 * @example
 * ```ts
 * import { defaultLedgerPath, FileSendLedger } from 'softlayer-ssl-orders/node';
 * const ledger = new FileSendLedger({ path: defaultLedgerPath() });
 * console.log(defaultLedgerPath({ XDG_STATE_HOME: '/srv/state' }, 'linux', '/home/jane'));
 * // → /srv/state/softlayer-ssl-orders/ledger.json
 * ```
 */
export function defaultLedgerPath(
  env: Readonly<Record<string, string | undefined>> = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (platform === 'win32') {
    const local = env['LOCALAPPDATA'];
    const base = local && win32.isAbsolute(local) ? local : win32.join(home, 'AppData', 'Local');
    return win32.join(base, APP_DIR, FILE_NAME);
  }
  const state = env['XDG_STATE_HOME'];
  if (state && posix.isAbsolute(state)) return posix.join(state, APP_DIR, FILE_NAME);
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support', APP_DIR, FILE_NAME);
  return posix.join(home, '.local', 'state', APP_DIR, FILE_NAME);
}
