import type { MinuteCount } from '../../lib/console-socket.js';

/** `GET /v1/admin/stats`: the numbers of the overview. */
export interface AdminStats {
  events: { total: number; byType: Record<string, number> };
  topEventNames: { name: string; count: number }[];
  /** The last 60 minutes. */
  perMinute: MinuteCount[];
  rejections: { total: number };
  deadLetters: { projections: number; plugins: number };
  projections: { name: string; lagEvents: number; lagSeconds: number; state: string }[];
}

/** The projection furthest behind, which is what the lag card reports. */
export function worstLag(stats: AdminStats): AdminStats['projections'][number] | undefined {
  return stats.projections.reduce<AdminStats['projections'][number] | undefined>(
    (worst, projection) =>
      !worst ||
      projection.lagEvents > worst.lagEvents ||
      (projection.lagEvents === worst.lagEvents && projection.lagSeconds > worst.lagSeconds)
        ? projection
        : worst,
    undefined,
  );
}
