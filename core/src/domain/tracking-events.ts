import type { CallType } from '@uspa/sdk';

/** Interaction event types, one per Segment-spec call (design §4). Names never change meaning. */
export const CALL_EVENT_TYPES: Readonly<Record<CallType, string>> = {
  track: 'Tracked',
  identify: 'Identified',
  page: 'PageViewed',
  screen: 'ScreenViewed',
  group: 'GroupAssociated',
  alias: 'Aliased',
};

export const CALL_TYPES = Object.keys(CALL_EVENT_TYPES) as CallType[];

export const WEBHOOK_RECEIVED = 'WebhookReceived';
export const INGESTION_REJECTED = 'IngestionRejected';

/** Version of the interaction events' data shape; a new shape gets a new number and an upcaster. */
export const TRACKING_SCHEMA_VERSION = 1;
