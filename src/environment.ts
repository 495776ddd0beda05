/**
 * Options from the environment and the slcli config file, as IBM Cloud users already have them.
 * Precedence, field by field as slcli merges them: explicit options > environment > file, then
 * IBMCLOUD_API_KEY / IC_API_KEY (which slcli ignores, so a stale one cannot shadow a working file).
 *
 * @module
 */
import { type Auth, withOrigin } from './auth.js';
import { InvalidArgumentError } from './errors.js';
import { resolveBaseUrl } from './internal/endpoint.js';
import { DEFAULTS, type SslOrdersClientOptions } from './options.js';

/** Where {@link SslOrdersClient.fromEnv} looks; both default to the real ones. */
export interface EnvironmentSource {
  /** Environment variables. Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Path of the slcli config file, or `false` to skip it. Default `~/.softlayer`. */
  configFile?: string | false;
}

/** One value the user set, and where: `SL_API_KEY`, or `~/.softlayer api_key`. */
interface Setting {
  value: string;
  where: string;
}

// Node-only modules are fetched at run time so that browser and edge bundles never see them.
interface NodeModules {
  readFileSync(path: string, encoding: 'utf8'): string;
  homedir(): string;
  join(...parts: string[]): string;
}

function nodeModules(): NodeModules | undefined {
  const processLike = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const load = processLike?.getBuiltinModule;
  if (typeof load !== 'function') return undefined;
  const fs = load('node:fs') as { readFileSync: NodeModules['readFileSync'] };
  const os = load('node:os') as { homedir: () => string };
  const path = load('node:path') as { join: (...parts: string[]) => string };
  return { readFileSync: fs.readFileSync, homedir: os.homedir, join: path.join };
}

/** Parses the `[softlayer]` section of an INI file. */
export function parseSlcliConfig(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  let inSection = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      inSection = section[1]?.trim().toLowerCase() === 'softlayer';
      continue;
    }
    const pair = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
    if (inSection && pair?.[1] && pair[2] !== undefined) values[pair[1].toLowerCase()] = pair[2].trim();
  }
  return values;
}

function secondsToMs({ value, where }: Setting): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 2_147_483) {
    throw new InvalidArgumentError(
      where,
      `${where} must be a number of seconds (0: the default), got ${JSON.stringify(value)}`,
    );
  }
  return Math.round(seconds * 1000);
}

// slcli defaults to the XML-RPC endpoint; this SDK speaks REST at the same host.
function restEndpoint(url: string): string {
  return url.replace(/\/xmlrpc\/v3(\.1)?\/?$/, '/rest/v3.1/');
}

/**
 * Checks an endpoint here, where the name the user set it under is known (the client would call it
 * `baseUrl`). The client's own check decides.
 */
function checkEndpoint({ value, where }: Setting): string {
  try {
    return resolveBaseUrl(restEndpoint(value), DEFAULTS);
  } catch {
    // Never the value itself: a URL may hold a password.
    throw new InvalidArgumentError(
      where,
      `${where} is not a usable endpoint (https, or http on loopback; no credentials, query or fragment), e.g. ${DEFAULTS.baseUrl}`,
    );
  }
}

/** The credential, merged field by field, and where each part came from. */
function credential(
  username: Setting | undefined,
  apiKey: Setting | undefined,
  cloudKey: Setting | undefined,
): Auth | undefined {
  if (username && apiKey) {
    const names = { username: username.where, apiKey: apiKey.where, ibmCloudApiKey: apiKey.where };
    const auth =
      username.value === 'apikey'
        ? { ibmCloudApiKey: apiKey.value }
        : { username: username.value, apiKey: apiKey.value };
    return withOrigin(auth, { names, source: `${username.where} + ${apiKey.where}` });
  }
  return cloudKey
    ? withOrigin(
        { ibmCloudApiKey: cloudKey.value },
        { names: { ibmCloudApiKey: cloudKey.where }, source: cloudKey.where },
      )
    : undefined;
}

/**
 * Merges explicit options over the environment over the slcli file.
 *
 * @throws {@link InvalidArgumentError} when no credential is found anywhere, naming every place searched.
 */
