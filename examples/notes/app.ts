// The notes example: a Connect page and a small JSON API, each tenant's notes in tenant.data.
// It uses only the public API, so it compiles unchanged in a vendor's own project.
import { randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import { defineApp, html, json, route, type TenantData } from 'cdk-residency/runtime';

/** One note, stored per tenant under `note:<id>`. */
export interface Note {
  readonly id: string;
  readonly text: string;
  readonly createdAt: string;
  readonly author?: string;
}

const NewNote = z.object({ text: z.string().check(z.minLength(1), z.maxLength(1000)) });

/** The tenant's notes, newest first (the first 1000: an example, not a pager). */
async function listNotes(data: TenantData): Promise<Note[]> {
  const { items } = await data.list<Note>('note:', { limit: 1000 });
  return items.map((i) => i.value).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** The notes page shown in the product's iframe; every value is HTML-escaped. */
export function notesPage(notes: readonly Note[]): string {
  const rows = notes.map((n) => `<li><time>${escapeHtml(n.createdAt)}</time> ${escapeHtml(n.text)}</li>`).join('');
  return [
    '<!doctype html><html><head><meta charset="utf-8"><title>Notes</title>',
    '<script src="https://connect-cdn.atl-paas.net/all.js" async></script></head>',
    `<body><h1>Notes</h1><ul>${rows || '<li>No notes yet.</li>'}</ul></body></html>`,
  ].join('');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

export default defineApp({
  routes: [
    // Loaded by the product in its iframe, with a product-signed token (real qsh).
    { method: 'GET', path: '/pages/notes', auth: 'connect', handler: async (_req, tenant) => html(notesPage(await listNotes(tenant.data))) },
    // Called from the page with AP.context.getToken(): context tokens are accepted here.
    { method: 'GET', path: '/api/notes', auth: 'context', handler: async (_req, tenant) => ({ notes: await listNotes(tenant.data) }) },
    route({
      method: 'POST',
      path: '/api/notes',
      auth: 'context',
      body: NewNote,
      handler: async (req, tenant) => {
        const note: Note = { id: randomUUID(), text: req.body.text, createdAt: new Date().toISOString(), ...(tenant.principal ? { author: tenant.principal } : {}) };
        await tenant.data.put(`note:${note.id}`, note, { ifAbsent: true });
        tenant.log.info('note added', { id: note.id });
        return json(note, 201);
      },
    }),
  ],
  connect: {
    modules: {
      generalPages: [{ key: 'notes', name: { value: 'Notes' }, url: '/pages/notes', location: 'system.top.navigation.bar' }],
    },
  },
});
