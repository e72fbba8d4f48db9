/** The token's key binding (DPoP cnf.jkt against its profile's key, mTLS), as the back end states it. */
import { api } from '../../api-client.ts';
import { SafeText } from '../../ui/SafeText.tsx';
import { useResult } from '../../ui/use-result.ts';

export function BindingFact({ tokenId, version }: { tokenId: string; version: number }) {
  const [binding] = useResult(() => api.tokenBinding({ tokenId }), [tokenId, version]);
  return (
    <dd data-testid="token-binding" data-binding={binding.state === 'ok' ? binding.value.kind : undefined}>
      {binding.state === 'ok' ? (
        <SafeText text={binding.value.summary} />
      ) : binding.state === 'error' ? (
        <SafeText text={`cannot tell: ${binding.error.message}`} />
      ) : (
        '…'
      )}
    </dd>
  );
}
