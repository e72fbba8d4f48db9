/** The authorization URL of a running login: the browser was asked to open it; this link opens it again. */
import type { LoginStart } from '../../../../shared/oauth.ts';

export function LoginLink({ start }: { start: LoginStart }) {
  return (
    <p className="small login-link">
      Your browser should show the login page. If it did not,{' '}
      <a href={start.authorizationUrl} target="_blank" rel="noopener noreferrer" data-testid="authorization-url">
        open the login page
      </a>
      . Redirect: <code>{start.redirectUri}</code>
    </p>
  );
}
