/** Token exchange (RFC 8693) from a token's detail: what the new token is for, then the back end's answer (issued_token_type, the new token). */
import { useState } from 'react';
import type { TokenSummary } from '../../../../shared/model.ts';
import type { TokenExchangeResult } from '../../../../shared/oauth.ts';
import { api } from '../../api-client.ts';
import { FormDialog } from '../../ui/FormDialog.tsx';
import { SelectField, TextField } from '../../ui/FormFields.tsx';
import { routeHref } from '../../ui/route.ts';
import { SafeText } from '../../ui/SafeText.tsx';
import { useAction } from '../../ui/use-action.ts';

/** What the dialog offers for requested_token_type ('' = let the server choose; RFC 8693 §2.1). */
const REQUESTED_TYPES = [
  ['', 'server default (an access token)'],
  ['access_token', 'access token'],
  ['jwt', 'JWT'],
  ['id_token', 'ID token'],
  ['refresh_token', 'refresh token'],
] as const;
type RequestedType = (typeof REQUESTED_TYPES)[number][0];

export function ExchangeDialog({
  token,
  onExchanged,
  onClose,
}: {
  token: TokenSummary;
  onExchanged: () => void;
  onClose: () => void;
}) {
  const [audience, setAudience] = useState('');
  const [resource, setResource] = useState('');
  const [scope, setScope] = useState('');
  const [requested, setRequested] = useState<RequestedType>('');
  const [actor, setActor] = useState('');
  const [action, run] = useAction(async (_: null) => {
    const r = await api.exchangeToken({
      tokenId: token.id,
      ...(audience.trim() ? { audience: audience.trim() } : {}),
      ...(resource.trim() ? { resource: resource.trim() } : {}),
      ...(scope.trim() ? { scope: scope.trim() } : {}),
      ...(requested ? { requestedTokenType: requested } : {}),
      ...(actor.trim() ? { actorTokenId: actor.trim() } : {}),
    });
    if (r.ok) onExchanged();
    return r;
  });
  return (
    <FormDialog
      title="Exchange this token"
      testId="exchange-dialog"
      onClose={onClose}
      onSubmit={() => void run(null)}
      canSubmit={audience.trim() !== '' || resource.trim() !== ''}
      submitLabel="Exchange"
      busyLabel="Exchanging…"
      action={action}
      busyText="Asking the token endpoint for a token exchange (RFC 8693)…"
      renderResult={(result: TokenExchangeResult) => <ExchangeOutcome value={result} />}
    >
      <p className="small">
        The {token.kind.replace('_', ' ')} is sent to its server as the <code>subject_token</code>; the token that comes back
        joins the history as its own issuance, linked to this one. Give the audience or the resource the new token is for.
      </p>
      <TextField label="Audience" value={audience} onChange={setAudience} mono placeholder="https://api.example.com" />
      <TextField label="Resource (RFC 8707)" value={resource} onChange={setResource} mono placeholder="urn:example:api" />
      <TextField label="Scope (optional)" value={scope} onChange={setScope} mono placeholder="api:read" />
      <SelectField
        label="Requested token type"
        value={requested}
        onChange={setRequested}
        options={REQUESTED_TYPES}
        testId="exchange-requested-type"
      />
      <TextField
        label="Actor token id (optional: a history token that acts for the subject)"
        value={actor}
        onChange={setActor}
        mono
      />
    </FormDialog>
  );
}

function ExchangeOutcome({ value }: { value: TokenExchangeResult }) {
  return (
    <div data-testid="exchange-result">
      <p>
        The server issued <strong data-testid="exchange-issued-type">{<SafeText text={value.issuedTokenTypeText} />}</strong>.
      </p>
      <p>
        {value.tokens.map((t) => (
          <a key={t.id} className="token-ref" href={routeHref({ screen: 'token', id: t.id })} data-testid="exchanged-token">
            Open the new {t.kind.replace('_', ' ')} →
          </a>
        ))}
      </p>
    </div>
  );
}
