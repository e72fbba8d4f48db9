/** A compact JWS or JWE with each segment in its own colour (header, payload, signature; JWE's five parts). */
import type { JweView, JwtView } from '../../../../shared/token/inspect.ts';

type Part = readonly [className: string, label: string, text: string];

function Parts({ parts, label }: { parts: readonly Part[]; label: string }) {
  return (
    <p className="token-segments mono" data-testid="token-segments" aria-label={label}>
      {parts.map(([className, title, text], i) => (
        <span key={className}>
          {i > 0 && <span className="seg-dot">.</span>}
          <span className={`seg ${className}`} title={title} data-segment={className}>
            {text === '' ? '(empty)' : text}
          </span>
        </span>
      ))}
    </p>
  );
}

export function JwtSegments({ jwt }: { jwt: JwtView }) {
  const { header, payload, signature } = jwt.raw;
  return (
    <Parts
      label="The token's segments: header, payload, signature"
      parts={[
        ['seg-header', 'header', header],
        ['seg-payload', 'payload', payload],
        ['seg-signature', 'signature', signature],
      ]}
    />
  );
}

export function JweSegments({ jwe }: { jwe: JweView }) {
  const { header, encryptedKey, iv, ciphertext, tag } = jwe.raw;
  return (
    <Parts
      label="The JWE's segments: protected header, encrypted key, IV, ciphertext, tag"
      parts={[
        ['seg-header', 'protected header', header],
        ['seg-key', 'encrypted key', encryptedKey],
        ['seg-iv', 'initialization vector', iv],
        ['seg-payload', 'ciphertext', ciphertext],
        ['seg-signature', 'authentication tag', tag],
      ]}
    />
  );
}

export function SegmentLegend({ jwe }: { jwe: boolean }) {
  return (
    <p className="seg-legend small">
      <span className="seg seg-header">{jwe ? 'protected header' : 'header'}</span>{' '}
      {jwe && (
        <>
          <span className="seg seg-key">encrypted key</span> <span className="seg seg-iv">IV</span>{' '}
        </>
      )}
      <span className="seg seg-payload">{jwe ? 'ciphertext' : 'payload'}</span>{' '}
      <span className="seg seg-signature">{jwe ? 'tag' : 'signature'}</span>
    </p>
  );
}
