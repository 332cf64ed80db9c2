// /userconsole/activate?token=...: a STAGED org user chooses a password from the activation
// email's one-time link; then the portal's sign-in, with the organization filled in.
import { ActionGroup, Alert, Button, Form, LoginPage } from '@patternfly/react-core';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { fieldOf } from '../api/errors';
import { ErrorAlert } from '../components/ErrorAlert';
import { checkNewPassword, portalActivate, type PortalUser } from './api';
import { NewPasswordFields } from './NewPasswordFields';

export function UserActivatePage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [user, setUser] = useState<PortalUser | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const bad = checkNewPassword(password, again);
    setInvalid(bad);
    if (Object.keys(bad).length) return;
    setBusy(true);
    setError(null);
    try {
      setUser(await portalActivate({ token, password }));
    } catch (err) {
      if (fieldOf(err) === 'password') setInvalid({ password: (err as Error).message });
      else setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <LoginPage loginTitle="Activate your account" loginSubtitle="The user portal of your organization">
      {!token && <Alert variant="danger" isInline title="This link is incomplete: open the whole link from your email." />}
      {user ? (
        <Alert variant="success" isInline title="Your account is active">
          <Link to={`/userconsole?organization=${encodeURIComponent(user.organization)}`}>Sign in as {user.username}</Link>
        </Alert>
      ) : (
        <>
          <ErrorAlert error={error} title="The account could not be activated" />
          <Form onSubmit={submit} noValidate aria-label="Activate your account">
            <NewPasswordFields password={password} again={again} onPassword={setPassword} onAgain={setAgain} invalid={invalid} />
            <ActionGroup>
              <Button type="submit" isDisabled={!token || busy} isLoading={busy}>
                Activate
              </Button>
            </ActionGroup>
          </Form>
        </>
      )}
    </LoginPage>
  );
}
