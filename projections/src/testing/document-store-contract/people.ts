import type {
  CollectionMapping,
  Document,
  DocumentPage,
  DocumentWrite,
} from '../../ports/document-store.port.js';

/** Profiles with every field type, arrays, nested objects, missing fields and non-ASCII text. */
export const PEOPLE: CollectionMapping = {
  fields: {
    name: 'text',
    bio: 'text',
    email: 'keyword',
    plan: 'keyword',
    tags: 'keyword',
    'address.city': 'keyword',
    visits: 'number',
    signedUpAt: 'date',
    active: 'boolean',
  },
};

export const PEOPLE_DOCS: Readonly<Record<string, Document>> = {
  p1: {
    name: 'Ada Lovelace',
    bio: 'Wrote the first program for the Analytical Engine',
    email: 'ada@example.com',
    plan: 'pro',
    tags: ['math', 'poetry'],
    address: { city: 'London' },
    visits: 12,
    signedUpAt: '2024-01-15T10:00:00Z',
    active: true,
  },
  p2: {
    name: 'Grace Hopper',
    bio: 'Invented the first compiler and machine-independent languages',
    email: 'grace@example.org',
    plan: 'enterprise',
    tags: ['navy', 'compilers', 'math'],
    address: { city: 'New York' },
    visits: 40,
    signedUpAt: '2024-03-01T00:00:00.000Z',
    active: true,
  },
  p3: {
    name: 'Alan Turing',
    bio: 'Broke codes and imagined the universal machine',
    email: 'alan@example.co.uk',
    plan: 'free',
    tags: ['math', 'crypto'],
    address: { city: 'London' },
    visits: 12,
    signedUpAt: '2023-11-30',
    active: false,
  },
  p4: {
    name: 'Linus Torvalds',
    bio: 'Wrote a kernel as a hobby',
    email: 'linus@example.com',
    plan: 'pro',
    tags: [],
    address: { city: 'Portland' },
    visits: 3,
    signedUpAt: '2024-03-01T12:30:00+02:00',
    active: true,
  },
  // No address, visits, signup date or active flag: "missing" in filters, sorts and aggregations.
  p5: {
    name: 'Margaret Hamilton',
    bio: 'Led the Apollo flight software team',
    email: 'margaret@example.com',
    plan: 'pro',
    tags: ['space'],
  },
  // A keyword field holding one string instead of an array.
  p6: {
    name: 'Zoë MÜLLER',
    bio: 'Übersetzt Bücher ins Japanische: 日本語 😀',
    email: 'zoe@example.de',
    plan: 'free',
    tags: 'solo',
    address: { city: 'Zürich' },
    visits: 0,
    signedUpAt: '2024-02-29T23:59:59.999Z',
    active: false,
  },
};

export const upserts = (
  collection: string,
  docs: Readonly<Record<string, Document>>,
): DocumentWrite[] =>
  Object.entries(docs).map(([id, document]) => ({ op: 'upsert', collection, id, document }));

export const ids = (page: DocumentPage): string[] => page.hits.map((hit) => hit.id);
