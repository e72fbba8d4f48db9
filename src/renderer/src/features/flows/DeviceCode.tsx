/** The device authorization grant's screen: the user code large, the verification link, and a QR code. */
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import type { DeviceFlowStart } from '../../../../shared/oauth.ts';
import { Countdown } from '../../ui/Countdown.tsx';
import { safeHttpsUrl } from '../../ui/ExternalLink.tsx';

/** QR code as an SVG data: URL (no canvas, no inline script; CSP allows data: images). */
export async function qrDataUrl(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

function isLoopbackHttp(raw: string): boolean {
  try {
    const u = new URL(raw);
    return u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  } catch {
    return false;
  }
}

export function DeviceCode({ start }: { start: DeviceFlowStart }) {
  const [qr, setQr] = useState<string | null>(null);
  const target = start.verificationUriComplete ?? start.verificationUri;
  useEffect(() => {
    let live = true;
    void qrDataUrl(target).then((u) => {
      if (live) setQr(u);
    });
    return () => {
      live = false;
    };
  }, [target]);
  const linkable = safeHttpsUrl(start.verificationUri) !== null || isLoopbackHttp(start.verificationUri);
  return (
    <div className="device-code" data-testid="device-code">
      <div>
        <p className="label">Enter this code</p>
        <p className="user-code mono" data-testid="user-code" aria-label={`User code ${start.userCode.split('').join(' ')}`}>
          {start.userCode}
        </p>
        <p>
          at{' '}
          {linkable ? (
            <a href={start.verificationUri} target="_blank" rel="noopener noreferrer">
              {start.verificationUri}
            </a>
          ) : (
            <code>{start.verificationUri}</code>
          )}
        </p>
        <p className="muted small">
          Code <Countdown expiresAtMs={start.expiresAtMs} /> · polling every {start.intervalSeconds} s
        </p>
      </div>
      {qr && (
        <figure className="qr">
          <img src={qr} alt={`QR code for ${target}`} width={168} height={168} data-testid="device-qr" />
          <figcaption className="muted small">Scan with a phone</figcaption>
        </figure>
      )}
    </div>
  );
}
