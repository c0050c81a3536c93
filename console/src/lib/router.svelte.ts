/**
 * Hash routing for the console: `#/profiles/user_id%3A42?tab=timeline` → path
 * `/profiles/user_id%3A42`, parts `['profiles', 'user_id:42']`, query `{ tab: 'timeline' }`.
 * A hash keeps every page a static file the server can serve without knowing the routes.
 */
class Route {
  path = $state('/');
  query = $state<Record<string, string>>({});

  constructor() {
    if (typeof window !== 'undefined') {
      this.#read();
      window.addEventListener('hashchange', () => this.#read());
    }
  }

  /** The decoded path segments. */
  get parts(): string[] {
    return this.path
      .split('/')
      .filter(Boolean)
      .map((part) => decodeURIComponent(part));
  }

  #read(): void {
    const hash = window.location.hash.replace(/^#/, '') || '/';
    const [path, search = ''] = hash.split('?');
    this.path = path || '/';
    this.query = Object.fromEntries(new URLSearchParams(search));
  }
}

export const route = new Route();

/** Goes to a console path, e.g. `navigate('/segments/new')`. */
export function navigate(path: string, query: Record<string, string> = {}): void {
  const search = new URLSearchParams(query).toString();
  window.location.hash = `#${path}${search ? `?${search}` : ''}`;
}
