/** Attach a pasted or imported token to a profile, so Tokenscope knows its server (then refresh, introspect… work). */
import { useState } from 'react';
import type { TokenSummary } from '../../../../shared/model.ts';
import { api } from '../../api-client.ts';
import { FormDialog } from '../../ui/FormDialog.tsx';
import { SelectField } from '../../ui/FormFields.tsx';
import { SafeText } from '../../ui/SafeText.tsx';
import { useAction } from '../../ui/use-action.ts';
import { useResult } from '../../ui/use-result.ts';

export function AttachProfileDialog({
  token,
  onAttached,
  onClose,
}: {
  token: TokenSummary;
  onAttached: () => void;
  onClose: () => void;
}) {
  const [profiles] = useResult(() => api.listProfiles(), []);
  const list = profiles.state === 'ok' ? profiles.value : [];
  // The profile of the token's own issuer first, when there is one.
  const sameIssuer = list.find((p) => token.issuer !== null && p.settings.issuer === token.issuer);
  const [chosen, setChosen] = useState<string | null>(null);
  const profileId = chosen ?? sameIssuer?.id ?? list[0]?.id ?? '';
  const [action, run] = useAction(async (id: string) => {
    const r = await api.attachProfile({ tokenId: token.id, profileId: id });
    if (r.ok) onAttached();
    return r;
  });
  return (
    <FormDialog
      title="Attach to a profile"
      testId="attach-dialog"
      onClose={onClose}
      onSubmit={() => void run(profileId)}
      canSubmit={profileId !== ''}
      submitLabel="Attach"
      busyLabel="Attaching…"
      action={action}
      busyText="Linking the token to the profile…"
      renderResult={() => <span data-testid="attach-result">Attached: its server is now known.</span>}
    >
      <p className="small">
        The profile says which server issued this token and which client holds it; Refresh, Revoke, Introspect and Userinfo ask
        that server.
        {token.issuer && (
          <>
            {' '}
            The token names the issuer <code className="break">{<SafeText text={token.issuer} />}</code>.
          </>
        )}
      </p>
      {profiles.state === 'ok' && list.length === 0 ? (
        <p className="muted">No profile yet: create one under Flows first.</p>
      ) : (
        <SelectField
          label="Profile"
          value={profileId}
          onChange={setChosen}
          options={list.map((p) => [p.id, `${p.name} · ${p.settings.issuer || 'starts on demand'}`] as const)}
          testId="attach-profile"
        />
      )}
    </FormDialog>
  );
}
