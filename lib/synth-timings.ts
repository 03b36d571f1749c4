import { writeFileSync } from 'node:fs';
import type { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport } from 'aws-cdk-lib';

/**
 * Where synth writes the time of each of its phases, as JSON (`{ "phases": { name: ms } }`):
 * the file named by RESIDENCY_SYNTH_TIMINGS, read by `npm run bench:synth`. Unset: nothing
 * is written, and the phases are still summed (a clock read each, nothing more).
 */
export const SYNTH_TIMINGS_ENV = 'RESIDENCY_SYNTH_TIMINGS';

const phases = new Map<string, number>();

/** Runs `fn`, adding its wall time to phase `name` (phases may nest; each counts its own time in full). */
export function timePhase<T>(name: string, fn: () => T): T {
  const start = performance.now();
  try {
    return fn();
  } finally {
    phases.set(name, (phases.get(name) ?? 0) + performance.now() - start);
  }
}

/** `plugin`, its `validate` timed as phase `validate:<name>`. */
export function timedPlugin<P extends IPolicyValidationPlugin>(plugin: P): P {
  const validate = plugin.validate.bind(plugin);
  plugin.validate = (context: IPolicyValidationContext): PolicyValidationPluginReport => timePhase(`validate:${plugin.name}`, () => validate(context));
  return plugin;
}

/** Writes the phases summed so far (with `extra` ones) to the RESIDENCY_SYNTH_TIMINGS file, if set. */
export function writeSynthTimings(extra: Record<string, number> = {}): void {
  const file = process.env[SYNTH_TIMINGS_ENV];
  if (!file) return;
  const all = { ...Object.fromEntries(phases), ...extra };
  writeFileSync(file, JSON.stringify({ phases: Object.fromEntries(Object.entries(all).map(([k, v]) => [k, Math.round(v)])) }, undefined, 2));
}
