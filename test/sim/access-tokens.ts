// Vertex AI bearer tokens: random, issued by the simulator (standing in for
// `gcloud auth print-access-token`), each good for a number of requests, so a test can make a
// token expire in the middle of a run without waiting an hour.

import { randomBytes } from 'node:crypto';

export type TokenCheck = 'ok' | 'missing' | 'unknown' | 'expired';

export class AccessTokens {
  /** Token -> requests it has served. */
  private readonly used = new Map<string, number>();

  issue(): string {
    // ya29. is how Google's OAuth access tokens start; the rest says it is not a real one.
    const token = `ya29.sim-${randomBytes(18).toString('base64url')}`;
    this.used.set(token, 0);
    return token;
  }

  /** Checks an Authorization header and, when the token is good, counts one use of it. */
  use(authorization: string | undefined, limit = Infinity): TokenCheck {
    const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
    if (!token) return 'missing';
    const n = this.used.get(token);
    if (n === undefined) return 'unknown';
    if (n >= limit) return 'expired';
    this.used.set(token, n + 1);
    return 'ok';
  }
}
