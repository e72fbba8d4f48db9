/**
 * The step of a grant the request under way belongs to, and who asked for it when nobody clicked, so the exchange log
 * files each fetch under its step and its asker without threading them through every call.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ExchangeAskedBy, ExchangeStep } from '../../shared/oauth.ts';

const steps = new AsyncLocalStorage<ExchangeStep>();
const askers = new AsyncLocalStorage<ExchangeAskedBy>();

/** Runs `work` with its requests logged as asked by `by` (the profile's auto-refresh), not by a person. */
export function askedBy<T>(by: ExchangeAskedBy, work: () => T): T {
  return askers.run(by, work);
}

export function currentAsker(): ExchangeAskedBy | undefined {
  return askers.getStore();
}

/** Runs `work` with its requests logged as `step`. */
export function withStep<T>(step: ExchangeStep, work: () => T): T {
  return steps.run(step, work);
}

export function currentStep(): ExchangeStep | undefined {
  return steps.getStore();
}
