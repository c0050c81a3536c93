import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { session } from '../lib/session.svelte.js';
import SignInPage from './SignInPage.svelte';

/** The server's answer to `POST /v1/console/session`, recorded with what was asked. */
function answerSignIn(status: number, body: unknown) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchStub = vi.fn((url: string, init: RequestInit) => {
    calls.push({ url, init });
    const type = status >= 400 ? 'application/problem+json' : 'application/json';
    return Promise.resolve(
      new Response(JSON.stringify(body), { status, headers: { 'content-type': type } }),
    );
  });
  // A component test: the page is exercised through its real API client, with fetch answered here.
  vi.stubGlobal('fetch', fetchStub);
  return calls;
}

async function signInWith(key: string): Promise<void> {
  await fireEvent.input(screen.getByLabelText('Secret key'), { target: { value: key } });
  await fireEvent.submit(screen.getByRole('button', { name: 'Sign in' }).closest('form')!);
}

describe('SignInPage', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('asks for the secret key in a labelled password field', () => {
    render(SignInPage);
    const field = screen.getByLabelText('Secret key');
    expect(field.getAttribute('type')).toBe('password');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe(
      'Sign in to the USPA console',
    );
  });

  it("shows the API's reason when the key is refused", async () => {
    const calls = answerSignIn(401, {
      type: 'urn:uspa:problem:unauthorized',
      title: 'Unauthorized',
      status: 401,
      code: 'unauthorized',
      detail: 'This key is revoked',
    });
    render(SignInPage);

    await signInWith('  uspa_sk_wrong  ');

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('This key is revoked');
    expect(screen.getByLabelText('Secret key').getAttribute('aria-invalid')).toBe('true');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('/v1/console/session');
    expect(calls[0]!.init.method).toBe('POST');
    expect(JSON.parse(calls[0]!.init.body as string)).toEqual({ key: 'uspa_sk_wrong' });
    expect((calls[0]!.init.headers as Record<string, string>)['x-requested-with']).toBe(
      'uspa-console',
    );
    expect(session.state).not.toBe('signed-in');
  });

  it('explains a refusal that came without details', async () => {
    answerSignIn(401, {});
    render(SignInPage);

    await signInWith('uspa_sk_wrong');

    expect((await screen.findByRole('alert')).textContent).toMatch(/^That key was not accepted/);
  });

  it('does not call the server without a key', async () => {
    const calls = answerSignIn(200, {});
    render(SignInPage);

    await signInWith('   ');

    expect((await screen.findByRole('alert')).textContent).toBe('Enter a secret key.');
    expect(calls).toHaveLength(0);
  });

  it('signs the console in with the identity the server answers', async () => {
    answerSignIn(200, { keyId: 'key-1', name: 'Ops laptop', scopes: ['console', 'admin'] });
    render(SignInPage);

    await signInWith('uspa_sk_right');

    await vi.waitFor(() => expect(session.state).toBe('signed-in'));
    expect(session.identity).toEqual({
      keyId: 'key-1',
      name: 'Ops laptop',
      scopes: ['console', 'admin'],
    });
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
