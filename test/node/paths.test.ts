/** defaultLedgerPath: the per-user state directory of each platform. */
import { describe, expect, it } from 'vitest';
import { defaultLedgerPath } from '../../src/node/index.js';

describe('defaultLedgerPath', () => {
  it('uses $XDG_STATE_HOME when it is absolute', () => {
    expect(defaultLedgerPath({ XDG_STATE_HOME: '/srv/state' }, 'linux', '/home/jane')).toBe(
      '/srv/state/softlayer-ssl-orders/ledger.json',
    );
    expect(defaultLedgerPath({ XDG_STATE_HOME: '/srv/state' }, 'darwin', '/Users/jane')).toBe(
      '/srv/state/softlayer-ssl-orders/ledger.json',
    );
  });

  it('falls back to ~/.local/state on Linux, ignoring a relative or empty XDG_STATE_HOME', () => {
    for (const env of [{}, { XDG_STATE_HOME: '' }, { XDG_STATE_HOME: 'state' }]) {
      expect(defaultLedgerPath(env, 'linux', '/home/jane')).toBe(
        '/home/jane/.local/state/softlayer-ssl-orders/ledger.json',
      );
    }
    expect(defaultLedgerPath({}, 'freebsd', '/home/jane')).toBe(
      '/home/jane/.local/state/softlayer-ssl-orders/ledger.json',
    );
  });

  it('uses ~/Library/Application Support on macOS', () => {
    expect(defaultLedgerPath({}, 'darwin', '/Users/jane')).toBe(
      '/Users/jane/Library/Application Support/softlayer-ssl-orders/ledger.json',
    );
  });

  it('uses %LOCALAPPDATA% on Windows, else <home>\\AppData\\Local', () => {
    expect(
      defaultLedgerPath({ LOCALAPPDATA: 'C:\\Users\\jane\\AppData\\Local' }, 'win32', 'C:\\Users\\jane'),
    ).toBe('C:\\Users\\jane\\AppData\\Local\\softlayer-ssl-orders\\ledger.json');
    expect(defaultLedgerPath({ XDG_STATE_HOME: '/srv/state' }, 'win32', 'C:\\Users\\jane')).toBe(
      'C:\\Users\\jane\\AppData\\Local\\softlayer-ssl-orders\\ledger.json',
    );
  });

  it('reads the real environment by default', () => {
    const expected = defaultLedgerPath(process.env, process.platform);
    expect(defaultLedgerPath()).toBe(expected);
    expect(expected).toMatch(/softlayer-ssl-orders[\\/]ledger\.json$/);
  });
});
