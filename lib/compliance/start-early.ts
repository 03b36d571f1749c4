import type { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { timePhase } from '../synth-timings';

/**
 * A validation plugin whose work can start before its turn, in worker threads, while the
 * plugins before it run in this thread: `start` begins validating `context` and answers a
 * function that blocks until the report is done and returns it (what `validate` returns).
 */
export interface StartsEarly extends IPolicyValidationPlugin {
  start(context: IPolicyValidationContext): () => PolicyValidationPluginReport;
}

function startsEarly(plugin: IPolicyValidationPlugin): plugin is StartsEarly {
  return typeof (plugin as Partial<StartsEarly>).start === 'function';
}

/**
 * `plugins`, each `validate` changed so that the first plugin's, which aws-cdk-lib calls first
 * when it validates an assembly, starts every plugin that {@link StartsEarly} over the same
 * templates; each of those then, at its turn, waits for the work started for it. On two cores
 * the cfn-guard and CloudFormation Validate workers run while the cdk-nag packs hold this
 * thread, instead of after them. Each plugin still reports what its own `validate` would: one
 * called with other templates than the first plugin's validates them afresh. Apply it to plugins
 * already timed (`timedPlugin`): the start and the wait count to the plugin's own phase.
 */
export function startingEarly(plugins: IPolicyValidationPlugin[]): IPolicyValidationPlugin[] {
  const started = new Map<IPolicyValidationPlugin, { templates: string; finish: () => PolicyValidationPluginReport }>();
  for (const plugin of plugins) {
    const validate = plugin.validate.bind(plugin);
    plugin.validate = (context: IPolicyValidationContext): PolicyValidationPluginReport => {
      const templates = templatesOf(context);
      if (plugin === plugins[0]) {
        started.clear();
        for (const p of plugins) if (p !== plugin && startsEarly(p)) started.set(p, { templates, finish: startedOrFailed(p, context) });
      }
      const mine = started.get(plugin);
      started.delete(plugin);
      return mine?.templates === templates ? timePhase(`validate:${plugin.name}`, mine.finish) : validate(context);
    };
  }
  return plugins;
}

// A plugin's start, timed as its phase; one that throws fails at the plugin's own turn, as its validate would.
function startedOrFailed(plugin: StartsEarly, context: IPolicyValidationContext): () => PolicyValidationPluginReport {
  try {
    return timePhase(`validate:${plugin.name}`, () => plugin.start(context));
  } catch (error) {
    return () => {
      throw error;
    };
  }
}

function templatesOf(context: IPolicyValidationContext): string {
  return JSON.stringify([context.templatePaths, context.stackTemplates ?? null]);
}
