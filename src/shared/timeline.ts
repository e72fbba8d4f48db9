/** A grant's timeline: every logged step in the order it happened, named in words, with its time since the first. */
import type { HttpExchange } from './oauth.ts';

export interface TimelineStep {
  /** The logged request and response, secrets masked. */
  readonly exchange: HttpExchange;
  /** What the step was, in words: "Authorization request", "Token request (code exchange)", "Refresh", "API call". */
  readonly label: string;
  /** Milliseconds since the timeline's first step (negative for its preparation). */
  readonly offsetMs: number;
  /** The offset as read: "+0 ms", "+412 ms", "+1.25 s", "+2 min 3 s". */
  readonly offsetText: string;
  /** The request's parameters (the authorization URL's query, a form body), masked; empty when it has none. */
  readonly parameters: readonly (readonly [string, string])[];
}

export interface GrantTimeline {
  /** The grant the steps belong to; null when the token has no grant (its own steps only). */
  readonly grantId: string | null;
  /** The grant's steps from its first (the authorization request of a login), in order. */
  readonly steps: readonly TimelineStep[];
  /** What was fetched before the first step to make it (the server's metadata): negative offsets. */
  readonly preparation: readonly TimelineStep[];
  /** "7 steps over 2.4 s", or "No steps logged". */
  readonly summary: string;
}
