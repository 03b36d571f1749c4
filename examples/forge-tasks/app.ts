// The forge-tasks example: a Forge app whose tasks live in the remote, per installation.
// Forge's UI calls it with invokeRemote through the `tasks-resolver` endpoint; the toolkit
// registers installations from Forge's lifecycle trigger; `POST /tasks/from-issue` reads the
// Jira issue as the calling user through `tenant.atlassian`. Only the public API is used.
import { randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import { defineApp, json, route } from 'cdk-residency/runtime';

/** One task, stored per installation under `task:<id>`. */
export interface Task {
  readonly id: string;
  readonly title: string;
  readonly createdAt: string;
  readonly createdBy?: string;
  /** The Jira issue the task was made from (`POST /tasks/from-issue`). */
  readonly issueKey?: string;
}

/** The Forge module whose invocation tokens may call the task routes. */
export const TASKS_MODULE = 'tasks-resolver';

const NewTask = z.object({ title: z.string().check(z.minLength(1), z.maxLength(200)) });
const FromIssue = z.object({ issueKey: z.string().check(z.regex(/^[A-Z][A-Z0-9_]{0,19}-[1-9][0-9]{0,9}$/)) });

export default defineApp({
  routes: [
    {
      method: 'GET',
      path: '/tasks',
      auth: 'forge',
      forgeModules: [TASKS_MODULE],
      forgeTokens: { appUserToken: true },
      handler: async (_req, tenant) => ({ tasks: (await tenant.data.list<Task>('task:', { limit: 1000 })).items.map((i) => i.value) }),
    },
    route({
      method: 'POST',
      path: '/tasks',
      auth: 'forge',
      forgeModules: [TASKS_MODULE],
      forgeTokens: { appUserToken: true },
      body: NewTask,
      handler: async (req, tenant) => {
        const task: Task = { id: randomUUID(), title: req.body.title, createdAt: new Date().toISOString(), ...(tenant.principal ? { createdBy: tenant.principal } : {}) };
        await tenant.data.put(`task:${task.id}`, task, { ifAbsent: true });
        tenant.log.info('task added', { id: task.id });
        return json({ ...task, site: tenant.site }, 201);
      },
    }),
    route({
      method: 'POST',
      path: '/tasks/from-issue',
      auth: 'forge',
      forgeModules: [TASKS_MODULE],
      forgeTokens: { appUserToken: true },
      body: FromIssue,
      handler: async (req, tenant) => {
        // As the user: Jira grants the app's scopes only where the user may act, and a 403 answers the caller 403.
        const issue = await tenant.atlassian.asUser().request(`/rest/api/3/issue/${req.body.issueKey}?fields=summary`);
        if (issue.status === 404) return json({ error: 'no such issue' }, 404);
        if (!issue.ok) return json({ error: `Jira answered ${issue.status}` }, 502);
        const summary = issue.json<{ fields?: { summary?: unknown } }>().fields?.summary;
        const title = typeof summary === 'string' && summary !== '' ? summary.slice(0, 200) : req.body.issueKey;
        const task: Task = { id: randomUUID(), title, issueKey: req.body.issueKey, createdAt: new Date().toISOString(), ...(tenant.principal ? { createdBy: tenant.principal } : {}) };
        await tenant.data.put(`task:${task.id}`, task, { ifAbsent: true });
        return json(task, 201);
      },
    }),
  ],
});
