/**
 * What a pasted DPoP proof (RFC 9449 §4.2, `typ: dpop+jwt`) says and what is wrong with it, and what a `cnf`
 * confirmation claim (RFC 7800; jkt RFC 9449 §6, x5t#S256 RFC 8705) binds a token to, as findings.
 */
import { numericDateMs } from '../formats/units.ts';
import { formatRelative } from '../time/relative.ts';
import { finding, type Finding } from './findings.ts';

type JsonObject = Readonly<Record<string, unknown>>;

/** Members of a private JWK: a proof's jwk must hold none of them (RFC 9449 §4.3 check 7). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];
/** iat further than this from now is "not recent" for most servers (RFC 9449 §11.1 leaves the window to them). */
const RECENT_S = 300;

/** A JWS whose typ says it is a DPoP proof. */
export function isDpopProof(header: JsonObject): boolean {
  return typeof header['typ'] === 'string' && header['typ'].toLowerCase() === 'dpop+jwt';
}

function proofFindings(header: JsonObject, payload: JsonObject, nowMs: number): Finding[] {
  const out: Finding[] = [];
  const bad = (message: string, field: string): void => {
    out.push(finding('DPOP_PROOF_INVALID', 'error', message, { field }));
  };
  const jwk = header['jwk'];
  const key = typeof jwk === 'object' && jwk !== null && !Array.isArray(jwk) ? (jwk as JsonObject) : undefined;
  if (!key) bad('a DPoP proof carries its public key in the jwk header parameter; this one has none', 'jwk');
  else if (PRIVATE_MEMBERS.some((m) => Object.hasOwn(key, m)))
    bad('the jwk header holds a private key: a DPoP proof must carry only the public key (the private key has leaked)', 'jwk');
  const alg = header['alg'];
  if (alg === 'none' || (typeof alg === 'string' && alg.startsWith('HS')))
    bad(`alg ${alg} is not allowed in a DPoP proof: it must be an asymmetric signature`, 'alg');
  const htm = payload['htm'];
  const htu = payload['htu'];
  const ath = payload['ath'];
  const nonce = payload['nonce'];
  if (typeof htm !== 'string') bad('htm (the HTTP method the proof is for) is missing', 'htm');
  if (typeof htu !== 'string') bad('htu (the URL the proof is for) is missing', 'htu');
  else {
    const target = URL.parse(htu);
    if (!target) bad('htu is not a URL', 'htu');
    else if (target.search !== '' || target.hash !== '')
      bad('htu carries a query or fragment: RFC 9449 §4.2 says the URL without them (servers compare it so)', 'htu');
  }
  if (typeof payload['jti'] !== 'string' || payload['jti'] === '')
    bad('jti is missing: the server cannot tell a replayed proof from a new one', 'jti');
  const iatMs = numericDateMs(payload['iat']);
  if (iatMs === undefined) bad('iat is missing: the server cannot tell how old the proof is', 'iat');
  const where = typeof htm === 'string' && typeof htu === 'string' ? `${htm} ${htu}` : 'a request it does not fully name';
  const parts = [
    `a DPoP proof (RFC 9449) for ${where}`,
    iatMs === undefined ? 'time unknown' : `made ${formatRelative(iatMs, nowMs)}`,
    typeof ath === 'string'
      ? `with ath: it goes with the access token whose SHA-256 is ${ath} (a request to a resource server)`
      : 'without ath: a request to the authorization server (token, PAR), not to an API',
    typeof nonce === 'string' ? 'carrying a server-provided nonce' : 'without a server nonce',
    key
      ? `signed by the key in its own jwk header (${String(key['kty'])}${typeof key['crv'] === 'string' ? ` ${key['crv']}` : ''}); a token bound to that key carries its thumbprint in cnf.jkt`
      : '',
  ].filter(Boolean);
  out.unshift(finding('DPOP_PROOF', 'info', parts.join(', '), { field: 'typ' }));
  if (iatMs !== undefined && Math.abs(nowMs - iatMs) > RECENT_S * 1000)
    out.push(
      finding(
        'DPOP_PROOF_INVALID',
        'warning',
        `iat is ${formatRelative(iatMs, nowMs)}: servers accept a proof for a few minutes at most (a fresh one is made per request)`,
        { field: 'iat' },
      ),
    );
  return out;
}

function cnfFindings(payload: JsonObject): Finding[] {
  const cnf = payload['cnf'];
  if (typeof cnf !== 'object' || cnf === null || Array.isArray(cnf)) return [];
  const c = cnf as JsonObject;
  const out: Finding[] = [];
  if (typeof c['jkt'] === 'string')
    out.push(
      finding(
        'TOKEN_BINDING',
        'info',
        `bound to a DPoP key (cnf.jkt ${c['jkt']}): an API accepts it only as Authorization: DPoP with a proof signed by the key of that thumbprint`,
        { field: 'cnf' },
      ),
    );
  if (typeof c['x5t#S256'] === 'string')
    out.push(
      finding(
        'TOKEN_BINDING',
        'info',
        `bound to a client certificate (cnf x5t#S256, RFC 8705): it is used only over mutual TLS with that certificate`,
        { field: 'cnf' },
      ),
    );
  if (out.length === 0)
    out.push(
      finding('TOKEN_BINDING', 'info', 'a cnf claim without jkt or x5t#S256: a binding Tokenscope does not know', {
        field: 'cnf',
      }),
    );
  return out;
}

/** The findings of a JWS about DPoP: the proof itself when it is one, and the binding its cnf claim states. */
export function dpopFindings(header: JsonObject, payload: JsonObject, nowMs: number): Finding[] {
  return [...(isDpopProof(header) ? proofFindings(header, payload, nowMs) : []), ...cnfFindings(payload)];
}
