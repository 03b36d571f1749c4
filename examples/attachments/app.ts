// The attachments example: per-tenant files on Jira issues in tenant.objects, uploaded and
// downloaded through short-lived presigned URLs, an issue web panel listing them, and a
// webhook that removes an issue's files when the issue is deleted, and a Jira comment announcing
// a file (tenant.atlassian, signed with the tenant's shared secret). Public API only.
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { HttpError, defineApp, html, json, route, type TenantContext } from 'cdk-residency/runtime';

/** What the app records about one attachment (the bytes are the object `issues/<issue>/<id>`). */
export interface Attachment {
  readonly id: string;
  readonly issue: string;
  readonly name: string;
  readonly contentType: string;
  readonly addedBy?: string;
}

const ISSUE_KEY = /^[A-Z][A-Z0-9_]*-[1-9][0-9]*$/;
const NewUpload = z.object({ name: z.string().min(1).max(200), contentType: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/) });
const NewText = z.object({ name: z.string().min(1).max(200), text: z.string().max(100_000) });
const IssueDeleted = z.object({ webhookEvent: z.literal('jira:issue_deleted'), issue: z.object({ key: z.string() }) });

function issueOf(key: string | undefined): string {
  if (!key || !ISSUE_KEY.test(key)) throw new HttpError(400, 'expected a Jira issue key such as ABC-123');
  return key;
}

async function record(tenant: TenantContext, issue: string, name: string, contentType: string): Promise<Attachment> {
  const a: Attachment = { id: randomUUID(), issue, name, contentType, ...(tenant.principal ? { addedBy: tenant.principal } : {}) };
  await tenant.data.put(`attachment:${issue}:${a.id}`, a, { ifAbsent: true });
  return a;
}

/** The issue's attachments, each with a download URL valid for five minutes. */
async function listed(tenant: TenantContext, issue: string): Promise<(Attachment & { url: string })[]> {
  const { items } = await tenant.data.list<Attachment>(`attachment:${issue}:`, { limit: 100 });
  return Promise.all(items.map(async ({ value }) => ({ ...value, url: await tenant.objects.presignGet(`issues/${issue}/${value.id}`) })));
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

export default defineApp({
  routes: [
    // The issue panel: the product fills in {issue.key}.
    {
      method: 'GET',
      path: '/panels/attachments',
      auth: 'connect',
      handler: async (req, tenant) => {
        const issue = issueOf(req.query.get('issueKey') ?? undefined);
        const rows = (await listed(tenant, issue)).map((a) => `<li><a href="${escapeHtml(a.url)}" rel="noopener">${escapeHtml(a.name)}</a></li>`);
        return html(`<!doctype html><html><head><meta charset="utf-8"><title>Attachments</title></head><body><ul>${rows.join('') || '<li>No files yet.</li>'}</ul></body></html>`);
      },
    },
    { method: 'GET', path: '/api/issues/:issue/attachments', auth: 'context', handler: async (req, tenant) => ({ attachments: await listed(tenant, issueOf(req.params['issue'])) }) },
    // A browser upload: the app hands out a presigned PUT; the bytes never pass through the function.
    route({
      method: 'POST',
      path: '/api/issues/:issue/uploads',
      auth: 'context',
      body: NewUpload,
      handler: async (req, tenant) => {
        const a = await record(tenant, issueOf(req.params['issue']), req.body.name, req.body.contentType);
        const uploadUrl = await tenant.objects.presignPut(`issues/${a.issue}/${a.id}`, { contentType: a.contentType, expiresIn: 600 });
        return json({ attachment: a, uploadUrl }, 201);
      },
    }),
    // A small text file written through the function.
    route({
      method: 'POST',
      path: '/api/issues/:issue/texts',
      auth: 'context',
      body: NewText,
      handler: async (req, tenant) => {
        const a = await record(tenant, issueOf(req.params['issue']), req.body.name, 'text/plain; charset=utf-8');
        await tenant.objects.put(`issues/${a.issue}/${a.id}`, req.body.text, { contentType: a.contentType });
        return json({ attachment: a }, 201);
      },
    }),
    // Announces a file on its issue as a Jira comment: a call to the tenant's own site, signed as the app (Connect JWT).
    {
      method: 'POST',
      path: '/api/issues/:issue/attachments/:id/announce',
      auth: 'context',
      handler: async (req, tenant) => {
        const issue = issueOf(req.params['issue']);
        const found = await tenant.data.get<Attachment>(`attachment:${issue}:${req.params['id'] ?? ''}`);
        if (!found) throw new HttpError(404, 'no such attachment');
        const text = `Attached: ${found.value.name}`;
        const comment = await tenant.atlassian.request(`/rest/api/3/issue/${issue}/comment`, {
          method: 'POST',
          json: { body: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] } },
        });
        if (comment.status === 404) throw new HttpError(404, 'no such issue');
        if (!comment.ok) return json({ error: `Jira answered ${comment.status}` }, 502);
        return json({ commentId: comment.json<{ id?: string }>().id }, 201);
      },
    },
    {
      method: 'DELETE',
      path: '/api/issues/:issue/attachments/:id',
      auth: 'context',
      handler: async (req, tenant) => {
        const issue = issueOf(req.params['issue']);
        const id = req.params['id'] ?? '';
        if (!(await tenant.data.get(`attachment:${issue}:${id}`))) throw new HttpError(404, 'no such attachment');
        await tenant.objects.delete(`issues/${issue}/${id}`);
        await tenant.data.delete(`attachment:${issue}:${id}`);
        return undefined;
      },
    },
    // Jira posts here when an issue is deleted: its files go with it.
    route({
      method: 'POST',
      path: '/webhooks/issue-deleted',
      auth: 'connect',
      body: IssueDeleted,
      handler: async (req, tenant) => {
        const issue = issueOf(req.body.issue.key);
        let cursor: string | undefined;
        let removed = 0;
        do {
          const page = await tenant.data.list<Attachment>(`attachment:${issue}:`, { limit: 100, ...(cursor ? { cursor } : {}) });
          for (const { id, value } of page.items) {
            await tenant.objects.delete(`issues/${issue}/${value.id}`);
            await tenant.data.delete(id);
            removed++;
          }
          cursor = page.cursor;
        } while (cursor);
        tenant.log.info('issue deleted: attachments removed', { issue, removed });
        return undefined;
      },
    }),
  ],
  connect: {
    modules: {
      webPanels: [{ key: 'attachments-panel', name: { value: 'Attachments' }, location: 'atl.jira.view.issue.right.context', url: '/panels/attachments?issueKey={issue.key}' }],
      webhooks: [{ event: 'jira:issue_deleted', url: '/webhooks/issue-deleted' }],
    },
  },
});
