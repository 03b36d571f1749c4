import { randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import { AuthError } from '../connect-auth/auth-error';
import { parseJsonBody } from '../http/json-body';
import type { TenantData } from '../tenants';

/** One note of the example app, stored per tenant. */
export interface Note {
  readonly id: string;
  readonly text: string;
  readonly createdAt: string;
  readonly author?: string;
}

const newNote = z.object({ text: z.string().check(z.minLength(1), z.maxLength(1000)) });

/** The tenant's notes, newest first. */
export async function listNotes(data: TenantData): Promise<Note[]> {
  const { items } = await data.list<Note>('note:', { limit: 1000 });
  return items
    .map((i) => i.value)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/**
 * Adds a note from a JSON body `{"text": "..."}` (1-1000 characters).
 * @throws AuthError 400 for any other body
 */
export async function addNote(data: TenantData, body: string | undefined, author: string | undefined, now = Date.now): Promise<Note> {
  const parsed = newNote.safeParse(parseJsonBody(body, 'note body'));
  if (!parsed.success) throw new AuthError('note body: expected {"text": 1-1000 characters}', 400);
  const note: Note = { id: randomUUID(), text: parsed.data.text, createdAt: new Date(now()).toISOString(), ...(author ? { author } : {}) };
  await data.put(`note:${note.id}`, note);
  return note;
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
