import { MigrationEngine, MigrationStatus } from '../../../runtime/migration';
import { Clock } from './two-realms';

/** Polls `status` as Atlassian does (every 5 minutes) until it answers anything but in-progress. */
export async function pollUntilSettled(engine: MigrationEngine, clock: Clock, tenant: string, id: string, maxPolls = 200): Promise<{ status: MigrationStatus; polls: number }> {
  for (let polls = 1; polls <= maxPolls; polls++) {
    clock.advance(5 * 60_000);
    const status = await engine.status(tenant, id);
    if (status.status !== 'in-progress') return { status, polls };
  }
  throw new Error(`migration ${id} still in progress after ${maxPolls} polls`);
}
