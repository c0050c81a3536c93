import { api, segment } from '../../lib/api.js';
import { messageOf } from '../../lib/errors.js';

export const SECRET_KEY_SCOPES = ['admin', 'console', 'profiles:read'] as const;
export type SecretKeyScope = (typeof SECRET_KEY_SCOPES)[number];

/** A key as `GET /v1/admin/keys` lists it: never its secret. */
export interface ApiKeySummary {
  id: string;
  type: 'write' | 'secret';
  name: string;
  sourceId: string;
  scopes: SecretKeyScope[];
  allowedOrigins: string[];
  prefix: string;
  createdAt: string;
  revokedAt?: string;
}

/** `POST /v1/admin/keys` answers with the secret, this once. */
export interface CreatedApiKey extends ApiKeySummary {
  key: string;
}

export interface NewApiKey {
  type: 'write' | 'secret';
  name: string;
  scopes: SecretKeyScope[];
  allowedOrigins: string[];
}

/** The write and secret keys of the workspace. */
export class ApiKeys {
  keys = $state.raw<ApiKeySummary[]>([]);
  loaded = $state(false);
  error = $state<string>();
  /** The key just created, with its secret, until the operator dismisses it. */
  created = $state.raw<CreatedApiKey>();

  async load(): Promise<void> {
    try {
      const { keys } = await api.get<{ keys: ApiKeySummary[] }>('/v1/admin/keys');
      // Active keys first, newest first: the ones an operator is looking for.
      this.keys = [...keys].sort(
        (a, b) =>
          Number(Boolean(a.revokedAt)) - Number(Boolean(b.revokedAt)) ||
          b.createdAt.localeCompare(a.createdAt),
      );
      this.error = undefined;
    } catch (error) {
      this.error = messageOf(error);
    } finally {
      this.loaded = true;
    }
  }

  /** Throws the API's error for the form to show. */
  async create(input: NewApiKey): Promise<void> {
    const body =
      input.type === 'secret'
        ? { type: input.type, name: input.name, scopes: input.scopes }
        : { type: input.type, name: input.name, allowedOrigins: input.allowedOrigins };
    this.created = await api.post<CreatedApiKey>('/v1/admin/keys', body);
    await this.load();
  }

  async revoke(id: string): Promise<void> {
    try {
      await api.del<ApiKeySummary>(`/v1/admin/keys/${segment(id)}`);
      await this.load();
    } catch (error) {
      this.error = messageOf(error);
    }
  }

  dismissSecret(): void {
    this.created = undefined;
  }
}
