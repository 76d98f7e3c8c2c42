// Which privacy mode a request gets. `auto` (the default): text that stays on this machine
// (a loopback server) goes as written; text for any other server is pseudonymized. A Vertex AI
// endpoint's address is never "this machine", even on loopback: it is a proxy to Google's
// servers (the auth proxies people run on localhost), so the text leaves all the same.

import { vertexEndpoint } from '../server/vertex';

export const PRIVACY_MODES = ['off', 'warn', 'pseudonymize'] as const;
export type PrivacyMode = (typeof PRIVACY_MODES)[number];
export type PrivacySetting = PrivacyMode | 'auto';

export function isPrivacySetting(v: unknown): v is PrivacySetting {
  return v === 'auto' || (PRIVACY_MODES as readonly unknown[]).includes(v);
}

/** True for localhost, 127.0.0.0/8 and ::1: a server on this machine. */
export function isLoopback(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (host === 'localhost' || host.endsWith('.localhost') || host === '[::1]') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Text sent to this server stays on this machine: a loopback address that is not a Vertex endpoint's. */
export function staysOnMachine(url: string): boolean {
  return isLoopback(url) && !vertexEndpoint(url);
}

export function resolveMode(setting: PrivacySetting | undefined, serverUrl: string): PrivacyMode {
  if (setting && setting !== 'auto') return setting;
  return staysOnMachine(serverUrl) ? 'off' : 'pseudonymize';
}
