// One source of credentials: something that yields the Authorization header value.
// Today: a static key (SecretStorage in VS Code, MEDGEMMA_API_KEY in the CLI).
// Later: a command printing a short-lived token (Vertex AI), cached until it expires.

export interface Credentials {
  /** The full header value ("Bearer ...") or undefined to send none. */
  authorization(): Promise<string | undefined>;
}

export const noCredentials: Credentials = { authorization: async () => undefined };

export function apiKeyCredentials(getKey: () => PromiseLike<string | undefined> | string | undefined): Credentials {
  return {
    async authorization() {
      const key = (await getKey())?.trim();
      return key ? `Bearer ${key}` : undefined;
    },
  };
}