export function loadEnvironmentOptions(
  overrides: Partial<SslOrdersClientOptions>,
  source: EnvironmentSource = {},
): SslOrdersClientOptions {
  if (typeof overrides !== 'object' || overrides === null) {
    throw new InvalidArgumentError('overrides', 'fromEnv overrides must be an options object');
  }
  if (typeof source !== 'object' || source === null) {
    throw new InvalidArgumentError('source', 'fromEnv source must be { env?, configFile? }');
  }
  if (source.env !== undefined && (typeof source.env !== 'object' || source.env === null)) {
    throw new InvalidArgumentError('source.env', 'source.env must be an object of variables');
  }
  if (
    source.configFile !== undefined &&
    source.configFile !== false &&
    typeof source.configFile !== 'string'
  ) {
    throw new InvalidArgumentError('source.configFile', 'source.configFile must be a path or false');
  }
  const processEnv =
    (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
  const env = source.env ?? processEnv;
  const modules = nodeModules();
  let filePath: string | undefined;
  let shownPath = '';
  let file: Record<string, string> | undefined;
  if (source.configFile !== false && modules) {
    const home = modules.homedir();
    filePath = source.configFile ?? modules.join(home, '.softlayer');
    // Messages say ~/.softlayer, as slcli's docs do, rather than a home directory's full path.
    const inHome = home !== '' && /^[/\\]/.test(filePath.slice(home.length)) && filePath.startsWith(home);
    shownPath = inHome ? `~${filePath.slice(home.length)}` : filePath;
    try {
      file = parseSlcliConfig(modules.readFileSync(filePath, 'utf8'));
    } catch {
      // No file: the message below says so.
    }
  }
  // Field by field, as slcli merges: the first variable set, else the file's key. A timeout of 0 is
  // slcli's "no timeout" (`slcli setup` writes it): not set, so the next place or the default applies.
  const setting = (names: string[], key: string): Setting | undefined => {
    const usable = (value: string | undefined): value is string =>
      !!value && !(key === 'timeout' && Number(value) === 0 && value.trim() !== '');
    const name = names.find((candidate) => usable(env[candidate]));
    if (name !== undefined) return { value: env[name] as string, where: name };
    const value = file?.[key];
    return usable(value) ? { value, where: `${shownPath} ${key}` } : undefined;
  };
  const username = setting(['SL_USERNAME', 'SOFTLAYER_USERNAME'], 'username');
  const apiKey = setting(['SL_API_KEY', 'SOFTLAYER_API_KEY'], 'api_key');
  // slcli ignores these two, so they rank after everything slcli reads.
  const cloudKey = setting(['IBMCLOUD_API_KEY', 'IC_API_KEY'], '');
  const auth = overrides.auth ?? credential(username, apiKey, cloudKey);
  if (!auth) {
    let fileNote: string;
    if (filePath) {
      fileNote = `${shownPath} ([softlayer] username + api_key: ${file ? 'not set' : 'file not found'})`;
    } else {
      fileNote =
        source.configFile === false ? 'no config file (configFile: false)' : 'no config file (not on Node)';
    }
    const half = username ?? apiKey;
    const note = half ? ` Note: ${half.where} is set, but no ${username ? 'API key' : 'user name'}.` : '';
    throw new InvalidArgumentError(
      'auth',
      `no SoftLayer credentials found. Looked in: the auth option; SL_USERNAME + SL_API_KEY (or SOFTLAYER_USERNAME + SOFTLAYER_API_KEY); ${fileNote}, field by field with them; IBMCLOUD_API_KEY; IC_API_KEY.${note} Set one of them, or run \`slcli setup\`.`,
    );
  }
  const merged: SslOrdersClientOptions = { ...overrides, auth };
  // Converted only when chosen, so a shadowed bad value is harmless.
  const endpoint = setting(['SL_ENDPOINT_URL', 'SOFTLAYER_ENDPOINT_URL'], 'endpoint_url');
  if (overrides.baseUrl === undefined && endpoint) merged.baseUrl = checkEndpoint(endpoint);
  const timeout = setting(['SL_TIMEOUT', 'SOFTLAYER_TIMEOUT'], 'timeout');
  if (overrides.timeout === undefined && timeout) merged.timeout = secondsToMs(timeout);
  return merged;
}
