/** Well-known prefixes of opaque tokens: what an opaque token probably is, said as a hint, never as a fact. */

export interface OpaqueHint {
  readonly prefix: string;
  readonly issuer: string;
  readonly what: string;
}

const HINTS: readonly OpaqueHint[] = [
  { prefix: 'github_pat_', issuer: 'GitHub', what: 'a fine-grained personal access token' },
  { prefix: 'ghp_', issuer: 'GitHub', what: 'a personal access token' },
  { prefix: 'gho_', issuer: 'GitHub', what: 'an OAuth app access token' },
  { prefix: 'ghu_', issuer: 'GitHub', what: 'a GitHub App user access token' },
  { prefix: 'ghs_', issuer: 'GitHub', what: 'a GitHub App installation token' },
  { prefix: 'ghr_', issuer: 'GitHub', what: 'a GitHub App refresh token' },
  { prefix: 'glpat-', issuer: 'GitLab', what: 'a personal access token' },
  { prefix: 'xoxb-', issuer: 'Slack', what: 'a bot token' },
  { prefix: 'xoxp-', issuer: 'Slack', what: 'a user token' },
  { prefix: 'xoxe.', issuer: 'Slack', what: 'a rotating token' },
  { prefix: 'xoxe-', issuer: 'Slack', what: 'a refresh token' },
  { prefix: 'ya29.', issuer: 'Google', what: 'an OAuth access token' },
  { prefix: '1//', issuer: 'Google', what: 'an OAuth refresh token' },
  { prefix: 'ory_at_', issuer: 'Ory Hydra', what: 'an access token' },
  { prefix: 'ory_rt_', issuer: 'Ory Hydra', what: 'a refresh token' },
  { prefix: 'ory_ac_', issuer: 'Ory Hydra', what: 'an authorization code' },
  { prefix: 'shpat_', issuer: 'Shopify', what: 'an Admin API access token' },
  { prefix: 'shpua_', issuer: 'Shopify', what: 'a user access token' },
  { prefix: 'sk_live_', issuer: 'Stripe', what: 'a live secret API key (not an OAuth token: treat it as a password)' },
  { prefix: 'sk_test_', issuer: 'Stripe', what: 'a test secret API key (not an OAuth token)' },
];

export function opaqueHint(token: string): OpaqueHint | undefined {
  return HINTS.find((h) => token.startsWith(h.prefix));
}
