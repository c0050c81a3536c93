import { api, ApiError } from './api.js';

/** Who is signed in: the secret key the session cookie stands for. */
export interface ConsoleIdentity {
  keyId: string;
  name: string;
  scopes: string[];
}

export type SessionState = 'checking' | 'signed-out' | 'signed-in' | 'unreachable';

const SESSION_PATH = '/v1/console/session';

/**
 * The console session. The secret key is exchanged once for an HttpOnly cookie, so the page never
 * keeps the key itself; at start the cookie is asked about, and a 401 anywhere means sign in again.
 */
export class ConsoleSession {
  state = $state<SessionState>('checking');
  identity = $state<ConsoleIdentity | undefined>();
  /** Why the server could not be asked, when `state` is `unreachable`. */
  problem = $state<string | undefined>();

  async check(): Promise<void> {
    this.state = 'checking';
    try {
      this.#signedIn(await api.get<ConsoleIdentity>(SESSION_PATH));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) this.#signedOut();
      else this.#unreachable(error);
    }
  }

  /** Throws the API's error (401 for a wrong key) for the sign-in form to show. */
  async signIn(key: string): Promise<void> {
    this.#signedIn(await api.post<ConsoleIdentity>(SESSION_PATH, { key }));
  }

  async signOut(): Promise<void> {
    try {
      await api.del(SESSION_PATH);
    } finally {
      // Even if the server is gone, the page must stop showing data as if signed in.
      this.#signedOut();
    }
  }

  /**
   * Pages call this with any error they meet: a 401 means the cookie expired or the key was
   * revoked, and the sign-in page replaces the console.
   */
  notice(error: unknown): void {
    if (error instanceof ApiError && error.status === 401 && this.state === 'signed-in') {
      this.#signedOut();
    }
  }

  #signedIn(identity: ConsoleIdentity): void {
    this.identity = identity;
    this.problem = undefined;
    this.state = 'signed-in';
  }

  #signedOut(): void {
    this.identity = undefined;
    this.state = 'signed-out';
  }

  #unreachable(error: unknown): void {
    this.problem = error instanceof Error ? error.message : String(error);
    this.state = 'unreachable';
  }
}

export const session = new ConsoleSession();
