/** What each claim and header parameter means: the token domain's registry, looked up by name. */
import { CLAIMS, HEADER_PARAMS, isNamespacedClaim } from '../../../../shared/token/claim-registry.ts';

export function explainClaim(name: string, where: 'header' | 'payload'): string | undefined {
  const table = where === 'header' ? HEADER_PARAMS : CLAIMS;
  // hasOwn: a claim named "constructor" must not find Object.prototype's member.
  if (Object.hasOwn(table, name)) return table[name]?.explanation;
  if (where === 'payload' && isNamespacedClaim(name))
    return 'A namespaced custom claim (a URL prefix keeps it from colliding with registered names).';
  return undefined;
}
