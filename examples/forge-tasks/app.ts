// The forge-tasks example: a Forge app whose tasks live in the remote, per installation.
// Forge's UI calls it with invokeRemote through the `tasks-resolver` endpoint; the toolkit
// registers installations from Forge's lifecycle trigger. Only the public API is used.
import { randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import { defineApp, json, route } from 'cdk-residency/runtime';

/** One task, stored per installation under `task:<id>`. */
export interface Task {
  readonly id: string;
  readonly title: string;
  readonly createdAt: string;
  readonly createdBy?: string;
}

/** The Forge module whose invocation tokens may call the task routes. */
export const TASKS_MODULE = 'tasks-resolver';

const NewTask = z.object({ title: z.string().check(z.minLength(1), z.maxLength(200)) });

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
  ],
});
