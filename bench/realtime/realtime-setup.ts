/** What the processes of the realtime benchmark agree on: keys, the bench segment, visitor ids. */
export const WRITE_KEY = 'uspa_wk_bench_write_key_0123456789';
export const ADMIN_KEY = 'uspa_sk_bench_admin_key_0123456789';

/** Viewing a plan moves a visitor into this segment; its members get another hero. */
export const PLAN_VIEWERS_SEGMENT = 'bench-plan-viewers';
export const HERO_SLOT = 'hero';
export const PAGE_URL = 'https://shop.example.com/pricing';

/** Visitor `n`: the first `--clients` of them are connected, the others only send events. */
export function visitorId(n: number): string {
  return `bench-visitor-${n}`;
}

/**
 * Milliseconds on a clock every process on this machine shares: a push received by the visitor
 * process and a response received by the load process are compared on it.
 */
export function sharedNow(): number {
  return performance.timeOrigin + performance.now();
}
