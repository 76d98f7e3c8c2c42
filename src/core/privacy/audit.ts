// The audit log: one JSON line per request that left (or was stopped at the gate) — when, for
// what, to which server and model, in which mode, how many identifiers of each type were
// found, how many bytes went. Never any text: a line says that a name went, not which.

import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Counts, Feature, Gated } from './gate';
import type { PrivacyMode } from './mode';

export interface AuditEntry {
  time: string;
  feature: Feature;
  /** Origin only (scheme, host, port): a path may hold a project or endpoint id. */
  server: string;
  model: string;
  mode: PrivacyMode;
  action: Gated['action'];
  /** Found, by type; null when the mode is off (nothing was looked for). */
  identifiers: Counts | null;
  /** UTF-8 bytes of the messages sent (0 when nothing was). */
  bytes: number;
}

export type AuditSink = (e: AuditEntry) => Promise<void>;

export function auditLine(e: AuditEntry): string {
  const ordered: AuditEntry = { time: e.time, feature: e.feature, server: e.server, model: e.model, mode: e.mode, action: e.action, identifiers: e.identifiers, bytes: e.bytes };
  return `${JSON.stringify(ordered)}\n`;
}

/**
 * Appends to a file, one line at a time in call order, creating it (owner-only) and its folder.
 * A line that cannot be written fails the request before anything is sent.
 */
export function auditFile(path: string): AuditSink {
  let chain: Promise<void> = Promise.resolve();
  let made = false;
  return (e) => {
    const next = chain.then(async () => {
      if (!made) {
        await mkdir(dirname(path), { recursive: true });
        made = true;
      }
      await appendFile(path, auditLine(e), { encoding: 'utf8', mode: 0o600 });
    });
    chain = next.catch(() => {});
    return next;
  };
}
