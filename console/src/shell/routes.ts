import type { Component } from 'svelte';
import ContentRulesPage from '../pages/content/ContentRulesPage.svelte';
import LiveEventsPage from '../pages/live/LiveEventsPage.svelte';
import OverviewPage from '../pages/overview/OverviewPage.svelte';
import PluginsPage from '../pages/plugins/PluginsPage.svelte';
import ProfilesPage from '../pages/profiles/ProfilesPage.svelte';
import ProjectionsPage from '../pages/projections/ProjectionsPage.svelte';
import SegmentsPage from '../pages/segments/SegmentsPage.svelte';
import SettingsPage from '../pages/settings/SettingsPage.svelte';

/** One entry of the navigation: a page owns every path under its first segment. */
export interface ConsoleSection {
  /** First path segment (`profiles` for `#/profiles/user_id%3A42`); empty for the overview. */
  section: string;
  label: string;
  page: Component;
}

export const SECTIONS: readonly ConsoleSection[] = [
  { section: '', label: 'Overview', page: OverviewPage },
  { section: 'live', label: 'Live events', page: LiveEventsPage },
  { section: 'profiles', label: 'Profiles', page: ProfilesPage },
  { section: 'segments', label: 'Segments', page: SegmentsPage },
  { section: 'content', label: 'Content rules', page: ContentRulesPage },
  { section: 'plugins', label: 'Plugins', page: PluginsPage },
  { section: 'projections', label: 'Projections', page: ProjectionsPage },
  { section: 'settings', label: 'Settings', page: SettingsPage },
];

/** The section a route's path segments belong to, or undefined for an unknown path. */
export function sectionOf(parts: readonly string[]): ConsoleSection | undefined {
  const first = parts[0] ?? '';
  return SECTIONS.find((entry) => entry.section === first);
}

export const hrefOf = (entry: ConsoleSection): string => `#/${entry.section}`;
