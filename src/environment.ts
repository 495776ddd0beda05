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

/** What one place (the environment, or the file) sets; each field is merged on its own, as slcli does. */
interface Found {
  username?: Setting | undefined;
  apiKey?: Setting | undefined;
  /** IBMCLOUD_API_KEY / IC_API_KEY: slcli ignores them, so they rank after everything slcli reads. */
  ibmCloudApiKey?: Setting | undefined;
  endpoint?: Setting | undefined;
  /** Seconds as written; converted only when chosen, so a shadowed bad value is harmless. */
  timeout?: Setting | undefined;
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

// `slcli setup` writes `timeout = 0`, which slcli reads as "no timeout": treat it as not set.
const unsetTimeout = (value: string) => Number(value) === 0 && value.trim() !== '';

function secondsToMs({ value, where }: Setting): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 2_147_483) {
    throw new InvalidArgumentError(
      where,
      `${where} must be a number of seconds greater than 0, got ${JSON.stringify(value)}; 0 or unset means the default, ${DEFAULTS.timeout / 1000} s`,
    );
  }
  return Math.round(seconds * 1000);
}

// slcli defaults to the XML-RPC endpoint; this SDK speaks REST at the same host.
function restEndpoint(url: string): string {
  return url.replace(/\/xmlrpc\/v3(\.1)?\/?$/, '/rest/v3.1/');
}

/**
 * Checks an endpoint here, where the name the user set it under is known: the client would call it
 * `baseUrl`. The client's own check decides; this only says which setting is wrong and why.
 */
function checkEndpoint({ value, where }: Setting): string {
  const fix = `set it to ${DEFAULTS.baseUrl}, or ${DEFAULTS.privateBaseUrl} on the private network`;
  let url: URL;
  try {
    url = new URL(restEndpoint(value));
  } catch {
    throw new InvalidArgumentError(where, `${where} is not a valid URL: ${fix}`);
  }
  try {
    return resolveBaseUrl(url.href, DEFAULTS);
  } catch {
    // Never the URL itself: it may hold a password.
    let why = 'it must use https (plain http only on loopback)';
    if (url.username || url.password) why = 'it must not contain a user name or password';
    else if (url.search || url.hash) why = 'it must not have a query or fragment';
    throw new InvalidArgumentError(where, `${where} (host ${url.hostname}) cannot be used: ${why}; ${fix}`);
  }
}

function fromVariables(env: Record<string, string | undefined>): Found {
  const pick = (...names: string[]): Setting | undefined => {
    const name = names.find((candidate) => {
      const value = env[candidate];
      return typeof value === 'string' && value !== '';
    });
    return name === undefined ? undefined : { value: env[name] as string, where: name };
  };
  const timeout = pick('SL_TIMEOUT', 'SOFTLAYER_TIMEOUT');
  return {
    username: pick('SL_USERNAME', 'SOFTLAYER_USERNAME'),
    apiKey: pick('SL_API_KEY', 'SOFTLAYER_API_KEY'),
    ibmCloudApiKey: pick('IBMCLOUD_API_KEY', 'IC_API_KEY'),
    endpoint: pick('SL_ENDPOINT_URL', 'SOFTLAYER_ENDPOINT_URL'),
    timeout: timeout && !unsetTimeout(timeout.value) ? timeout : undefined,
  };
}

function fromFile(path: string, shownPath: string, modules: NodeModules): Found | 'missing' {
  let text: string;
  try {
    text = modules.readFileSync(path, 'utf8');
  } catch {
    return 'missing';
  }
  const values = parseSlcliConfig(text);
  const setting = (key: string): Setting | undefined => {
    const value = values[key];
    return value ? { value, where: `${shownPath} ${key}` } : undefined;
  };
  const timeout = setting('timeout');
  return {
    username: setting('username'),
    apiKey: setting('api_key'),
    endpoint: setting('endpoint_url'),
    timeout: timeout && !unsetTimeout(timeout.value) ? timeout : undefined,
  };
}

/** The credential, merged field by field, and where each part came from. */
function credential(variables: Found, file: Found): Auth | undefined {
  const username = variables.username ?? file.username;
  const apiKey = variables.apiKey ?? file.apiKey;
  if (username && apiKey) {
    const source = `${username.where} + ${apiKey.where}`;
    if (username.value === 'apikey') {
      return withOrigin(
        { ibmCloudApiKey: apiKey.value },
        { names: { ibmCloudApiKey: apiKey.where }, source },
      );
    }
    return withOrigin(
      { username: username.value, apiKey: apiKey.value },
      { names: { username: username.where, apiKey: apiKey.where }, source },
    );
  }
  const cloudKey = variables.ibmCloudApiKey;
  if (cloudKey) {
    return withOrigin(
      { ibmCloudApiKey: cloudKey.value },
      { names: { ibmCloudApiKey: cloudKey.where }, source: cloudKey.where },
    );
  }
  return undefined;
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
  const variables = fromVariables(env);
  const modules = nodeModules();
  let filePath: string | undefined;
  let shownPath = '';
  let file: Found | 'missing' = 'missing';
  if (source.configFile !== false && modules) {
    const home = modules.homedir();
    filePath = source.configFile ?? modules.join(home, '.softlayer');
    // Messages say ~/.softlayer, as slcli's docs do, rather than a home directory's full path.
    const inHome = home !== '' && /^[/\\]/.test(filePath.slice(home.length)) && filePath.startsWith(home);
    shownPath = inHome ? `~${filePath.slice(home.length)}` : filePath;
    file = fromFile(filePath, shownPath, modules);
  }
  const fileFound: Found = file === 'missing' ? {} : file;
  const auth = overrides.auth ?? credential(variables, fileFound);
  if (!auth) {
    let fileNote: string;
    if (filePath) {
      const state = file === 'missing' ? 'file not found' : 'not set';
      fileNote = `${shownPath} ([softlayer] username + api_key: ${state})`;
    } else {
      fileNote =
        source.configFile === false ? 'no config file (configFile: false)' : 'no config file (not on Node)';
    }
    const fileField = (key: string) => (filePath ? `, ${shownPath} ${key}` : '');
    const half = variables.username ?? fileFound.username ?? variables.apiKey ?? fileFound.apiKey;
    const missing =
      (variables.username ?? fileFound.username)
        ? `API key (SL_API_KEY, SOFTLAYER_API_KEY${fileField('api_key')})`
        : `user name (SL_USERNAME, SOFTLAYER_USERNAME${fileField('username')})`;
    const note = half ? ` Note: ${half.where} is set, but there is no ${missing}.` : '';
    throw new InvalidArgumentError(
      'auth',
      `no SoftLayer credentials found. Looked in: the auth option; SL_USERNAME + SL_API_KEY (or SOFTLAYER_USERNAME + SOFTLAYER_API_KEY); ${fileNote}, field by field with them; IBMCLOUD_API_KEY; IC_API_KEY.${note} Set one of them, or run \`slcli setup\`.`,
    );
  }
  const merged: SslOrdersClientOptions = { ...overrides, auth };
  if (overrides.baseUrl === undefined) {
    const endpoint = variables.endpoint ?? fileFound.endpoint;
    if (endpoint !== undefined) merged.baseUrl = checkEndpoint(endpoint);
  }
  if (overrides.timeout === undefined) {
    const timeout = variables.timeout ?? fileFound.timeout;
    if (timeout !== undefined) merged.timeout = secondsToMs(timeout);
  }
  return merged;
}
