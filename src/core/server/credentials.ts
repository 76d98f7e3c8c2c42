// One source of credentials: something that yields the Authorization header value.
// A static key (SecretStorage in VS Code, MEDGEMMA_API_KEY in the CLI), or a command printing a
// short-lived token (Vertex AI, token-command.ts), which can be refreshed when the server refuses it.

export interface Credentials {
  /** The full header value ("Bearer ...") or undefined to send none. */
  authorization(): Promise<string | undefined>;
  /**
   * The server refused `refused` (the header value sent): forget that token so the next
   * authorization() fetches a new one (token sources only). A token fetched since is kept, so
   * requests refused together run the command once.
   */
  refresh?(refused?: string): void;
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
