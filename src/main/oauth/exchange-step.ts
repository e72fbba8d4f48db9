/** The step of a grant the request under way belongs to, so the exchange log files each fetch under its step without threading it through every call. */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ExchangeStep } from '../../shared/oauth.ts';

const steps = new AsyncLocalStorage<ExchangeStep>();

/** Runs `work` with its requests logged as `step`. */
export function withStep<T>(step: ExchangeStep, work: () => T): T {
  return steps.run(step, work);
}

export function currentStep(): ExchangeStep | undefined {
  return steps.getStore();
}
